/**
 * `npm run bench:importer -- [--vehicles N] [--workers N] [--feeds N] [--ticks N] [--step-ms MS]`
 *
 * The import tick as production runs it: `jobs` runner processes (graphile-worker, the real
 * `import_feeds` and `import_feed_group` jobs) against the feed simulator, over real HTTP into a
 * fresh PostgreSQL database. `--feeds` operators (GBFS 2.3, GBFS 3.0 and MDS 2.0 feeds, some with
 * rotating ids; default 20 up to 500 000 vehicles, else 50) share `--vehicles` (default 100 000).
 * The simulator runs in a child process, as an operator's server would run elsewhere; its clock
 * moves `--step-ms` (default 60 s, late afternoon) per tick, which changes about 1 % of the
 * vehicles. The same run measures one runner, then `--workers` runners (when more than one) on the
 * database the first left: each variant's first tick is not measured (the first one of all checks
 * every vehicle in, the later ones load the feeds' state into fresh processes).
 *
 * A tick is timed end to end: from queueing `import_feeds` until the last feed of the tick has
 * committed. Per-stage times are summed over the feeds of a tick (fetch, JSON parse, validation
 * with checks and normalising, diff, zone lookups, commit). Prints a table and, as its last line,
 * one JSON object with the figures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import pino from 'pino';
import { createImportFeedsJobs, type ImportObservation } from '../jobs/importer/importFeeds';
import type { FeedTickReport } from '../jobs/importer/importer';
import { importerSettings } from '../jobs/importer/settings';
import { createJobRunner } from '../jobs/runner';
import { loadConfig } from '../lib/config';
import { createDb, type Db } from '../lib/db';
import type { FeedType } from '../lib/domain/fleet';
import type { FormFactor } from '../lib/domain/formFactors';
import { defaultScheduleRow } from '../lib/domain/jobSchedules';
import { migrateLatest } from '../lib/migrate';
import { InProcessPubSub } from '../lib/pubsub';
import { MINUTE, SECOND } from '../lib/units';
import { seed } from '../seeds';
import { createFeedSimulator, type FeedUrls, type OperatorOptions } from '../simulator';
import { numberOption, percentile, runBench } from './cli';
import { benchServer } from './database';

const FORM_FACTORS: FormFactor[] = ['BICYCLE', 'SCOOTER_STANDING', 'MOPED', 'CARGO_BICYCLE'];
/** 17:00 in Amsterdam: a busy hour. */
const START_TIME = '2026-11-23T16:00:00Z';
const SEED = 42;

type ToChild =
  | { type: 'start'; operators: OperatorOptions[] }
  | { type: 'advance'; ms: number }
  | { type: 'stop' };
type FromChild =
  | { type: 'started'; urls: Record<string, FeedUrls>; nowMs: number }
  | { type: 'advanced'; nowMs: number; cpuMs: number }
  | { type: 'stopped'; maxRssKb: number };

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/** The child: a simulator on a free port, driven by messages from the bench. */
function runSimulatorChild(): void {
  process.on('disconnect', () => process.exit(0));
  let simulator: ReturnType<typeof createFeedSimulator> | undefined;
  const reply = (message: FromChild) => process.send?.(message);
  process.on('message', (message: ToChild) => {
    void (async () => {
      switch (message.type) {
        case 'start': {
          simulator = createFeedSimulator({
            operators: message.operators,
            seed: SEED,
            startTime: new Date(START_TIME),
          });
          await simulator.start(0, '127.0.0.1');
          const current = simulator;
          const urls = Object.fromEntries(
            message.operators.map((o) => [o.id, current.feedUrls(o.id)]),
          );
          reply({ type: 'started', urls, nowMs: simulator.now().getTime() });
          break;
        }
        case 'advance':
          simulator?.advance(message.ms);
          reply({
            type: 'advanced',
            nowMs: simulator?.now().getTime() ?? 0,
            cpuMs: cpuMs(process.cpuUsage()),
          });
          break;
        case 'stop':
          await simulator?.stop();
          reply({ type: 'stopped', maxRssKb: process.resourceUsage().maxRSS });
          process.disconnect();
          break;
      }
    })();
  });
}

/**
 * A child process of this script, answering one request at a time over IPC; every message also
 * goes to `onMessage`. Worker children run with the flags of `npm run start:jobs`.
 */
