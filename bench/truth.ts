/**
 * `npm run bench:truth [-- --hours H] [--vehicles N] [--only case,case]`
 *
 * The ground-truth comparison of test/truth.ts, bigger: the real import_feeds job against the
 * simulator (default 4 simulated hours, 400 vehicles per case) into a fresh database of the
 * PostgreSQL at DATABASE_URL (or an embedded one). Prints each case to stderr and, as its last
 * line, one JSON object with the figures the targets name.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { importerSettings } from '../jobs/importer/settings';
import { loadConfig } from '../lib/config';
import { createDb } from '../lib/db';
import { startEmbeddedPostgres } from '../lib/embeddedPostgres';
import { migrateLatest } from '../lib/migrate';
import { InProcessPubSub } from '../lib/pubsub';
import { seed } from '../seeds';
import { freePort } from '../test/ports';
import { runTruth, summarize, TRUTH_CASES } from '../test/truth';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

async function main(): Promise<void> {
  const hours = arg('hours', 4);
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? (process.argv[onlyIndex + 1] ?? '').split(',') : null;
  const cases = only ? TRUTH_CASES.filter((c) => only.includes(c.name)) : TRUTH_CASES;
  if (cases.length === 0)
    throw new Error(`--only names no case of ${TRUTH_CASES.map((c) => c.name).join(', ')}`);
  const vehicles = arg('vehicles', 400);
  const logger = pino({ level: 'silent' });
  const config = loadConfig();
  let adminUrl = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;
  if (!adminUrl) {
    dataDir = mkdtempSync(join(tmpdir(), 'bench-truth-'));
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger });
    adminUrl = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const name = `bench_truth_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { poolMax: 8, applicationName: 'bench:truth' });
  const pubsub = new InProcessPubSub();
  try {
    await migrateLatest(db, logger);
    await seed(db, pubsub, logger, { demo: false });
    process.stderr.write(`${cases.length} cases, ${vehicles} vehicles each, ${hours} h\n`);
    const started = performance.now();
    const results = await runTruth({
      db,
      pubsub,
      logger,
      config,
      settings: { ...importerSettings(config), feedTimeoutMs: 10_000 },
      cases,
      vehicles,
      hours,
      onHour: (hour) => process.stderr.write(`  simulated hour ${hour} done\n`),
    });
    for (const r of results) process.stderr.write(`${JSON.stringify(r)}\n`);
    const summary = summarize(cases, results);
    process.stdout.write(
      `${JSON.stringify({
        ...summary,
        hours,
        vehicles_per_case: vehicles,
        cases: cases.length,
        wall_ms: Math.round(performance.now() - started),
        cpus: cpus().length,
        load_1m: Math.round(loadavg()[0]! * 100) / 100,
      })}\n`,
    );
  } finally {
    await pubsub.close();
    await db.destroy();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
    await stopEmbedded?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
