import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { PROJECT_ROOT } from '../../lib/config';
import { EXPLORER_ASSETS_PATH } from './paths';

/**
 * `node --import tsx gateway/explorer/build.ts <outdir>`: bundles the explorer into `outdir` and
 * exits. The gateway runs this as a child process (bundle.ts), so esbuild's service, which holds
 * hundreds of MB while it bundles Monaco, leaves with it instead of staying in the gateway.
 *
 * GraphiQL, React, the explorer plugin, Monaco and its workers, from the project's own
 * node_modules: no CDN and no network.
 */

/** Monaco's language services run in web workers: each is a bundle of its own, served here too. */
const WORKERS = {
  'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
  'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
  'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
};

async function bundleInto(outdir: string): Promise<void> {
  const common = {
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    minify: true,
    platform: 'browser',
    target: 'es2022',
    outdir,
    write: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error' as const,
  } satisfies BuildOptions;
  await Promise.all([
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
}

const outdir = process.argv[2];
if (!outdir) {
  process.stderr.write('usage: build.ts <outdir>\n');
  process.exit(2);
}
bundleInto(outdir).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
