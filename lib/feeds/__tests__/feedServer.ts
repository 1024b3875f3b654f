import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { listen } from '../../http';
import type { FeedConfig } from '../types';

export const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'real');

export function readFixture(...parts: string[]): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, ...parts), 'utf8'));
}

export type Handler = (req: IncomingMessage, res: ServerResponse, base: string) => void;

/** A real HTTP server on a free port; routes map a path (without query) to a handler. */
export interface FeedServer {
  base: string;
  route(path: string, handler: Handler): void;
  json(path: string, body: unknown): void;
  hits(path: string): number;
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Handler>();
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', base).pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const handler = routes.get(path);
    if (handler) handler(req, res, base);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route ${path}`);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server, 0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
  return {
    base,
    route: (path, handler) => routes.set(path, handler),
    json: (path, body) =>
      routes.set(path, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      }),
    hits: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function feedConfig(
  overrides: Partial<FeedConfig> & Pick<FeedConfig, 'url' | 'type'>,
): FeedConfig {
  return {
    id: 'feed-1',
    operatorId: 'operator-1',
    auth: { type: 'NONE' },
    defaultFormFactor: null,
    defaultVehicleTypeId: null,
    rotatingIds: false,
    ...overrides,
  };
}

export const READ = { timeoutMs: 5000, maxBytes: 5 * 1024 * 1024 };

interface FeedList {
  feeds: { name: string; url: string }[];
}

/** A copy of a GBFS gbfs.json whose feed URLs point at `base/<prefix>/<name>.json`. */
export function rewriteDiscovery(discovery: unknown, base: string, prefix: string): unknown {
  const copy = structuredClone(discovery) as { data: FeedList | Record<string, FeedList> };
  const lists: FeedList[] = Array.isArray(copy.data.feeds)
    ? [copy.data as FeedList]
    : Object.values(copy.data as Record<string, FeedList>);
  for (const list of lists) {
    for (const feed of list.feeds) feed.url = `${base}/${prefix}/${feed.name}.json`;
  }
  return copy;
}
