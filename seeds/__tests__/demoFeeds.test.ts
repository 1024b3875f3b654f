import { feedUrls } from '../../simulator/server';
import { demoOperators } from '../../simulator/operators';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { registerDemoFeeds } from '../demoFeeds';

/**
 * What the README has a reader do (an admin registers another feed for the demo operator
 * `fietsje`) must not break the next `npm start`, whose demo seeding re-points its own feeds.
 */
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

interface FeedRow {
  operator_id: string;
  type: string;
  url: string;
  demo: boolean;
}

it('re-points only the feeds it registered, leaving an admin’s feeds of the same operator alone', async () => {
  const { db } = database;
  const operators = demoOperators(3, 30);
  await registerDemoFeeds(db, operators, (id) => feedUrls('http://127.0.0.1:41000', id));
  const first = operators[0]!.id;
  const demo = await db<FeedRow>('feeds').where({ operator_id: first }).first();
  // The README's createFeed: same operator, same type as its demo feed.
  const adminFeed = {
    operator_id: first,
    type: demo!.type,
    url: 'https://gbfs.example.org/gbfs.json',
    default_form_factor: 'BICYCLE',
    active: true,
  };
  await db('feeds').insert(adminFeed);

  // The next start: the simulator listens on another port.
  await registerDemoFeeds(db, operators, (id) => feedUrls('http://127.0.0.1:42000', id));

  const feeds = await db<FeedRow>('feeds')
    .where({ operator_id: first })
    .orderBy('url')
    .select('operator_id', 'type', 'url', 'demo');
  expect(feeds).toEqual([
    {
      operator_id: first,
      type: demo!.type,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:42000\//) as string,
      demo: true,
    },
    {
      operator_id: first,
      type: demo!.type,
      url: 'https://gbfs.example.org/gbfs.json',
      demo: false,
    },
  ]);
  expect(await db('feeds').count<{ count: string }[]>({ count: '*' })).toEqual([{ count: '4' }]);
});

it('does not register again a demo feed an administrator deleted', async () => {
  const { db } = database;
  const operators = demoOperators(3, 30);
  const second = operators[1]!.id;
  // deleteFeed's tombstone (subgraphs/vehicles/__tests__/feedAdmin.gateway.test.ts runs the mutation).
  await db('feeds')
    .where({ operator_id: second, demo: true })
    .update({ deleted_at: db.fn.now(), deletion_mode: 'KEEP_HISTORY', active: false });

  await registerDemoFeeds(db, operators, (id) => feedUrls('http://127.0.0.1:43000', id));

  const feeds = await db('feeds')
    .where({ operator_id: second })
    .select<{ url: string; active: boolean; deleted_at: Date | null }[]>(
      'url',
      'active',
      'deleted_at',
    );
  expect(feeds).toEqual([
    {
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:42000\//) as string,
      active: false,
      deleted_at: expect.any(Date) as unknown,
    },
  ]);
  // The other demo feeds follow the simulator as before.
  const live = await db('feeds')
    .where({ demo: true })
    .whereNull('deleted_at')
    .pluck<string[]>('url');
  expect(live).toHaveLength(2);
  expect(live.every((url) => url.startsWith('http://127.0.0.1:43000/'))).toBe(true);
});
