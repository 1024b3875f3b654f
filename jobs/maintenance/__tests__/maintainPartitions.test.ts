import { InProcessPubSub } from '../../../lib/pubsub';
import { createTestDatabase, silentLogger, TEST_CONFIG, type TestDatabase } from '../../../test/db';
import { maintainPartitions } from '../maintainPartitions';

let database: TestDatabase;
const pubsub = new InProcessPubSub();

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await pubsub.close();
  await database?.drop();
});

describe('maintain_partitions', () => {
  it('creates the monthly partitions of the coming months once, and a row lands in its month', async () => {
    const context = {
      db: database.db,
      pubsub,
      logger: silentLogger,
      config: TEST_CONFIG,
      tickAt: new Date('2031-12-15T10:00:00Z'),
      payload: {},
    };
    // December, January and February, for each of the importer's four tables,
    // station_status_events and the three zone series tables.
    await expect(maintainPartitions.run(context)).resolves.toEqual({ rows: 24 });
    await expect(maintainPartitions.run(context)).resolves.toEqual({ rows: 0 });

    const { rows } = await database.db.raw<{ rows: { name: string; bounds: string }[] }>(
      `select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bounds
         from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'park_events'::regclass and c.relname like 'park_events_p2032%'`,
    );
    expect(rows).toEqual([
      {
        name: 'park_events_p203201',
        bounds: "FOR VALUES FROM ('2032-01-01 00:00:00+00') TO ('2032-02-01 00:00:00+00')",
      },
      {
        name: 'park_events_p203202',
        bounds: "FOR VALUES FROM ('2032-02-01 00:00:00+00') TO ('2032-03-01 00:00:00+00')",
      },
    ]);
    await database.db('trips').insert({
      id: '00000000-0000-4000-8000-000000000001',
      feed_id: '00000000-0000-4000-8000-000000000002',
      operator_id: 'op',
      form_factor: 'BICYCLE',
      source: 'INFERRED',
      status: 'OPEN',
      start_time: new Date('2032-01-31T23:59:59.999Z'),
      start_lat: 52.37,
      start_lng: 4.89,
      start_h3_cell: '881969534bfffff',
      start_zone_ids: [],
    });
    const stored = await database.db.raw<{ rows: { partition: string }[] }>(
      `select tableoid::regclass::text as partition from trips`,
    );
    expect(stored.rows).toEqual([{ partition: 'trips_p203201' }]);
  });
});
