import { Counter, Gauge, Histogram } from 'prom-client';
import { BoundedLabel, metricsRegistry } from '../lib/observability/metrics';

/**
 * The job runner's and the importer's metrics. Task names come from the job registry (a fixed
 * list); feed ids from the feeds table, capped so a runaway feed list cannot grow the registry.
 */

const jobRuns = new Counter({
  name: 'job_runs_total',
  help: 'Job attempts finished, by task and outcome (succeeded, failed), as written to job_runs',
  labelNames: ['task', 'outcome'],
  registers: [metricsRegistry],
});
const jobDuration = new Histogram({
  name: 'job_run_duration_seconds',
  help: 'Job attempts from start to finish, by task',
  labelNames: ['task'],
  buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 1800],
  registers: [metricsRegistry],
});

export function recordJobRun(task: string, outcome: 'succeeded' | 'failed', seconds: number): void {
  jobRuns.inc({ task, outcome });
  jobDuration.observe({ task }, seconds);
}

const tickDuration = new Histogram({
  name: 'importer_tick_duration_seconds',
  help: 'Imports (a whole tick, or one import_feed_group job of a fanned-out tick) from start to finish',
  buckets: [0.25, 1, 2.5, 5, 10, 20, 30, 60],
  registers: [metricsRegistry],
});
const feedOutcome = new Gauge({
  name: 'importer_feed_outcome',
  help: 'Per feed, 1 for the outcome of its last import (ACCEPTED, DOWN, STALE, EMPTY, VEHICLE_DROP, SKIPPED, RETIRED, BUSY)',
  labelNames: ['feed', 'outcome'],
  registers: [metricsRegistry],
});
const feedVehicles = new Gauge({
  name: 'importer_feed_vehicles',
  help: 'Vehicles listed by each feed in its last import',
  labelNames: ['feed'],
  registers: [metricsRegistry],
});
const feedRead = new Gauge({
  name: 'importer_feed_read_seconds',
  help: 'How long reading each feed took in its last import',
  labelNames: ['feed'],
  registers: [metricsRegistry],
});
const feedsByOutcome = new Gauge({
  name: 'importer_feeds',
  help: 'Feeds by the outcome of their import in the last tick',
  labelNames: ['outcome'],
  registers: [metricsRegistry],
});

const feedLabel = new BoundedLabel(500);

/** What one import tick reports (jobs/importer/importer.ts's TickReport). */
export interface ImportTickFigures {
  feeds: readonly { feedId: string; outcome: string; vehicles: number; readMs: number }[];
}

type FeedFigures = ImportTickFigures['feeds'][number];

/** Each feed's last import in this process, and when (wall clock, ms). */
const lastImports = new Map<string, { feed: FeedFigures; at: number }>();
/** A feed not imported here for this long was moved to another runner (or deleted): dropped. */
const FEED_FORGOTTEN_MS = 2 * 60_000;

/**
 * A tick's (or one job of a fanned-out tick's) duration, and each feed's state as of its last
 * import in this process. `partial`: the report covers some feeds only (one import_feed_group
 * job): the others keep their figures until they are imported elsewhere for 2 minutes. Otherwise
 * feeds not in the report drop out.
 */
export function recordImportTick(
  report: ImportTickFigures,
  seconds: number,
  partial = false,
): void {
  tickDuration.observe(seconds);
  const now = Date.now();
  if (!partial) lastImports.clear();
  for (const feed of report.feeds) lastImports.set(feed.feedId, { feed, at: now });
  for (const [feedId, last] of lastImports) {
    if (now - last.at > FEED_FORGOTTEN_MS) lastImports.delete(feedId);
  }
  feedOutcome.reset();
  feedVehicles.reset();
  feedRead.reset();
  feedsByOutcome.reset();
  const counts = new Map<string, number>();
  for (const { feed } of lastImports.values()) {
    const label = feedLabel.value(feed.feedId);
    feedOutcome.set({ feed: label, outcome: feed.outcome }, 1);
    feedVehicles.set({ feed: label }, feed.vehicles);
    feedRead.set({ feed: label }, feed.readMs / 1000);
    counts.set(feed.outcome, (counts.get(feed.outcome) ?? 0) + 1);
  }
  for (const [outcome, count] of counts) feedsByOutcome.set({ outcome }, count);
}
