import { createImporter, type FeedReader, type Importer } from './importer';
import { importerSettings, type ImporterSettings } from './settings';
import type { Db } from '../../lib/db';
import { SECOND } from '../../lib/units';
import { recordImportTick } from '../metrics';
import type { JobDefinition } from '../types';

export interface ImportFeedsJobOptions {
  /** Default: the IMPORTER_* settings of the process's configuration. */
  settings?: ImporterSettings;
  now?: () => Date;
  read?: FeedReader;
}

/**
 * `import_feeds`: every 30 s, reads all active feeds in parallel and commits each feed's events in
 * one transaction (importer/importer.ts). The importer keeps each feed's state in memory between
 * ticks (reloaded from the database on start and after any failure); a tick that finds the
 * previous one of this process still running is skipped, and one running in another process at the
 * same time can't write a feed's events twice (each feed's commit checks its version).
 */
export function createImportFeedsJob(options: ImportFeedsJobOptions = {}): JobDefinition {
  const importers = new WeakMap<Db, Importer>();
  const running = new WeakSet<Db>();
  return {
    task: 'import_feeds',
    description: 'Read every active feed, diff it with its previous snapshot, store the events',
    defaultIntervalMs: 30 * SECOND,
    maxAttempts: 2,
    async run({ db, pubsub, logger, config }) {
      if (running.has(db)) {
        logger.warn('the previous import is still running in this process; tick skipped');
        return { rows: 0 };
      }
      let importer = importers.get(db);
      if (!importer) {
        importer = createImporter({
          db,
          pubsub,
          logger,
          settings: options.settings ?? importerSettings(config),
          now: options.now,
          read: options.read,
        });
        importers.set(db, importer);
      }
      running.add(db);
      try {
        const started = performance.now();
        const report = await importer.tick(logger);
        recordImportTick(report, (performance.now() - started) / 1000);
        logger.debug(
          {
            feeds: report.feeds.length,
            vehicles: report.vehicles,
            events: report.events,
            ms: Math.round(performance.now() - started),
          },
          'feeds imported',
        );
        return { rows: report.events };
      } finally {
        running.delete(db);
      }
    },
  };
}

export const importFeeds = createImportFeedsJob();
