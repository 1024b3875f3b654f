import { createHash } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { build, type BuildOptions, type OutputFile } from 'esbuild';
import { PROJECT_ROOT } from '../../lib/config';

/** Where the page loads its code from; every file of the bundle is served under it. */
export const EXPLORER_ASSETS_PATH = '/explorer/assets';

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

/** Monaco's language services run in web workers: each is a bundle of its own, served here too. */
const WORKERS = {
  'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
  'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
  'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
};

const gzipAsync = promisify(gzip);
let bundling: Promise<ExplorerBundle> | undefined;

/**
 * GraphiQL, React, the explorer plugin, Monaco and its workers, bundled with esbuild from the
 * project's own node_modules: no CDN and no network. Built once (a few seconds; a configured
 * gateway starts it as it starts listening) and kept for the life of the process; a failed build
 * is retried on the next request.
 */
/** Whether the bundle was asked for (being built, or built) in this process. */
export function explorerBundleStarted(): boolean {
  return bundling !== undefined;
}

export function explorerBundle(): Promise<ExplorerBundle> {
  bundling ??= buildBundle().catch((err: unknown) => {
    bundling = undefined;
    throw err;
  });
  return bundling;
}

async function buildBundle(): Promise<ExplorerBundle> {
  const common = {
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    minify: true,
    platform: 'browser',
    target: 'es2022',
    outdir: join(PROJECT_ROOT, '.explorer'),
    write: false as const,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent' as const,
  } satisfies BuildOptions;
  const [app, workers] = await Promise.all([
    build({
      ...common,
      entryPoints: [{ in: join(__dirname, 'client.mts'), out: 'explorer' }],
      // Monaco, Prettier and graphql-ws load on demand, as chunks next to the entry.
      format: 'esm' as const,
      splitting: true,
      entryNames: '[name]',
      chunkNames: '[name]-[hash]',
      assetNames: '[name]-[hash]',
      publicPath: EXPLORER_ASSETS_PATH,
      loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl' },
    }),
    build({
      ...common,
      entryPoints: Object.entries(WORKERS).map(([out, entry]) => ({ in: entry, out })),
      format: 'iife' as const,
      entryNames: '[name]',
    }),
  ]);
  const assets = new Map<string, ExplorerAsset>();
  for (const file of [...app.outputFiles, ...workers.outputFiles]) {
    const name = basename(file.path);
    assets.set(name, await toAsset(name, file));
  }
  return assets;
}

async function toAsset(name: string, file: OutputFile): Promise<ExplorerAsset> {
  const extension = extname(name);
  const body = Buffer.from(file.contents);
  const text = extension === '.js' || extension === '.css';
  return {
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    body,
    ...(text ? { gzipped: await gzipAsync(body) } : {}),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    immutable: /-[A-Z0-9]{8}\.[a-z0-9]+$/.test(name),
  };
}
