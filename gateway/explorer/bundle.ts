import { spawn } from 'node:child_process';
import cluster, { type Worker } from 'node:cluster';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { PROJECT_ROOT } from '../../lib/config';

export interface ExplorerAsset {
  contentType: string;
  body: Buffer;
  /** The same bytes gzip-compressed, for text assets. */
  gzipped?: Buffer;
  etag: string;
  /** Its name carries a content hash: it never changes and may be cached for good. */
  immutable: boolean;
}

export type ExplorerBundle = ReadonlyMap<string, ExplorerAsset>;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

const gzipAsync = promisify(gzip);
let bundling: Promise<ExplorerBundle> | undefined;

/** Whether the bundle was asked for (being built, or built) in this process. */
export function explorerBundleStarted(): boolean {
  return bundling !== undefined;
}

/**
 * The explorer's bundle (build.ts), built once (a few seconds; a configured gateway starts it as
 * it starts listening) and kept for the life of the process; a failed build is retried on the
 * next request. esbuild runs in a child process that exits when done, so the gateway keeps only
 * the bundle's files. A gateway worker (GATEWAY_WORKERS > 1) does not build: it reads what its
 * primary built once for all workers (shareExplorerBundle).
 */
export function explorerBundle(): Promise<ExplorerBundle> {
  bundling ??= loadBundle().catch((err: unknown) => {
    bundling = undefined;
    throw err;
  });
  return bundling;
}

async function loadBundle(): Promise<ExplorerBundle> {
  if (cluster.isWorker) return readBundle(await askPrimary());
  const dir = await buildInNewDirectory();
  try {
    return await readBundle(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function buildInNewDirectory(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mobility-explorer-'));
  try {
    await runBuild(dir);
    return dir;
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

function runBuild(outdir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'build.ts'), outdir],
      { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`the explorer bundler exited with code ${code}: ${stderr.trim()}`));
    });
  });
}

async function readBundle(dir: string): Promise<ExplorerBundle> {
  const assets = new Map<string, ExplorerAsset>();
  for (const name of await readdir(dir)) {
    assets.set(name, await toAsset(name, await readFile(join(dir, name))));
  }
  return assets;
}

async function toAsset(name: string, body: Buffer): Promise<ExplorerAsset> {
  const extension = extname(name);
  const text = extension === '.js' || extension === '.css';
  return {
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    body,
    ...(text ? { gzipped: await gzipAsync(body) } : {}),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    immutable: /-[A-Z0-9]{8}\.[a-z0-9]+$/.test(name),
  };
}

/** Between a gateway worker and its primary: where the shared bundle is, or why there is none. */
type BundleMessage =
  | { type: 'explorer-bundle-wanted' }
  | { type: 'explorer-bundle'; dir: string }
  | { type: 'explorer-bundle'; error: string };

function isBundleMessage(message: unknown): message is BundleMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    'type' in message &&
    typeof message.type === 'string' &&
    message.type.startsWith('explorer-bundle')
  );
}

function askPrimary(): Promise<string> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      if (!isBundleMessage(message) || message.type !== 'explorer-bundle') return;
      process.off('message', onMessage);
      if ('dir' in message) resolve(message.dir);
      else reject(new Error(message.error));
    };
    process.on('message', onMessage);
    process.send?.({ type: 'explorer-bundle-wanted' } satisfies BundleMessage);
  });
}

/**
 * In a primary: builds the explorer's bundle once, when the first worker asks for it, into a
 * directory every worker (and every replacement) reads; `remove` deletes it at shutdown.
 */
export function shareExplorerBundle(): { serve(worker: Worker): void; remove(): Promise<void> } {
  let building: Promise<string> | undefined;
  const built = (): Promise<string> => {
    building ??= buildInNewDirectory().catch((err: unknown) => {
      building = undefined;
      throw err;
    });
    return building;
  };
  return {
    serve(worker) {
      worker.on('message', (message: unknown) => {
        if (!isBundleMessage(message) || message.type !== 'explorer-bundle-wanted') return;
        const reply = (answer: BundleMessage): void => {
          if (worker.isConnected()) worker.send(answer);
        };
        built().then(
          (dir) => reply({ type: 'explorer-bundle', dir }),
          (err: unknown) =>
            reply({
              type: 'explorer-bundle',
              error: err instanceof Error ? err.message : String(err),
            }),
        );
      });
    },
    async remove() {
      const dir = await building?.catch(() => undefined);
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
