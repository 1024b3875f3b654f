import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCapturingLogger } from '../../test/logLines';
import { testGatewayOptions } from '../../test/gateway';
import { createGateway } from '../server';
import {
  compose,
  EXTRAS_SDL_V1,
  graphql,
  startExtras,
  startThings,
  THINGS_SDL,
  useTestResources,
} from './helpers';

const { toStop, dir } = useTestResources();

/** Two subgraphs logging at debug, as an operator following one request would run them. */
async function startStack() {
  const thingsLog = createCapturingLogger('debug');
  const extrasLog = createCapturingLogger('debug');
  const things = await startThings(thingsLog.logger);
  toStop.push(things.server);
  const extras = await startExtras(extrasLog.logger);
  toStop.push(extras.server);
  const supergraphPath = join(dir(), 'supergraph.graphql');
  await writeFile(
    supergraphPath,
    compose([
      { name: 'things', sdl: THINGS_SDL, url: things.url },
      { name: 'extras', sdl: EXTRAS_SDL_V1, url: extras.url },
    ]),
  );
  const gateway = createGateway(testGatewayOptions({ supergraphPath }));
  toStop.push(gateway);
  const { url } = await gateway.start(0, '127.0.0.1');
  return { url, thingsLog, extrasLog };
}

const served = (records: Record<string, unknown>[]) =>
  records.filter((r) => r.msg === 'operation served');

it("writes the client's request id on every subgraph's line for each fetch it served", async () => {
  const { url, thingsLog, extrasLog } = await startStack();
  const response = await graphql(url, '{ hello thing(id: "42") { id name color } }', {
    'x-request-id': 'req-follow-1',
  });
  expect(response.body.errors).toBeUndefined();
  expect(response.headers.get('x-request-id')).toBe('req-follow-1');
  // things answered `hello` and `thing`, extras the entity fetch for `color`.
  expect(served(thingsLog.records())).toEqual([
    expect.objectContaining({ requestId: 'req-follow-1', subgraph: 'things', errors: 0 }),
  ]);
  expect(served(extrasLog.records())).toEqual([
    expect.objectContaining({ requestId: 'req-follow-1', subgraph: 'extras', errors: 0 }),
  ]);
});

it('makes an id when the client sends none, and the subgraphs log that one', async () => {
  const { url, thingsLog, extrasLog } = await startStack();
  const response = await graphql(url, '{ thing(id: "7") { color } }');
  const id = response.headers.get('x-request-id');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  for (const log of [thingsLog, extrasLog]) {
    expect(served(log.records()).map((r) => r.requestId)).toEqual([id]);
  }
});
