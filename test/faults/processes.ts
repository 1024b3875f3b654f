import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../../lib/config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../lib/embeddedPostgres';
import { silentLogger } from '../db';
import { freePort } from '../ports';

/**
 * Real processes for fault tests: a PostgreSQL and a Redis of the test's own (on free ports, so
 * they can be stopped and started again without touching the shared servers), and the product's
 * processes as a container runs them (`node --import tsx bin/<x>.ts`).
 */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

/** A PostgreSQL server of the test's own, which the test may stop and start again. */
export interface OwnPostgres {
  port: number;
  /** The URL of a database on it (default `mobility`, which always exists). */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown: every connection is cut, as when the server restarts or fails over. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  close(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mobility-fault-pg-'));
  const port = await freePort();
  let server: EmbeddedPostgres | undefined = await startEmbeddedPostgres({
    dataDir,
    port,
    logger: silentLogger,
  });
  const url = (database = 'mobility') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`create database "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async start() {
      server ??= await startEmbeddedPostgres({ dataDir, port, logger: silentLogger });
    },
    async close() {
      await server?.stop();
      server = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A `redis-server` child process of the test's own. */
export interface OwnRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    if (child) return;
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    child = started;
    await waitUntil(`redis on port ${port}`, async () => {
      if (started.exitCode !== null)
        throw new Error(`redis-server exited with ${started.exitCode}`);
      const { Redis } = await import('ioredis');
      const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    });
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
  };
}

/** One of the product's processes, its output kept for the test to read. */
export interface ProductProcess {
  name: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM (drain) or SIGKILL (crash), and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startProcess(
  name: string,
  script: string,
  args: string[],
  env: Record<string, string>,
): ProductProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join('bin', script), ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    name,
    child,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.pid && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      }
      await exited;
    },
  };
}

/** Resolves when `url` answers 200; fails early if the process exits. */
export async function waitForHttp(
  url: string,
  owner?: ProductProcess,
  timeoutMs = 60_000,
): Promise<void> {
  await waitUntil(
    `${url} to answer`,
    async () => {
      if (owner && owner.child.exitCode !== null) {
        throw new Error(`${owner.name} exited: ${owner.output().slice(-2000)}`);
      }
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      return response.ok;
    },
    timeoutMs,
    200,
  );
}
