import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../../lib/config';
import { graphqlRequest } from '../../test/graphql';
import { freePort } from '../../test/ports';

/** `npm start` exactly as the README gives it, with no DATABASE_URL or REDIS_URL. */
interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function npmStart(env: Record<string, string>): Started {
  const child = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so we can signal it as a terminal or a supervisor would.
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close' waits for every process holding the output pipes (npm and the node process it runs).
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  return { child, output: () => output, exited };
}

async function waitForOutput(
  started: Started,
  pattern: RegExp,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(started.output());
    if (match) return match[0];
    if (started.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${String(pattern)} in output:\n${started.output()}`);
}

/** SIGTERM to the whole process group, as a terminal's Ctrl-C or a supervisor's stop does. */
function terminate(started: Started): void {
  const { pid } = started.child;
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** npm dies of the signal itself; the system under it shows a clean stop in its own log. */
async function expectCleanStop(started: Started): Promise<void> {
  terminate(started);
  await started.exited;
  expect(started.output()).toMatch(/"msg":"stopped"/);
  expect(started.output()).not.toMatch(/"level":(50|60)/);
}

async function waitUntilGone(path: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (existsSync(path) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return !existsSync(path);
}

const AMSTERDAM = '{ zoneAt(lat: 52.3731, lng: 4.8932, kind: MUNICIPALITY) { code name } }';

describe('npm start', () => {
  let dataDir: string;
  const running: Started[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mobility-start-'));
  });

  afterAll(async () => {
    running.forEach(terminate);
    await Promise.all(running.map((s) => s.exited));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts everything on a fresh data folder, answers through the gateway, keeps data across restarts and stops cleanly on SIGTERM', async () => {
    const [port, pgPort, otherPort] = await Promise.all([freePort(), freePort(), freePort()]);
    // A day of demo history (14 by default) keeps the first start short on a loaded CI machine.
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(pgPort),
      DEMO_HISTORY_DAYS: '1',
    };
    const first = npmStart(env);
    running.push(first);
    const url = await waitForOutput(first, /http:\/\/localhost:\d+\/graphql/, 120_000);
    expect(url).toBe(`http://localhost:${port}/graphql`);

    const answer = await graphqlRequest(url, AMSTERDAM);
    expect(answer).toEqual({ data: { zoneAt: { code: 'GM0363', name: 'Amsterdam' } } });
    const health = await fetch(`http://localhost:${port}/health`);
    expect(health.status).toBe(200);

    // A second instance on the same data folder refuses with a clear message.
    const second = npmStart({ ...env, PORT: String(otherPort) });
    running.push(second);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(
      /error: the data folder .* is in use by another running PostgreSQL/,
    );

    // Something to find after the restart.
    const client = new Client({
      host: '127.0.0.1',
      port: pgPort,
      user: 'postgres',
      database: 'mobility',
    });
    await client.connect();
    await client.query(
      `insert into zones (code, name, kind, geometry) values ('WK999901', 'Restart marker', 'DISTRICT',
        '{"type":"Polygon","coordinates":[[[4,52],[5,52],[5,53],[4,52]]]}')`,
    );
    await client.end();

    await expectCleanStop(first);
    expect(await waitUntilGone(join(dataDir, 'postgres', 'postmaster.pid'), 15_000)).toBe(true);

    const restarted = npmStart(env);
    running.push(restarted);
    await waitForOutput(restarted, /Gateway ready/, 120_000);
    const marker = await graphqlRequest(
      url,
      '{ zones(filter: { kind: DISTRICT, codes: ["WK999901"] }) { edges { node { name } } } }',
    );
    expect(marker).toEqual({ data: { zones: { edges: [{ node: { name: 'Restart marker' } }] } } });
    const total = await graphqlRequest(
      url,
      '{ zones(filter: { kind: MUNICIPALITY }) { totalCount } }',
    );
    expect(total).toEqual({ data: { zones: { totalCount: 342 } } });

    await expectCleanStop(restarted);
  }, 240_000);

  it('exits 1 with one clear line when DATABASE_URL points at nothing', async () => {
    const port = await freePort();
    const started = npmStart({
      DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/none`,
      PORT: '0',
    });
    expect(await started.exited).toBe(1);
    const errorLines = started
      .output()
      .split('\n')
      .filter((l) => l.startsWith('error:'));
    expect(errorLines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error: cannot connect to PostgreSQL at postgres://nobody@127.0.0.1:${port}/none`,
        ),
      ),
    ]);
    expect(started.output()).not.toMatch(/\n\s+at /); // no stack trace
  }, 60_000);

  it('exits 1 naming the variable when DATABASE_URL is malformed', async () => {
    const started = npmStart({ DATABASE_URL: 'mysql://localhost/db' });
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(
      /error: invalid configuration: DATABASE_URL="mysql:\/\/localhost\/db": must start with postgres/,
    );
  }, 60_000);
});
