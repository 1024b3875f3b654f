/**
 * `npm run bench:importer [-- --only 100k|1m] [--ticks N] [--step-ms MS]`
 *
 * The importer's real code path (jobs/importer/importer.ts, as the import_feeds job runs it) against
 * the feed simulator: 20 operators (GBFS 2.3, GBFS 3.0 and MDS 2.0 feeds, some with rotating ids)
 * with 100 000 vehicles, then 1 000 000, over real HTTP into a fresh PostgreSQL database. The
 * simulator runs in a child process, as an operator's server would run elsewhere; its clock moves
 * `--step-ms` (default 60 s, late afternoon) per tick, which changes about 2 % of the vehicles.
 * Prints a table and, as its last line, one JSON object with the figures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import pino from 'pino';
import { createImporter, type TickReport } from '../jobs/importer/importer';
import { importerSettings, type ImporterSettings } from '../jobs/importer/settings';
import { loadConfig } from '../lib/config';
import { createDb, type Db } from '../lib/db';
import type { FeedType } from '../lib/domain/fleet';
import type { FormFactor } from '../lib/domain/formFactors';
import { migrateLatest } from '../lib/migrate';
import { InProcessPubSub } from '../lib/pubsub';
import { MINUTE, SECOND } from '../lib/units';
import { seed } from '../seeds';
import { createFeedSimulator, type FeedUrls, type OperatorOptions } from '../simulator';
import { percentile } from './cli';
import { benchServer } from './database';

const FEEDS = 20;
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

class SimulatorProcess {
  private readonly child: ChildProcess;
  private waiting: ((message: FromChild) => void) | undefined;

  constructor() {
    this.child = fork(__filename, ['--simulator-child'], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: FromChild) => this.waiting?.(message));
  }

  request<T extends FromChild['type']>(
    message: ToChild,
    expected: T,
  ): Promise<Extract<FromChild, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`simulator: no ${expected}`)), 5 * MINUTE);
      this.waiting = (reply) => {
        clearTimeout(timer);
        if (reply.type === expected) resolve(reply as Extract<FromChild, { type: T }>);
        else reject(new Error(`simulator: expected ${expected}, got ${reply.type}`));
      };
      this.child.send(message);
    });
  }
}

interface Variant {
  name: string;
  vehicles: number;
  ticks: number;
}

interface VariantResult {
  name: string;
  feeds: number;
  vehicles: number;
  ticks: number;
  firstTickMs: number;
  restartTickMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  vehiclesPerSecond: number;
  eventsPerTick: number;
  eventsPerSecond: number;
  changedPercent: number;
  importerCpuMsPerTick: number;
  simulatorCpuMsPerTick: number;
  readMsP50: number;
  commitMsP50: number;
  importerPeakRssMb: number;
  simulatorPeakRssMb: number;
}

/** Feed i: a mix of GBFS 2.3 (every third with rotating ids), GBFS 3.0 and MDS. */
function feedOf(i: number): { type: FeedType; version: keyof FeedUrls; rotatingIds: boolean } {
  if (i % 4 === 3) return { type: 'MDS_VEHICLES', version: 'mds', rotatingIds: false };
  if (i % 2 === 1) return { type: 'GBFS3_VEHICLE_STATUS', version: 'gbfs30', rotatingIds: false };
  return { type: 'GBFS_DISCOVERY', version: 'gbfs23', rotatingIds: i % 3 === 0 };
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

async function runVariant(
  adminUrl: string,
  variant: Variant,
  stepMs: number,
  settings: ImporterSettings,
): Promise<VariantResult> {
  const logger = pino({ level: 'silent' });
  const name = `bench_importer_${process.pid}_${randomBytes(3).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`create database "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db: Db = createDb(url.toString(), { poolMax: 12, applicationName: 'mobility:bench' });
  const simulator = new SimulatorProcess();
  const pubsub = new InProcessPubSub();
  try {
    await migrateLatest(db, logger);
    await seed(db, pubsub, logger, { demo: false });

    const perFeed = Math.floor(variant.vehicles / FEEDS);
    const operators: OperatorOptions[] = Array.from({ length: FEEDS }, (_, i) => ({
      id: `operator-${i}`,
      name: `Operator ${i}`,
      vehicles: perFeed,
      formFactor: FORM_FACTORS[i % FORM_FACTORS.length] ?? 'BICYCLE',
      rotatingIds: feedOf(i).rotatingIds,
    }));
    const started = await simulator.request({ type: 'start', operators }, 'started');
    let simulatedNow = started.nowMs;
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

    // The job's code path: one importer per process, kept across ticks.
    const newImporter = () =>
      createImporter({
        db,
        pubsub,
        logger,
        settings: { ...settings, feedTimeoutMs: 60 * SECOND },
        now: () => new Date(simulatedNow),
      });
    let importer = newImporter();
    const timed = async (): Promise<{ ms: number; report: TickReport }> => {
      const t = performance.now();
      const report = await importer.tick();
      return { ms: performance.now() - t, report };
    };

    const first = await timed();
    const ticks: { ms: number; report: TickReport }[] = [];
    let importerCpuMs = 0;
    const simulatorCpuMs: number[] = [];
    for (let i = 0; i < variant.ticks; i += 1) {
      const advanced = await simulator.request({ type: 'advance', ms: stepMs }, 'advanced');
      simulatedNow = advanced.nowMs;
      const cpu = process.cpuUsage();
      ticks.push(await timed());
      importerCpuMs += cpuMs(process.cpuUsage(cpu));
      simulatorCpuMs.push(advanced.cpuMs);
      process.stderr.write(`${Math.round(ticks.at(-1)?.ms ?? 0)} `);
    }
    process.stderr.write('\n');
    // A restart: a new importer loads every feed's state from the database in its first tick.
    importer = newImporter();
    simulatedNow = (await simulator.request({ type: 'advance', ms: stepMs }, 'advanced')).nowMs;
    const afterRestart = await timed();
    const times = ticks.map((t) => t.ms);
    const totalMs = times.reduce((a, b) => a + b, 0);
    const vehicles = ticks.reduce((sum, t) => sum + t.report.vehicles, 0);
    const events = ticks.reduce((sum, t) => sum + t.report.events, 0);
    const changed = ticks.reduce(
      (sum, t) => sum + t.report.feeds.reduce((s, f) => s + f.changedVehicles, 0),
      0,
    );
    const feedReports = ticks.flatMap((t) => t.report.feeds);
    const readMs = feedReports.map((f) => f.readMs);
    const commitMs = feedReports.map((f) => f.commitMs);
    const stopped = await simulator.request({ type: 'stop' }, 'stopped');
    return {
      name: variant.name,
      feeds: FEEDS,
      vehicles: first.report.vehicles,
      ticks: ticks.length,
      firstTickMs: Math.round(first.ms),
      restartTickMs: Math.round(afterRestart.ms),
      p50Ms: Math.round(percentile(times, 50)),
      p95Ms: Math.round(percentile(times, 95)),
      maxMs: Math.round(Math.max(...times)),
      vehiclesPerSecond: Math.round(vehicles / (totalMs / 1000)),
      eventsPerTick: Math.round(events / ticks.length),
      eventsPerSecond: Math.round(events / (totalMs / 1000)),
      changedPercent: Math.round((1000 * changed) / Math.max(1, vehicles)) / 10,
      importerCpuMsPerTick: Math.round(importerCpuMs / ticks.length),
      // Advancing the simulation and serving one tick's feeds, between two advances.
      simulatorCpuMsPerTick: Math.round(
        ((simulatorCpuMs.at(-1) ?? 0) - (simulatorCpuMs[0] ?? 0)) /
          Math.max(1, simulatorCpuMs.length - 1),
      ),
      readMsP50: Math.round(percentile(readMs, 50)),
      commitMsP50: Math.round(percentile(commitMs, 50)),
      importerPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      simulatorPeakRssMb: Math.round(stopped.maxRssKb / 1024),
    };
  } finally {
    await pubsub.close();
    await db.destroy();
    await withAdmin(adminUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
  }
}

function table(results: VariantResult[]): string {
  const rows: [string, (r: VariantResult) => string][] = [
    ['vehicles', (r) => r.vehicles.toLocaleString('en')],
    ['feeds', (r) => String(r.feeds)],
    ['measured ticks', (r) => String(r.ticks)],
    ['first tick (all check-ins)', (r) => `${(r.firstTickMs / 1000).toFixed(2)} s`],
    ['tick after a restart (loads state)', (r) => `${(r.restartTickMs / 1000).toFixed(2)} s`],
    ['tick p50', (r) => `${r.p50Ms} ms`],
    ['tick p95', (r) => `${r.p95Ms} ms`],
    ['tick max', (r) => `${r.maxMs} ms`],
    ['vehicles / s', (r) => r.vehiclesPerSecond.toLocaleString('en')],
    ['vehicles changed per tick', (r) => `${r.changedPercent} %`],
    ['events per tick', (r) => r.eventsPerTick.toLocaleString('en')],
    ['events / s', (r) => r.eventsPerSecond.toLocaleString('en')],
    ['importer CPU per tick', (r) => `${r.importerCpuMsPerTick} ms`],
    ['simulator CPU per tick (child)', (r) => `${r.simulatorCpuMsPerTick} ms`],
    ['feed read p50 (fetch + validate)', (r) => `${r.readMsP50} ms`],
    ['feed commit p50', (r) => `${r.commitMsP50} ms`],
    ['peak RSS importer', (r) => `${r.importerPeakRssMb} MB`],
    ['peak RSS simulator (child)', (r) => `${r.simulatorPeakRssMb} MB`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const header = ['', ...results.map((r) => r.name)];
  const lines = [
    header.map((h, i) => (i === 0 ? ''.padEnd(width) : h.padStart(14))).join(' | '),
    ['-'.repeat(width), ...results.map(() => '-'.repeat(14))].join('-|-'),
    ...rows.map(([label, value]) =>
      [label.padEnd(width), ...results.map((r) => value(r).padStart(14))].join(' | '),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const only = option('--only');
  const stepMs = Number(option('--step-ms') ?? MINUTE);
  const ticksOption = option('--ticks');
  const variants: Variant[] = [
    { name: '100k', vehicles: 100_000, ticks: Number(ticksOption ?? 40) },
    { name: '1M', vehicles: 1_000_000, ticks: Number(ticksOption ?? 8) },
  ].filter((v) => !only || v.name.toLowerCase() === only.toLowerCase());

  const loadAtStart = loadavg()[0] ?? 0;
  const config = loadConfig();
  const { adminUrl, stop: stopEmbedded } = await benchServer(config);
  try {
    const results: VariantResult[] = [];
    for (const variant of variants) {
      process.stderr.write(`${variant.name}: ${variant.ticks} ticks `);
      results.push(await runVariant(adminUrl, variant, stepMs, importerSettings(config)));
    }
    const machine = {
      cpus: cpus().length,
      node: process.version,
      nodeFlags: process.execArgv.filter((a) => a !== '--import' && a !== 'tsx'),
      loadAverageAtStart: Math.round(loadAtStart * 100) / 100,
    };
    process.stdout.write(
      `\nimporter bench: ${FEEDS} simulated feeds over real HTTP into PostgreSQL; ${machine.cpus} CPUs (load ${machine.loadAverageAtStart} at start), node ${machine.node} ${machine.nodeFlags.join(' ')}; simulated clock +${stepMs / 1000} s per tick\n\n`,
    );
    process.stdout.write(table(results));
    process.stdout.write(
      `${JSON.stringify({ bench: 'importer', ...machine, stepMs, variants: results })}\n`,
    );
  } finally {
    await stopEmbedded();
  }
}

if (process.argv.includes('--simulator-child')) {
  runSimulatorChild();
} else {
  main().catch((err: unknown) => {
    process.stderr.write(
      `error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
