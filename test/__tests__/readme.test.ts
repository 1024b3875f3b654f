import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { createClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { PROJECT_ROOT } from '../../lib/config';
import { createTestDatabase, type TestDatabase } from '../db';
import { freePort } from '../ports';
import {
  AnswerMemory,
  hasPositiveNumber,
  readmeExamples,
  withDates,
  type ReadmeExample,
} from '../readme';

/**
 * Keeps the README honest: every GraphQL, shell and SQL example of it runs, in order, against
 * `npm start` (here: bin/start.ts on its own database, port and data folder), each must answer
 * without errors (GraphQL: with data in every top-level field); then the system restarts and the
 * first example runs again. Examples other helpers add are covered as they land (test/readme.ts
 * says how to mark one that needs a sign-in or is only illustrative).
 */
const run = promisify(execFile);
const STARTUP_TIMEOUT_MS = 240_000;

let database: TestDatabase;
let dataDir: string;
let port: number;
let child: ChildProcess | undefined;
let firstStartOutput = '';

const env = () => ({
  ...process.env,
  DATABASE_URL: database.url,
  DATA_DIR: dataDir,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'development',
  DEMO_VEHICLES: '60',
  // The first start fills this much history (14 days by default); enough for every example's
  // range to hold data, and a CI-sized first start.
  DEMO_HISTORY_DAYS: '2',
  REDIS_URL: '',
});

/** Starts `npm start` and waits for the banner; returns what it printed until then. */
async function startSystem(): Promise<string> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'bin/start.ts'], {
    cwd: PROJECT_ROOT,
    env: env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not get ready:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const onData = (data: Buffer) => {
      output += data.toString('utf8');
      if (output.includes('Gateway ready at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    started.stdout?.on('data', onData);
    started.stderr?.on('data', onData);
    started.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  return output;
}

async function stopSystem(): Promise<void> {
  const running = child;
  child = undefined;
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGTERM');
  await exited;
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'readme-'));
  port = await freePort();
  firstStartOutput = await startSystem();
}, STARTUP_TIMEOUT_MS + 10_000);

afterAll(async () => {
  await stopSystem();
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});

const tokens = new Map<string, string>();
async function tokenFor(email: string): Promise<string> {
  const known = tokens.get(email);
  if (known) return known;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bin/token.ts', email], {
    cwd: PROJECT_ROOT,
    env: env(),
  });
  const token = stdout.trim();
  tokens.set(email, token);
  return token;
}

const url = () => `http://127.0.0.1:${port}/graphql`;

async function runGraphql(
  example: Extract<ReadmeExample, { kind: 'graphql' }>,
  memory: AnswerMemory,
): Promise<void> {
  const operation = memory.fill(example.operation);
  const token = example.as ? await tokenFor(example.as) : undefined;
  if (operation.startsWith('subscription')) {
    await runSubscription(operation, example.variables, token);
    return;
  }
  const response = await fetch(url(), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: operation, variables: example.variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  expect({ line: example.line, errors: body.errors }).toEqual({
    line: example.line,
    errors: undefined,
  });
  for (const [field, value] of Object.entries(body.data ?? {})) {
    expect({ line: example.line, field, value: value ?? null }).not.toEqual({
      line: example.line,
      field,
      value: null,
    });
  }
  expect(body.data).toBeDefined();
  if (example.withCounts) {
    expect({
      line: example.line,
      hasCounts: hasPositiveNumber(body.data),
      data: body.data,
    }).toEqual({
      line: example.line,
      hasCounts: true,
      data: body.data,
    });
  }
  memory.remember(body.data);
}

/** A subscription is accepted (no error within a second), then completed by the client. */
async function runSubscription(
  query: string,
  variables: Record<string, unknown>,
  token: string | undefined,
): Promise<void> {
  const client = createClient({
    url: url().replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  try {
    const outcome = await new Promise<unknown>((resolve) => {
      const timer = setTimeout(() => resolve('running'), 1000);
      client.subscribe(
        { query, variables },
        {
          next: () => undefined,
          error: (error: unknown) => {
            clearTimeout(timer);
            resolve(error);
          },
          complete: () => {
            clearTimeout(timer);
            resolve('completed early');
          },
        },
      );
    });
    expect(outcome).toBe('running');
  } finally {
    await client.dispose();
  }
}

async function runShell(source: string, line: number): Promise<void> {
  const script = withDates(source).replaceAll('localhost:4000', `127.0.0.1:${port}`);
  const { stdout } = await run('bash', ['-e', '-o', 'pipefail', '-c', script], {
    cwd: PROJECT_ROOT,
    env: env(),
    // A command starts its own node with tsx: on a loaded CI machine that alone takes a while.
    timeout: 180_000,
  });
  expect({ line, output: stdout.includes('"errors"') ? stdout : 'no errors' }).toEqual({
    line,
    output: 'no errors',
  });
  if (source.includes('{"data"')) expect(stdout).toContain('"data"');
}

async function runSql(source: string): Promise<void> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    for (const statement of source.split(';').map((s) => s.trim())) {
      if (statement !== '') await client.query(statement);
    }
  } finally {
    await client.end();
  }
}

async function runExample(example: ReadmeExample, memory: AnswerMemory): Promise<void> {
  switch (example.kind) {
    case 'graphql':
      return runGraphql(example, memory);
    case 'sh':
      return runShell(example.source, example.line);
    case 'sql':
      return runSql(example.source);
    case 'skipped':
      return undefined;
  }
}

it('runs every README example in order, and the first again after a restart', async () => {
  const examples = readmeExamples(readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8'));
  const runnable = examples.filter((e) => e.kind !== 'skipped');
  expect(runnable.length).toBeGreaterThan(10);
  const memory = new AnswerMemory();
  for (const example of examples) {
    try {
      await runExample(example, memory);
    } catch (err) {
      throw new Error(`README line ${example.line}: ${(err as Error).message}`);
    }
  }
  expect(firstStartOutput).toContain('Demo history: simulating 2 days');
  await stopSystem();
  // The history is filled once: a restart neither simulates it again nor doubles it.
  const trips = async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from trips where start_time < (select to_time from demo_history)`,
      );
      return rows[0]?.n;
    } finally {
      await client.end();
    }
  };
  const before = await trips();
  expect(before).toBeGreaterThan(0);
  expect(await startSystem()).not.toContain('Demo history');
  expect(await trips()).toBe(before);
  await runExample(runnable[0]!, new AnswerMemory());
}, 900_000);
