import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { signedWebSocket } from '../subscriptions/upstream';

/**
 * An upstream socket closed while it is still connecting (a subgraph that accepts TCP but never
 * answers the upgrade, as one starting up or stopped does) must not throw: `ws` reports the
 * aborted handshake as an 'error' event after graphql-ws has removed its handler.
 */
let server: Server;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

it('swallows the error of a socket closed before its handshake, as graphql-ws leaves it', async () => {
  const { port } = server.address() as AddressInfo;
  const SignedWebSocket = signedWebSocket(() => ({}), 5000, 0);
  const socket = new SignedWebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
  // What graphql-ws does on terminate: close, then let go of its handlers.
  const errors: unknown[] = [];
  socket.onerror = (event) => errors.push(event);
  socket.close(4499, 'Terminated');
  socket.onerror = null;
  await new Promise((resolve) => socket.once('close', resolve));
  expect(socket.readyState).toBe(socket.CLOSED);
  expect(errors).toEqual([]);
});
