import { parseArgs } from 'node:util';
import { computeDailyReport } from '../jobs/dailyReport/compute';
import { daysBetween, isDay } from '../lib/domain/calendar';
import { openDatabase } from '../lib/bootstrap';
import { runMain } from '../lib/main';

const USAGE = 'usage: npm run report:backfill -- --from YYYY-MM-DD --to YYYY-MM-DD';
const MAX_DAYS = 3660;
const BAR_WIDTH = 30;

function progress(done: number, total: number, day: string, rows: number, startedMs: number) {
  const filled = Math.round((done / total) * BAR_WIDTH);
  const elapsed = (performance.now() - startedMs) / 1000;
  const eta = done > 0 ? (elapsed / done) * (total - done) : 0;
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total} days, ${day}: ${rows} rows, ${elapsed.toFixed(0)} s, about ${eta.toFixed(0)} s left   `,
  );
}

/**
 * `npm run report:backfill -- --from 2026-11-01 --to 2026-11-30`: computes (or recomputes) the
 * daily report for every day of a range, each day replacing its rows in one transaction, with a
 * progress bar on stderr. Safe while the jobs run: a day computed twice at once waits for itself.
 */
runMain('report:backfill', async ({ config, logger, lifecycle }) => {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' } },
  });
  const { from, to } = values;
  if (!from || !to) throw new Error(USAGE);
  if (!isDay(from)) throw new Error(`--from ${from} is not a date (YYYY-MM-DD); ${USAGE}`);
  if (!isDay(to)) throw new Error(`--to ${to} is not a date (YYYY-MM-DD); ${USAGE}`);
  if (to < from) throw new Error(`--to ${to} is before --from ${from}`);
  const days = daysBetween(from, to);
  if (days.length > MAX_DAYS)
    throw new Error(`at most ${MAX_DAYS} days at once, got ${days.length}`);
  const { db } = await openDatabase(config, logger, lifecycle, 'mobility:report-backfill');
  const started = performance.now();
  let total = 0;
  for (const [i, day] of days.entries()) {
    const rows = await computeDailyReport(db, day, config.DAILY_REPORT_TIME_ZONE);
    total += rows;
    progress(i + 1, days.length, day, rows, started);
  }
  process.stderr.write('\n');
  process.stdout.write(
    `${days.length} days (${from} to ${to}, ${config.DAILY_REPORT_TIME_ZONE}): ${total} rows in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  await lifecycle.close();
});
