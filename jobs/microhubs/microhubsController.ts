import type { Db } from '../../lib/db';
import { channels } from '../../lib/domain/channels';
import { microhubSettings, type MicrohubSettings } from '../../lib/domain/hubs/model';
import type { Logger } from '../../lib/logger';
import { type PubSub } from '../../lib/pubsub';
import { SECOND } from '../../lib/units';
import type { JobDefinition } from '../types';
import { createHubController, type HubController } from './controller';
import { createControllerState } from './controllerState';

export const MICROHUBS_CONTROLLER_TASK = 'microhubs_controller';

export interface MicrohubsControllerJobOptions {
  /** Default: the MICROHUB_* settings of the process's configuration. */
  settings?: Pick<MicrohubSettings, 'reopenFreeRatio'>;
  now?: () => Date;
  /** Run right after each import tick (default true); the 30 s schedule runs in any case. */
  followImports?: boolean;
}

/** The import tick's `vehicles.updated` payload: `{ at, feeds, vehicles, events }`. */
function importTime(payload: unknown): Date | undefined {
  const at = (payload as { at?: unknown } | null)?.at;
  const date = typeof at === 'string' ? new Date(at) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/**
 * `microhubs_controller`: every 30 s, counts the parked vehicles in every active hub, opens and
 * closes hubs by the rules (lib/domain/hubs/rules.ts), records each change in the status
 * history and publishes it once (controller.ts). It also runs as soon as an import tick ends: the
 * first jobs process to hear `vehicles.updated` makes the schedule due now, so positions are
 * counted within a second of being imported, once, however many runners listen.
 */
export function createMicrohubsControllerJob(
  options: MicrohubsControllerJobOptions = {},
): JobDefinition {
  const controllers = new WeakMap<Db, HubController>();
  const running = new WeakSet<Db>();
  const following = new WeakSet<PubSub>();

  const followImports = async (db: Db, pubsub: PubSub, logger: Logger): Promise<void> => {
    if (following.has(pubsub)) return;
    following.add(pubsub);
    await pubsub.subscribe(channels.vehiclesUpdated, (payload) => {
      const at = importTime(payload);
      if (!at) return;
      createControllerState(db)
        .triggerAfterImport(at, MICROHUBS_CONTROLLER_TASK)
        .catch((err: unknown) => logger.warn({ err }, 'could not trigger the hub controller'));
    });
  };

  return {
    task: MICROHUBS_CONTROLLER_TASK,
    description: 'Count parked vehicles in every hub, open and close hubs, publish each change',
    defaultIntervalMs: 30 * SECOND,
    maxAttempts: 2,
    async run({ db, pubsub, logger, config }) {
      if (options.followImports !== false) await followImports(db, pubsub, logger);
      if (running.has(db)) {
        logger.warn('the previous hub count is still running in this process; tick skipped');
        return { rows: 0 };
      }
      let controller = controllers.get(db);
      if (!controller) {
        controller = createHubController({
          db,
          pubsub,
          logger,
          settings: options.settings ?? microhubSettings(config),
          now: options.now,
        });
        controllers.set(db, controller);
      }
      running.add(db);
      try {
        const report = await controller.tick();
        logger.debug(
          {
            hubs: report.hubs,
            vehicles: report.vehicles,
            changes: report.changes,
            statusEvents: report.statusEvents,
            ms: Math.round(report.durationMs),
          },
          'hubs counted',
        );
        return { rows: report.changes };
      } finally {
        running.delete(db);
      }
    },
  };
}

export const microhubsController = createMicrohubsControllerJob();