class ChildRequests<Request, Reply extends { type: string }> {
  private readonly child: ChildProcess;
  private waiting: ((message: Reply) => void) | undefined;

  constructor(
    private readonly name: string,
    args: string[],
    onMessage: (message: Reply) => void = () => undefined,
  ) {
    this.child = fork(__filename, args, {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      execArgv: [...process.execArgv, '--max-semi-space-size=64'],
    });
    this.child.on('message', (message: Reply) => {
      onMessage(message);
      this.waiting?.(message);
    });
  }

  request<T extends Reply['type']>(
    message: Request,
    expected: T,
  ): Promise<Extract<Reply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no ${expected}`)), 5 * MINUTE);
      this.waiting = (reply) => {
        if (reply.type !== expected) return;
        this.waiting = undefined;
        clearTimeout(timer);
        resolve(reply as Extract<Reply, { type: T }>);
      };
      this.child.send(message as object);
    });
  }
}

type ToWorker =
  { type: 'start'; url: string } | { type: 'clock'; nowMs: number } | { type: 'stop' };
type FromWorker =
  | { type: 'started' }
  | { type: 'clocked'; cpuMs: number }
  | { type: 'observed'; observation: ImportObservation }
  | { type: 'stopped'; maxRssKb: number; cpuMs: number };

/** A worker child: one `jobs` runner with the import jobs, its clock set by the bench. */
function runWorkerChild(): void {
  // The bench is gone (finished or failed): so is this runner.
  process.on('disconnect', () => process.exit(0));
  let nowMs = 0;
  let stop: (() => Promise<void>) | undefined;
  const reply = (message: FromWorker) => process.send?.(message);
  process.on('message', (message: ToWorker) => {
    void (async () => {
      switch (message.type) {
        case 'start': {
          const config = loadConfig();
          const logger = pino({ level: 'silent' });
          const db = createDb(message.url, { poolMax: 16, applicationName: 'mobility:bench' });
          const pubsub = new InProcessPubSub();
          const runner = createJobRunner({
            databaseUrl: message.url,
            db,
            pubsub,
            logger,
            config,
            jobs: createImportFeedsJobs({
              settings: { ...importerSettings(config), feedTimeoutMs: 60 * SECOND },
              now: () => new Date(nowMs),
              observe: (observation) => reply({ type: 'observed', observation }),
            }),
            concurrency: config.JOBS_CONCURRENCY,
            schedulerIntervalMs: config.JOBS_SCHEDULER_INTERVAL_MS,
          });
          await runner.start();
          stop = async () => {
            await runner.stop();
            await pubsub.close();
            await db.destroy();
          };
          reply({ type: 'started' });
          break;
        }
        case 'clock':
          nowMs = message.nowMs;
          reply({ type: 'clocked', cpuMs: cpuMs(process.cpuUsage()) });
          break;
        case 'stop':
          await stop?.();
          reply({
            type: 'stopped',
            maxRssKb: process.resourceUsage().maxRSS,
            cpuMs: cpuMs(process.cpuUsage()),
          });
          process.disconnect();
          break;
      }
    })();
  });
}

/** The observations of the tick under way; done when every job it fanned out into has reported. */
class TickWatch {
  private observations: ImportObservation[] = [];
  private wake: (() => void) | undefined;

  add(observation: ImportObservation): void {
    this.observations.push(observation);
    this.wake?.();
  }

  private complete(): ImportObservation[] | null {
    const failed = this.observations.find((o) => o.kind === 'failed');
    if (failed?.kind === 'failed') throw new Error(`an import job failed: ${failed.error}`);
    const single = this.observations.find((o) => o.kind === 'imported' && o.tick === null);
    if (single) return [single];
    const fanned = this.observations.find((o) => o.kind === 'fanned-out');
    if (fanned?.kind !== 'fanned-out') return null;
    const jobs = this.observations.filter((o) => o.kind === 'imported' && o.tick === fanned.tick);
    return jobs.length >= fanned.jobs ? [fanned, ...jobs] : null;
  }

  async next(): Promise<ImportObservation[]> {
    // A million vehicles checking in on a busy machine take minutes.
    const deadline = Date.now() + 20 * MINUTE;
    for (;;) {
      const done = this.complete();
      if (done) {
        this.observations = [];
        return done;
      }
      if (Date.now() > deadline) throw new Error('a tick did not finish within 20 minutes');
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, SECOND);
      });
    }
  }
}

const STAGES = ['fetchMs', 'parseMs', 'validateMs', 'diffMs', 'zonesMs', 'commitMs'] as const;
type Stage = (typeof STAGES)[number];

interface TickFigures {
  ms: number;
  jobs: number;
  vehicles: number;
  events: number;
  changed: number;
  /** Feeds whose state was loaded from the database (moved to another runner, or a restart). */
  loads: number;
  stages: Record<Stage, number>;
}

function figures(ms: number, observations: ImportObservation[]): TickFigures {
  const feeds: FeedTickReport[] = observations.flatMap((o) =>
    o.kind === 'imported' ? o.report.feeds : [],
  );
  const stages = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  for (const f of feeds) {
    stages.fetchMs += f.fetchMs;
    stages.parseMs += f.parseMs;
    stages.validateMs += Math.max(0, f.readMs - f.fetchMs - f.parseMs);
    stages.diffMs += f.diffMs;
    stages.zonesMs += f.zonesMs;
    stages.commitMs += f.commitMs;
  }
  return {
    ms,
    jobs: observations.filter((o) => o.kind === 'imported').length,
    vehicles: feeds.reduce((sum, f) => sum + (f.outcome === 'ACCEPTED' ? f.vehicles : 0), 0),
    events: feeds.reduce((sum, f) => sum + f.events, 0),
    changed: feeds.reduce((sum, f) => sum + f.changedVehicles, 0),
    loads: feeds.filter((f) => f.stateLoaded).length,
    stages,
  };
}

interface VariantResult {
  workers: number;
  ticks: number;
  firstTickMs: number;
  tickP50Ms: number;
  tickP95Ms: number;
  tickMaxMs: number;
  jobsPerTick: number;
  vehicles: number;
  changedPercent: number;
  eventsPerTick: number;
  rowsWrittenPerTick: number;
  stateLoadsPerTick: number;
  /** Summed over a tick's feeds, median over the ticks. */
  stageMs: Record<Stage, number>;
  workerPeakRssMb: number[];
  workerCpuMsPerTick: number[];
  simulatorCpuMsPerTick: number;
}

/** Feed i: a mix of GBFS 2.3 (every third with rotating ids), GBFS 3.0 and MDS. */
function feedOf(i: number): { type: FeedType; version: keyof FeedUrls; rotatingIds: boolean } {
  if (i % 4 === 3) return { type: 'MDS_VEHICLES', version: 'mds', rotatingIds: false };
  if (i % 2 === 1) return { type: 'GBFS3_VEHICLE_STATUS', version: 'gbfs30', rotatingIds: false };
  return { type: 'GBFS_DISCOVERY', version: 'gbfs23', rotatingIds: i % 3 === 0 };
}

const median = (values: number[]) => Math.round(percentile(values, 50));

async function runVariant(
  db: Db,
  url: string,
  simulator: ChildRequests<ToChild, FromChild>,
  workerCount: number,
  ticks: number,
  stepMs: number,
): Promise<VariantResult> {
  const watch = new TickWatch();
  const workers = Array.from(
    { length: workerCount },
    () =>
      new ChildRequests<ToWorker, FromWorker>('worker', ['--worker-child'], (message) => {
        if (message.type === 'observed') watch.add(message.observation);
      }),
  );
  await Promise.all(workers.map((w) => w.request({ type: 'start', url }, 'started')));
  // Every runner has seen the others' heartbeat (5 s apart) before the first tick is planned.
  await new Promise((resolve) => setTimeout(resolve, 6 * SECOND));
  const measured: TickFigures[] = [];
  const simulatorCpu: number[] = [];
  let firstTickMs = 0;
  // Each runner's CPU when the measured ticks begin (the first tick, checking every vehicle in
  // or loading the feeds' state, is left out like its time).
  let cpuAfterFirstTick: number[] = [];
  for (let i = 0; i <= ticks; i += 1) {
    const advanced = await simulator.request({ type: 'advance', ms: stepMs }, 'advanced');
    simulatorCpu.push(advanced.cpuMs);
    const clocked = await Promise.all(
      workers.map((w) => w.request({ type: 'clock', nowMs: advanced.nowMs }, 'clocked')),
    );
    if (i === 1) cpuAfterFirstTick = clocked.map((c) => c.cpuMs);
    const started = Date.now();
    await db.raw(
      `select graphile_worker.add_job('import_feeds', json_build_object('tickAt', now()), max_attempts => 1)`,
    );
    const observations = await watch.next();
    const end = Math.max(...observations.map((o) => o.at));
    const tick = figures(end - started, observations);
    if (i === 0) firstTickMs = tick.ms;
    else measured.push(tick);
    process.stderr.write(`${tick.ms}${i === 0 ? ' |' : ''} `);
  }
  process.stderr.write('\n');
  const stopped = await Promise.all(workers.map((w) => w.request({ type: 'stop' }, 'stopped')));
  const times = measured.map((t) => t.ms);
  const vehicles = measured[0]?.vehicles ?? 0;
  const changed = measured.reduce((sum, t) => sum + t.changed, 0);
  const events = measured.reduce((sum, t) => sum + t.events, 0);
  return {
    workers: workerCount,
    ticks: measured.length,
    firstTickMs,
    tickP50Ms: median(times),
    tickP95Ms: Math.round(percentile(times, 95)),
    tickMaxMs: Math.round(Math.max(...times)),
    jobsPerTick: median(measured.map((t) => t.jobs)),
    vehicles,
    changedPercent:
      Math.round((1000 * changed) / Math.max(1, vehicles * Math.max(1, measured.length))) / 10,
    eventsPerTick: Math.round(events / Math.max(1, measured.length)),
    rowsWrittenPerTick: Math.round((events + changed) / Math.max(1, measured.length)),
    stateLoadsPerTick:
      Math.round(
        (10 * measured.reduce((sum, t) => sum + t.loads, 0)) / Math.max(1, measured.length),
      ) / 10,
    stageMs: Object.fromEntries(
      STAGES.map((s) => [s, median(measured.map((t) => t.stages[s]))]),
    ) as Record<Stage, number>,
    workerPeakRssMb: stopped.map((s) => Math.round(s.maxRssKb / 1024)),
    workerCpuMsPerTick: stopped.map((s, w) =>
      Math.round((s.cpuMs - (cpuAfterFirstTick[w] ?? 0)) / Math.max(1, measured.length)),
    ),
    simulatorCpuMsPerTick: Math.round(
      ((simulatorCpu.at(-1) ?? 0) - (simulatorCpu[0] ?? 0)) / Math.max(1, simulatorCpu.length - 1),
    ),
  };
}

async function withAdmin<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function table(results: VariantResult[]): string {
  const ms = (value: number) => `${value.toLocaleString('en')} ms`;
  const rows: [string, (r: VariantResult) => string][] = [
    ['vehicles', (r) => r.vehicles.toLocaleString('en')],
    ['jobs per tick', (r) => String(r.jobsPerTick)],
    ['measured ticks', (r) => String(r.ticks)],
    ['first tick (not measured)', (r) => ms(r.firstTickMs)],
    ['tick p50 (end to end)', (r) => ms(r.tickP50Ms)],
    ['tick p95 (end to end)', (r) => ms(r.tickP95Ms)],
    ['tick max', (r) => ms(r.tickMaxMs)],
    ...STAGES.map((s): [string, (r: VariantResult) => string] => [
      `  ${s.replace('Ms', '')} (summed over feeds)`,
      (r) => ms(r.stageMs[s]),
    ]),
    ['vehicles changed per tick', (r) => `${r.changedPercent} %`],
    ['events per tick', (r) => r.eventsPerTick.toLocaleString('en')],
    ['rows written per tick', (r) => r.rowsWrittenPerTick.toLocaleString('en')],
    ['feed states loaded per tick', (r) => String(r.stateLoadsPerTick)],
    ['peak RSS per worker', (r) => r.workerPeakRssMb.map((v) => `${v} MB`).join(', ')],
    ['CPU per worker per tick', (r) => r.workerCpuMsPerTick.map(ms).join(', ')],
    ['simulator CPU per tick', (r) => ms(r.simulatorCpuMsPerTick)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const cell = Math.max(16, ...results.flatMap((r) => rows.map(([, value]) => value(r).length)));
  const header = results.map((r) => `${r.workers} worker${r.workers > 1 ? 's' : ''}`);
  return `${[
    [''.padEnd(width), ...header.map((h) => h.padStart(cell))].join(' | '),
    ['-'.repeat(width), ...results.map(() => '-'.repeat(cell))].join('-|-'),
    ...rows.map(([label, value]) =>
      [label.padEnd(width), ...results.map((r) => value(r).padStart(cell))].join(' | '),
    ),
  ].join('\n')}\n`;
}

async function main(): Promise<void> {
  const vehicles = numberOption('--vehicles', 100_000);
  const workers = numberOption('--workers', 1);
  const feeds = numberOption('--feeds', vehicles > 500_000 ? 50 : 20);
  const ticks = numberOption('--ticks', vehicles > 500_000 ? 5 : 20);
  const stepMs = numberOption('--step-ms', MINUTE);
  const loadAtStart = loadavg()[0] ?? 0;
  const config = loadConfig();
  const { adminUrl, stop: stopEmbedded } = await benchServer(config);
  const name = `bench_importer_${process.pid}_${randomBytes(3).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`create database "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db: Db = createDb(url.toString(), { poolMax: 2, applicationName: 'mobility:bench' });
  const simulator = new ChildRequests<ToChild, FromChild>('simulator', ['--simulator-child']);
  const pubsub = new InProcessPubSub();
  const logger = pino({ level: 'silent' });
  try {
    await migrateLatest(db, logger);
    await seed(db, pubsub, logger, { demo: false });
    const perFeed = Math.floor(vehicles / feeds);
    const operators: OperatorOptions[] = Array.from({ length: feeds }, (_, i) => ({
      id: `operator-${i}`,
      name: `Operator ${i}`,
      vehicles: perFeed,
      formFactor: FORM_FACTORS[i % FORM_FACTORS.length] ?? 'BICYCLE',
      rotatingIds: feedOf(i).rotatingIds,
    }));
    const started = await simulator.request({ type: 'start', operators }, 'started');
    await db('operators').insert(operators.map((o) => ({ id: o.id, name: o.name })));
    await db('feeds').insert(
      operators.map((o, i) => {
        const { type, version, rotatingIds } = feedOf(i);
        return {
          operator_id: o.id,
          url: started.urls[o.id]?.[version],
          type,
          rotating_ids: rotatingIds,
        };
      }),
    );
    // The bench queues the ticks itself: the schedule exists, paused, before any runner starts.
    const [tickJob] = createImportFeedsJobs();
    if (!tickJob) throw new Error('no import_feeds job');
    await db('job_schedules').insert({
      ...defaultScheduleRow(tickJob, 'UTC', new Date()),
      enabled: false,
    });

    const results: VariantResult[] = [];
    for (const count of workers > 1 ? [1, workers] : [1]) {
      process.stderr.write(`${count} worker(s): first tick | ${ticks} ticks: `);
      results.push(await runVariant(db, url.toString(), simulator, count, ticks, stepMs));
    }
    await simulator.request({ type: 'stop' }, 'stopped');
    const machine = {
      cpus: cpus().length,
      node: process.version,
      loadAverageAtStart: Math.round(loadAtStart * 100) / 100,
    };
    process.stdout.write(
      `\nimporter bench: ${vehicles.toLocaleString('en')} vehicles over ${feeds} simulated feeds over real HTTP into PostgreSQL, jobs runner processes (JOBS_CONCURRENCY ${config.JOBS_CONCURRENCY}, IMPORTER_CONCURRENCY ${config.IMPORTER_CONCURRENCY}, IMPORTER_GROUP_VEHICLES ${config.IMPORTER_GROUP_VEHICLES}); ${machine.cpus} CPUs (load ${machine.loadAverageAtStart} at start), node ${machine.node}; simulated clock +${stepMs / 1000} s per tick\n\n`,
    );
    process.stdout.write(table(results));
    const last = results.at(-1);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'importer',
        vehicles,
        feeds,
        workers,
        tick_p50_ms: last?.tickP50Ms,
        tick_p95_ms: last?.tickP95Ms,
        one_worker_tick_p50_ms: results[0]?.tickP50Ms,
        one_worker_tick_p95_ms: results[0]?.tickP95Ms,
        ...machine,
        stepMs,
        variants: results,
      })}\n`,
    );
  } finally {
    await pubsub.close();
    await db.destroy();
    await withAdmin(adminUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
    await stopEmbedded();
  }
}

if (process.argv.includes('--simulator-child')) runSimulatorChild();
else if (process.argv.includes('--worker-child')) runWorkerChild();
else runBench(main);
