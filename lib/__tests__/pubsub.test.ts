import { InProcessPubSub, RedisPubSub, type PubSub } from '../pubsub';
import { silentLogger } from '../../test/db';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** Delivers to subscribers of the channel only, and nothing after unsubscribing. */
async function behavesLikePubSub(publisher: PubSub, subscriber: PubSub): Promise<void> {
  const channel = `test.${Math.random()}`;
  const received: unknown[] = [];
  const other: unknown[] = [];
  const unsubscribe = await subscriber.subscribe(channel, (p) => received.push(p));
  await subscriber.subscribe(`${channel}.other`, (p) => other.push(p));

  await publisher.publish(channel, { hello: 'world', n: 1 });
  await waitFor(() => received.length === 1);
  await unsubscribe();
  await publisher.publish(channel, { n: 2 });
  await sleep(200);

  expect(received).toEqual([{ hello: 'world', n: 1 }]);
  expect(other).toEqual([]);
}

describe('in-process pub/sub', () => {
  it('delivers to subscribers of the channel until they unsubscribe', async () => {
    const pubsub = new InProcessPubSub();
    await behavesLikePubSub(pubsub, pubsub);
    await pubsub.close();
  });

  it('delivers a copy, not the publisher object', async () => {
    const pubsub = new InProcessPubSub();
    const payload = { n: 1 };
    const received: unknown[] = [];
    await pubsub.subscribe('copy', (p) => received.push(p));
    await pubsub.publish('copy', payload);
    await waitFor(() => received.length === 1);
    expect(received[0]).toEqual(payload);
    expect(received[0]).not.toBe(payload);
    await pubsub.close();
  });
});

/** test/globalSetup.ts makes sure Redis answers before any test runs. */
const redisUrl = process.env.REDIS_URL!;

describe('Redis pub/sub', () => {
  it('delivers between two separate connections until unsubscribed', async () => {
    const publisher = new RedisPubSub(redisUrl, silentLogger);
    const subscriber = new RedisPubSub(redisUrl, silentLogger);
    await behavesLikePubSub(publisher, subscriber);
    await Promise.all([publisher.close(), subscriber.close()]);
  });
});
