import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ORGANISATIONS, seedIdentities } from '../../seeds/identities';
import { startTestStack, type TestStack } from '../../test/stack';
import { loadTrustedDocuments } from '../trustedDocuments';
import { subscribe, wsClient, type Subscription } from './wsClients';

/**
 * Trusted documents hold over WebSocket as over POST: a third party (here anonymous) subscribes by
 * id (`query: ""` with `documentId` or the persisted-query hash) and gets events; its free text, or
 * an id the list lacks, ends the subscription with the same error as over HTTP.
 */
let stack: TestStack;
let dir: string;
const clients: ReturnType<typeof wsClient>[] = [];

const HUB_STATUS = 'subscription Hubs { hubStatusChanged { hubId open } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trusted-ws-'));
  const path = join(dir, 'documents.json');
  await writeFile(path, JSON.stringify({ [`sha256:${sha256(HUB_STATUS)}`]: HUB_STATUS }));
  stack = await startTestStack({
    subgraphs: ['zones', 'users', 'microhubs'],
    gateway: {
      trustedDocuments: { documents: loadTrustedDocuments(path), requiredFor: 'third-parties' },
    },
  });
  await seedIdentities(stack.database.db, DEMO_ORGANISATIONS);
});

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

function anonymous(query: string, extra: Record<string, unknown> = {}): Subscription {
  const client = wsClient(stack.url.replace(/^http/, 'ws'));
  clients.push(client);
  return subscribe(client, query, {}, extra);
}

/** Creates hubs as Amsterdam's admin (a signed-in user may send text) until `until` holds. */
async function createHubsUntil(until: () => boolean): Promise<void> {
  const token = await stack.tokenFor('amsterdam@example.org');
  for (let attempt = 0; !until(); attempt += 1) {
    if (attempt >= 50) throw new Error('no hub event reached the subscriptions');
    const created = await stack.request(
      'mutation ($input: CreateHubInput!) { createHub(input: $input) { id } }',
      {
        input: {
          name: `Trusted ${attempt}`,
          point: { lat: 52.3731, lng: 4.8932, radiusMeters: 15 },
          capacity: { combined: 3 },
        },
      },
      { token },
    );
    expect(created.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const refusedWith = async (subscription: Subscription, code: string, message: RegExp) => {
  const { error } = await subscription.ended;
  expect(error).toEqual([
    expect.objectContaining({
      message: expect.stringMatching(message) as string,
      extensions: expect.objectContaining({ code }) as object,
    }),
  ]);
};

describe('trusted documents over WebSocket', () => {
  it('runs a listed subscription sent by id, as documentId or as a persisted-query hash', async () => {
    const byDocumentId = anonymous('', { documentId: `sha256:${sha256(HUB_STATUS)}` });
    const byHash = anonymous('', {
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(HUB_STATUS) } },
    });
    await createHubsUntil(() => byDocumentId.events.length > 0 && byHash.events.length > 0);
    for (const subscription of [byDocumentId, byHash]) {
      expect(subscription.isEnded()).toBe(false);
      expect(subscription.events[0]?.errors).toBeUndefined();
      expect(subscription.events[0]?.data?.hubStatusChanged).toEqual(
        expect.objectContaining({ hubId: expect.any(String) as string }),
      );
    }
  });

  it("refuses a third party's free text, even the listed text with another name", async () => {
    await refusedWith(
      anonymous('subscription { hubStatusChanged { hubId open } }'),
      'TRUSTED_DOCUMENT_REQUIRED',
      /^this gateway runs only trusted documents for API-key and anonymous callers/,
    );
  });

  it('refuses an id the list lacks, naming it', async () => {
    const id = `sha256:${sha256('subscription { hubStatusChanged { hubId } }')}`;
    await refusedWith(
      anonymous('', { documentId: id }),
      'PERSISTED_QUERY_NOT_FOUND',
      new RegExp(`^unknown trusted document "${id}"`),
    );
  });

  it('lets a signed-in user send text', async () => {
    const token = await stack.tokenFor('amsterdam@example.org');
    const client = wsClient(stack.url.replace(/^http/, 'ws'), {
      connectionParams: { authorization: `Bearer ${token}` },
    });
    clients.push(client);
    const own = subscribe(client, 'subscription { hubStatusChanged { hubId } }');
    await createHubsUntil(() => own.events.length > 0);
    expect(own.events[0]?.errors).toBeUndefined();
  });
});
