import { createImporter, type FeedReader, type Importer, type TickReport } from './importer';
import { importerSettings, type ImporterSettings } from './settings';
import type { Db } from '../../lib/db';
import { channels } from '../../lib/domain/channels';
import { SECOND } from '../../lib/units';
import { recordImportTick } from '../metrics';
import type { JobContext, JobDefinition } from '../types';
import {
  enqueueGroups,
  finishGroup,
  IMPORT_FEED_GROUP_TASK,
  loadFeedLoads,
  planGroups,
  type FeedGroupPayload,
} from './fanOut';

/** What the import jobs did, for a bench or a test watching them (see ImportFeedsJobOptions). */
export type ImportObservation =
  | { kind: 'fanned-out'; tick: string; jobs: number; at: number }
  | { kind: 'imported'; tick: string | null; report: TickReport; at: number }
  | { kind: 'failed'; tick: string | null; error: string; at: number };

export interface ImportFeedsJobOptions {
  /** Default: the IMPORTER_* settings of the process's configuration. */
  settings?: ImporterSettings;
  now?: () => Date;
  read?: FeedReader;
  /** Told what each run did (`at`: wall-clock ms when it was done). */
  observe?: (observation: ImportObservation) => void;
}

/**
 * `import_feeds` (every 30 s) and `import_feed_group` (queued by it). A tick with no more than
 * IMPORTER_GROUP_VEHICLES vehicles, or run outside a job runner, is imported by the ticking job
 * itself: every active feed read in parallel, each feed's events committed in one transaction
 * (importer/importer.ts). A larger one fans out (fanOut.ts): one `import_feed_group` job per feed
 * or group of small feeds, each meant for the live runner that imported it last, so any number
 * of runners share a tick through PostgreSQL and a slow feed holds up its own job only. Each
 * process keeps the state of the feeds it imports in memory (reloaded when another one committed
 * the feed since); a feed's lease keeps two importers from reading it at once, and its version
 * from committing one snapshot twice. The last job of a tick publishes `vehicles.updated`.
 */
export function createImportFeedsJobs(options: ImportFeedsJobOptions = {}): JobDefinition[] {
  const importers = new WeakMap<Db, Importer>();
  const observe = options.observe ?? (() => undefined);

  const importerFor = ({ db, pubsub, logger, config, worker }: JobContext): Importer => {
    let importer = importers.get(db);
    if (!importer) {
      importer = createImporter({
        db,
        pubsub,
        logger,
        settings: options.settings ?? importerSettings(config),
        now: options.now,
        read: options.read,
        owner: worker?.id,
      });
      importers.set(db, importer);
    }
    return importer;
  };

  const logged = (
    context: JobContext,
    report: TickReport,
    started: number,
    partial: boolean,
  ): void => {
    recordImportTick(report, (performance.now() - started) / 1000, partial);
    context.logger.debug(
      {
        feeds: report.feeds.length,
        vehicles: report.vehicles,
        events: report.events,
        ms: Math.round(performance.now() - started),
      },
      'feeds imported',
    );
  };

  const tick: JobDefinition = {
    task: 'import_feeds',
    description: 'Read every active feed, diff it with its previous snapshot, store the events',
    defaultIntervalMs: 30 * SECOND,
    maxAttempts: 2,
    async run(context) {
      const { db, config, worker } = context;
      const settings = options.settings ?? importerSettings(config);
      if (worker) {
        const groups = planGroups(await loadFeedLoads(db), worker.live(), settings.groupVehicles);
        if (groups.length > 1) {
          const at = new Date();
          await enqueueGroups(db, worker, at, groups);
          observe({
            kind: 'fanned-out',
            tick: at.toISOString(),
            jobs: groups.length,
            at: Date.now(),
          });
          return { rows: 0 };
        }
      }
      const started = performance.now();
      try {
        const report = await importerFor(context).tick(context.logger);
        logged(context, report, started, false);
        observe({ kind: 'imported', tick: null, report, at: Date.now() });
        return { rows: report.events };
      } catch (err) {
        observe({ kind: 'failed', tick: null, error: String(err), at: Date.now() });
        throw err;
      }
    },
  };

  const group: JobDefinition = {
    task: IMPORT_FEED_GROUP_TASK,
    description: 'Import some feeds of a fanned-out import_feeds tick',
    // Never scheduled: import_feeds queues it. A failed job is not retried, the next tick is.
    scheduled: false,
    defaultIntervalMs: 30 * SECOND,
    maxAttempts: 1,
    async run(context) {
      const { db, pubsub } = context;
      const payload = context.payload as FeedGroupPayload;
      const tickAt = new Date(payload.tick);
      const started = performance.now();
      let report: TickReport | undefined;
      try {
        report = await importerFor(context).importFeeds(payload.feedIds, context.logger);
        logged(context, report, started, true);
        observe({ kind: 'imported', tick: payload.tick, report, at: Date.now() });
        return { rows: report.events };
      } catch (err) {
        observe({ kind: 'failed', tick: payload.tick, error: String(err), at: Date.now() });
        throw err;
      } finally {
        const totals = await finishGroup(db, tickAt, {
          feeds: report?.feeds.length ?? 0,
          vehicles: report?.vehicles ?? 0,
          events: report?.events ?? 0,
        });
        if (totals) {
          await pubsub.publish(channels.vehiclesUpdated, { at: payload.tick, ...totals });
        }
      }
    },
  };
  return [tick, group];
}

/** The ticking job alone, as tests and benches run it outside a runner (it never fans out there). */
export function createImportFeedsJob(options: ImportFeedsJobOptions = {}): JobDefinition {
  const [tick] = createImportFeedsJobs(options);
  if (!tick) throw new Error('import_feeds is missing');
  return tick;
}
