import { z } from 'zod';
import type { Logger } from '../../lib/logger';
import { channels, type PubSub } from '../../lib/pubsub';
import { FORM_FACTORS } from './model';

const REASONS = [
  'PLACES_AVAILABLE',
  'FULL',
  'BELOW_REOPEN_THRESHOLD',
  'MANUAL_OPEN',
  'MANUAL_CLOSED',
  'NOT_YET_EFFECTIVE',
  'RETIRED',
  'REMOVED',
] as const;

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
  reason: z.enum(REASONS),
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

/** Events a slow subscriber may have waiting; beyond this the oldest are dropped. */
const MAX_QUEUED = 1000;

/**
 * The events of one channel that pass `accept`, as the async iterator a Subscription resolver
 * returns. Resolves once the pub/sub subscription is active; `return()` (the client went away)
 * ends it.
 */
export async function hubEventStream(
  pubsub: PubSub,
  channel: string,
  accept: (event: HubEvent) => boolean,
  logger: Logger,
): Promise<AsyncIterableIterator<HubEvent>> {
  const queue: HubEvent[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let dropped = 0;
  const unsubscribe = await pubsub.subscribe(channel, (payload) => {
    const event = parseHubEvent(payload);
    if (!event) {
      logger.warn({ channel }, 'ignoring a malformed hub event');
      return;
    }
    if (finished || !accept(event)) return;
    if (queue.length >= MAX_QUEUED) {
      queue.shift();
      dropped += 1;
      if (dropped === 1) logger.warn({ channel }, 'slow subscriber: dropping its oldest events');
    }
    queue.push(event);
    wake?.();
  });
  const finish = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    wake?.();
    await unsubscribe();
  };
  const iterator: AsyncIterableIterator<HubEvent> = {
    async next() {
      for (;;) {
        const event = queue.shift();
        if (event !== undefined) return { done: false, value: event };
        if (finished) return { done: true, value: undefined };
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
    async return() {
      await finish();
      return { done: true, value: undefined };
    },
    async throw(err: unknown) {
      await finish();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
