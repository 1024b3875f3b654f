import { z } from 'zod';
import type { Logger } from '../../logger';
import { type PubSub } from '../../pubsub';
import { channels } from '../channels';
import { FORM_FACTORS } from '../formFactors';
import { HUB_STATUS_REASONS } from './model';

/**
 * What the controller publishes on `hubs.status` (a status opened, closed, appeared or was removed:
 * once per change) and on `hubs.occupancy` (any of the counts changed). One shape for both.
 */
const hubEventSchema = z.object({
  hubId: z.guid(),
  municipalityCode: z.string(),
  /** null: the hub's combined capacity. */
  formFactor: z.enum(FORM_FACTORS).nullable(),
  open: z.boolean(),
  reason: z.enum(HUB_STATUS_REASONS),
  vehicles: z.number().int().nonnegative(),
  vehiclesAvailable: z.number().int().nonnegative(),
  capacity: z.number().int().nonnegative(),
  /** Free places. */
  available: z.number().int().nonnegative(),
  /** When `open` last changed (ISO 8601). */
  since: z.string(),
  /** When the hub was counted (ISO 8601). */
  at: z.string(),
  /** The hub is effective (and not retired before this change): anyone may see this event. */
  public: z.boolean(),
  /** Besides its municipality, the organisation that created the hub sees it. */
  ownerOrganisationId: z.string().nullable(),
});

export type HubEvent = z.infer<typeof hubEventSchema>;

export function parseHubEvent(payload: unknown): HubEvent | undefined {
  const parsed = hubEventSchema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

export interface PendingEvents {
  status: HubEvent[];
  occupancy: HubEvent[];
}

export const NO_EVENTS: PendingEvents = Object.freeze({ status: [], occupancy: [] });

/** Publishes after the change committed; pub/sub is fire-and-forget, the tables are the truth. */
export async function publishHubEvents(
  pubsub: PubSub,
  events: PendingEvents,
  logger: Logger,
): Promise<void> {
  const sends = [
    ...events.status.map((e) => pubsub.publish(channels.hubStatusChanged, e)),
    ...events.occupancy.map((e) => pubsub.publish(channels.hubOccupancy, e)),
  ];
  const failed = (await Promise.allSettled(sends)).filter((r) => r.status === 'rejected');
  if (failed.length > 0) {
    logger.warn(
      { failed: failed.length, of: sends.length, err: (failed[0] as PromiseRejectedResult).reason },
      'some hub events could not be published',
    );
  }
}
