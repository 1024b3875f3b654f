import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through in front of the feed simulator that can hold one operator's requests: the test
 * knows an import tick is in progress (the request arrived) and decides when it may go on.
 */
export interface FeedProxy {
  url: string;
  /** Holds the next request under `/<operatorId>/`; resolves `arrived` when it comes in. */
  hold(operatorId: string): { arrived: Promise<void>; release(): void };
  close(): Promise<void>;
}

export async function startFeedProxy(target: string): Promise<FeedProxy> {
  let held: { prefix: string; arrive(): void; released: Promise<void> } | undefined;
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const gate = held && path.startsWith(held.prefix) ? held : undefined;
    if (gate) {
      held = undefined;
      gate.arrive();
    }
    void (async () => {
      await gate?.released;
      try {
        const upstream = await fetch(new URL(path, target), {
          signal: AbortSignal.timeout(10_000),
        });
        const body = Buffer.from(await upstream.arrayBuffer());
        res.writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'application/json',
        });
        res.end(body);
      } catch {
        res.writeHead(502).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hold(operatorId) {
      let arrive!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      held = { prefix: `/${operatorId}/`, arrive, released };
      return { arrived, release };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
