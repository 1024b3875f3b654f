import { HOUR } from '../../lib/units';
import type { JobDefinition } from '../types';
import { runOdMatrix } from './odMatrix';
import { odSettings, type OdSettings } from './settings';

export interface OdMatrixJobOptions {
  /** Default: the OD_* settings of the process's configuration (from the job context). */
  settings?: OdSettings;
  now?: () => Date;
}

/**
 * `od_matrix`: every hour, computes the four-hour blocks that ended at least an hour ago and were
 * not computed yet (back to OD_CATCH_UP_DAYS, so a fresh install or a long outage catches up), and
 * recomputes blocks 1, 3, 7 and 30 days after they ended. A recompute replaces a block's rows.
 */
export function createOdMatrixJob(options: OdMatrixJobOptions = {}): JobDefinition {
  const now = options.now ?? (() => new Date());
  return {
    task: 'od_matrix',
    description: 'Origin-destination flows per four-hour block, H3 cells and zones',
    defaultIntervalMs: HOUR,
    maxAttempts: 3,
    async run({ db, logger, config }) {
      const report = await runOdMatrix(db, options.settings ?? odSettings(config), logger, now());
      return { rows: report.rows };
    },
  };
}

export const odMatrix = createOdMatrixJob();
