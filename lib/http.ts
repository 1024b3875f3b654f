import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens and resolves with the port actually bound (so port 0 works in tests). */
export function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The URL clients use; a wildcard bind address is reached as localhost. */
export function publicUrl(host: string | undefined, port: number, path: string): string {
  const shown = !host || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}${path}`;
}
