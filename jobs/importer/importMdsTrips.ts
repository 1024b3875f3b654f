import { createMdsTripsImporter, type TripsReader } from './mdsTrips';
import { importerSettings, type ImporterSettings } from './settings';
import type { Db } from '../../lib/db';
import { MINUTE } from '../../lib/units';
import type { JobDefinition } from '../types';

export interface ImportMdsTripsJobOptions {
  settings?: ImporterSettings;
  now?: () => Date;
  read?: TripsReader;
}

/**
 * `import_mds_trips`: the exact trips of MDS feeds (`/trips`, one UTC hour per request). Each hour
 * is imported once, after it ended `IMPORTER_MDS_TRIPS_DELAY_MS` ago; running every 15 minutes
 * (a no-op when up to date) picks up an hour the operator answered "not ready" (202) soon after.
 */
export function createImportMdsTripsJob(options: ImportMdsTripsJobOptions = {}): JobDefinition {
  const importers = new WeakMap<Db, ReturnType<typeof createMdsTripsImporter>>();
  return {
    task: 'import_mds_trips',
    description: 'Import the exact trips of MDS feeds; they replace the inferred ones',
    defaultIntervalMs: 15 * MINUTE,
    maxAttempts: 3,
    async run({ db, logger, config }) {
      let importer = importers.get(db);
      if (!importer) {
        importer = createMdsTripsImporter({
          db,
          logger,
          settings: options.settings ?? importerSettings(config),
          now: options.now,
          read: options.read,
        });
        importers.set(db, importer);
      }
      const report = await importer.run(logger);
      if (report.hours > 0) logger.info(report, 'MDS trips imported');
      return { rows: report.trips + report.superseded };
    },
  };
}

export const importMdsTrips = createImportMdsTripsJob();
