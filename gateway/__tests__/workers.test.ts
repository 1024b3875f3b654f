import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { freePort } from '../../test/ports';
import { compose, eventually, graphql, TEST_SCOPE_SECRET, useTestResources } from './helpers';
import {
  COLORS_SDL,
  LIVE_SDL,
  startColorsSubgraph,
  startLiveSubgraph,
  ThingBus,
} from './liveSubgraphs';
import { subscribe, wsClient } from './wsClients';

/**
 * `npm run start:gateway` with GATEWAY_WORKERS=2: a primary forks two gateway workers on one port
 * (node:cluster). Queries are answered by both, subscriptions work on whichever worker holds the
 * socket, and a worker that dies is replaced.
 */
const { toStop, dir } = useTestResources();
const ROOT = join(__dirname, '..', '..');

/** The children of `pid` whose command line names `script`. */
function childrenOf(pid: number, script: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(script);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The gateway workers of a primary (tsx also starts an esbuild child: not counted). */
const workersOf = (pid: number): number[] => childrenOf(pid, 'gateway.ts');

/** The workers count their rate limits in memory here: no Redis is needed for this test. */
function withoutRedis(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { REDIS_URL: _ignored, ...rest } = env;
  return rest;
}

async function startWorkers(
  supergraphPath: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ url: string; child: ChildProcess; exited: Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bin', 'gateway.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...withoutRedis(process.env),
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      SUPERGRAPH_PATH: supergraphPath,
      SCOPE_SECRET: TEST_SCOPE_SECRET,
      GATEWAY_WORKERS: '2',
      INTROSPECTION: 'false',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  toStop.push({
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  await eventually(async () => {
    const { body } = await graphql<{ thing: { id: string } }>(url, '{ thing(id: "1") { id } }');
    expect(body.data?.thing.id).toBe('1');
  }, 60_000);
  return { url, child, exited };
}

/** A GET on a connection of its own (so node:cluster may hand it to either worker). */
function getOnNewConnection(url: string): Promise<{ status: number; etag: string | undefined }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      response.resume();
      response.once('end', () =>
        resolve({ status: response.statusCode ?? 0, etag: response.headers.etag }),
      );
    }).once('error', reject);
  });
}

async function startSubgraphs() {
  const bus = new ThingBus();
  const live = await startLiveSubgraph(bus);
  toStop.push(live.server);
  const colors = await startColorsSubgraph();
  toStop.push(colors.server);
  const supergraphPath = join(dir(), 'supergraph-workers.graphql');
  await writeFile(
    supergraphPath,
    compose([
      { name: 'live', sdl: LIVE_SDL, url: live.url },
      { name: 'colors', sdl: COLORS_SDL, url: colors.url },
    ]),
  );
  return { bus, live, supergraphPath };
}

describe('gateway workers (GATEWAY_WORKERS=2)', () => {
  it('serve queries and subscriptions on one port, and replace a worker that dies', async () => {
    const { bus, live, supergraphPath } = await startSubgraphs();
    const { url, child } = await startWorkers(supergraphPath);
    expect(child.pid).toBeDefined();
    const pid = child.pid ?? 0;
    await eventually(() => Promise.resolve(expect(workersOf(pid)).toHaveLength(2)), 30_000);

    // Queries spanning both subgraphs, through whichever worker takes each connection.
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        graphql<{ thing: { id: string; name: string; color: string } }>(
          url,
          `{ thing(id: "${i}") { id name color } }`,
        ),
      ),
    );
    answers.forEach(({ body }, i) =>
      expect(body.data?.thing).toEqual({
        id: String(i),
        name: `thing ${i}`,
        color: `color of ${i}`,
      }),
    );

    // Two subscriptions on two connections, on whichever workers the primary hands them to. Their
    // arguments differ, so neither worker may merge them into one upstream subscription: the
    // subgraph sees both whether they share a worker or not.
    const clients = [wsClient(url.replace(/^http/, 'ws')), wsClient(url.replace(/^http/, 'ws'))];
    for (const client of clients) toStop.push({ stop: async () => await client.dispose() });
    const subscriptions = clients.map((client, i) =>
      subscribe(
        client,
        'subscription ($ids: [ID!]) { thingChanged(ids: $ids) { id name color } }',
        {
          ids: i === 0 ? ['5'] : ['5', '6'],
        },
      ),
    );
    await eventually(() => Promise.resolve(expect(live.active()).toBe(2)), 30_000);
    bus.publish({ id: '5', name: 'five', operator: 'op-a', public: true, version: 1 });
    for (const subscription of subscriptions) {
      expect(await subscription.received(1, 10_000)).toEqual([
        { data: { thingChanged: { id: '5', name: 'five', color: 'color of 5' } } },
      ]);
    }

    // A worker killed outright is replaced; the port keeps answering meanwhile.
    const [victim] = workersOf(pid);
    process.kill(victim ?? 0, 'SIGKILL');
    await eventually(async () => {
      const workers = workersOf(pid);
      expect(workers).toHaveLength(2);
      expect(workers).not.toContain(victim);
      const { body } = await graphql<{ thing: { id: string } }>(url, '{ thing(id: "9") { id } }');
      expect(body.data?.thing.id).toBe('9');
    }, 30_000);
  }, 120_000);

  it('build the schema explorer once, in the primary, and serve it from every worker', async () => {
    const { supergraphPath } = await startSubgraphs();
    // The primary's bundle directory is made under TMPDIR: one of the test's own, to look into.
    const tmp = join(dir(), 'tmp-explorer');
    await mkdir(tmp);
    const { url, child, exited } = await startWorkers(supergraphPath, {
      INTROSPECTION: 'true',
      TMPDIR: tmp,
    });
    // Six connections, handed to the two workers in turn: all get the same bundle. Bundling takes
    // seconds, and minutes on a busy machine: the first requests wait for it.
    const asset = url.replace('/graphql', '/explorer/assets/explorer.js');
    const answers = await Promise.all(Array.from({ length: 6 }, () => getOnNewConnection(asset)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(answers.map((answer) => answer.etag)).size).toBe(1);
    // Built once, by the primary, into the one directory every worker reads.
    const bundles = (await readdir(tmp)).filter((name) => name.startsWith('mobility-explorer-'));
    expect(bundles).toHaveLength(1);
    expect(await readdir(join(tmp, bundles[0] ?? ''))).toContain('explorer.js');
    // The bundler (esbuild in a child process) is gone: the gateway's processes are the primary
    // and its two workers (and tsx's own esbuild helper in each).
    const pid = child.pid ?? 0;
    expect(workersOf(pid)).toHaveLength(2);
    const bundlers = [pid, ...workersOf(pid)].flatMap((p) => childrenOf(p, 'explorer/build.ts'));
    expect(bundlers).toEqual([]);
    // Drained, the primary removes the bundle's directory.
    child.kill('SIGTERM');
    await exited;
    expect((await readdir(tmp)).filter((name) => name.startsWith('mobility-explorer-'))).toEqual(
      [],
    );
  }, 300_000);
});
