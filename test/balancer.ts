import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './ports';

/**
 * A TCP load balancer in front of the gateway replicas, as nginx or a Kubernetes Service would
 * be: each new connection goes to the next backend in turn, skipping one that refuses it.
 */
export interface Balancer {
  url: string;
  /** Open connections through the balancer, per backend (in the order given). */
  open(): number[];
  close(): Promise<void>;
}

export async function startBalancer(
  backends: readonly { url: string }[],
  /** The port to listen on (default: a free one); node:cluster workers may share one. */
  listenPort?: number,
): Promise<Balancer> {
  const targets = backends.map(({ url }) => Number(new URL(url).port));
  const sockets = new Set<Socket>();
  const open = targets.map(() => 0);
  let next = 0;
  const forward = (client: Socket, attempt: number): void => {
    const backend = (next + attempt) % targets.length;
    const upstream = connect(targets[backend] ?? 0, '127.0.0.1');
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      // Small frames (an event, a ping) go out at once, as the WebSocket ends themselves send them.
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      sockets.add(upstream);
      open[backend] = (open[backend] ?? 0) + 1;
      upstream.once('close', () => {
        open[backend] = (open[backend] ?? 1) - 1;
        sockets.delete(upstream);
        client.destroy();
      });
      client.once('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    upstream.on('error', () => {
      if (!connected && attempt + 1 < targets.length) forward(client, attempt + 1);
      else client.destroy();
    });
  };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    forward(client, 0);
    next = (next + 1) % targets.length;
  });
  const port = listenPort ?? (await freePort());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    open: () => [...open],
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
