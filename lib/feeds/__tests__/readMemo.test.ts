import { readFeed, ReadMemo, type FeedConfig, type FeedReadResult } from '..';
import { gbfsValidator } from '../gbfsSchemas';
import { ListMemo } from '../listMemo';
import { mdsValidator } from '../mdsSchemas';
import { listIsItemwise } from '../validate';
import { feedConfig, READ, startFeedServer, type FeedServer } from './feedServer';
import { mdsFixture, NOW_MS, type Json } from './mdsFixture';

let server: FeedServer;
let route = 0;

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());

const AT = new Date(NOW_MS);

type Bike = Record<string, unknown>;

function bike(i: number, change: Partial<Bike> = {}): Bike {
  return {
    bike_id: `bike-${i}`,
    lat: 52.3 + i / 1000,
    lon: 4.9 + i / 1000,
    is_reserved: false,
    is_disabled: false,
    last_reported: 1_714_550_000 + i,
    ...change,
  };
}

function freeBikeStatus(bikes: Bike[]): string {
  return JSON.stringify({
    last_updated: 1_714_550_400,
    ttl: 30,
    version: '2.3',
    data: { bikes },
  });
}

/** A feed whose body the test replaces between reads (served as is, byte for byte). */
function servedFeed(type: FeedConfig['type'] = 'GBFS_FREE_BIKE_STATUS') {
  route += 1;
  const path = `/memo-${route}.json`;
  let body = '';
  server.route(path, (_req, res) => res.writeHead(200).end(body));
  return {
    feed: feedConfig({ url: `${server.base}${path}`, type }),
    serve: (text: string) => {
      body = text;
    },
  };
}

/** The read with the memo, and (the ground truth) the same bytes read without one. */
async function readBoth(
  feed: FeedConfig,
  memo: ReadMemo,
): Promise<{ memo: FeedReadResult; fresh: FeedReadResult }> {
  const options = { ...READ, now: () => AT };
  return {
    memo: await readFeed(feed, { ...options, memo }),
    fresh: await readFeed(feed, options),
  };
}

describe('a ReadMemo reads a feed record by record with the same outcome as a full read', () => {
  it('a record that becomes invalid in a later snapshot is still quarantined, as before', async () => {
    const { feed, serve } = servedFeed();
    const memo = new ReadMemo();
    const bikes = [bike(1), bike(2), bike(3), bike(4)];
    serve(freeBikeStatus(bikes));
    const first = await readBoth(feed, memo);
    expect(first.memo).toEqual(first.fresh);
    if (!first.memo.ok) throw new Error(first.memo.error.message);
    expect(first.memo.snapshot.quarantined).toEqual([]);

    // bike-3 turns bad; bike-1 leaves, so every record after it moves up one place.
    serve(freeBikeStatus([bike(2), bike(3, { is_reserved: 'no' }), bike(4), bike(5)]));
    const second = await readBoth(feed, memo);
    expect(second.memo).toEqual(second.fresh);
    if (!second.memo.ok) throw new Error(second.memo.error.message);
    expect(second.memo.snapshot.vehicles.map((v) => v.vehicleId)).toEqual([
      'bike-2',
      'bike-4',
      'bike-5',
    ]);
    expect(second.memo.snapshot.quarantined?.map(({ path, reason }) => ({ path, reason }))).toEqual(
      [
        {
          path: 'data.bikes[1].is_reserved',
          reason:
            'data.bikes[1].is_reserved: must be boolean, got "no" (GBFS 2.3 free_bike_status schema)',
        },
      ],
    );

    // Unchanged since: the bad record is still bad (it was never remembered as good).
    const third = await readBoth(feed, memo);
    expect(third.memo).toEqual(second.fresh);
  });

  it('a record known to be good, repeated under its id or placed at 0,0, is still caught', async () => {
    const { feed, serve } = servedFeed();
    const memo = new ReadMemo();
    serve(freeBikeStatus([bike(1), bike(2)]));
    await readFeed(feed, { ...READ, now: () => AT, memo });
    serve(freeBikeStatus([bike(1), bike(2), bike(1), bike(3, { lat: 0, lon: 0 })]));
    const read = await readBoth(feed, memo);
    expect(read.memo).toEqual(read.fresh);
    if (!read.memo.ok) throw new Error(read.memo.error.message);
    expect(read.memo.snapshot.quarantined?.map((q) => q.path)).toEqual([
      'data.bikes[2].bike_id',
      'data.bikes[3]',
    ]);
  });

  it('a document whose bytes did not change reads as before, every record known', async () => {
    const { feed, serve } = servedFeed();
    const memo = new ReadMemo();
    const text = freeBikeStatus([bike(1), bike(2), bike(3)]);
    serve(text);
    const first = await readBoth(feed, memo);
    const again = await readBoth(feed, memo);
    expect(again.memo).toEqual(first.fresh);
    expect(again.fresh).toEqual(first.fresh);

    const list = new ListMemo();
    const validate = gbfsValidator('2.3', 'free_bike_status');
    const keys = ['data', 'bikes'];
    const bytes = Buffer.from(text);
    list.read(bytes, keys)?.remember([0, 1, 2], validate);
    list.begin();
    const reread = list.read(Buffer.from(text), keys);
    expect([0, 1, 2].map((i) => reread?.isKnown(i, validate))).toEqual([true, true, true]);
    // Known to one schema only: another validator judges every record itself.
    expect(reread?.isKnown(0, gbfsValidator('3.0', 'vehicle_status'))).toBe(false);
    expect(reread?.body).toEqual(JSON.parse(text));
  });

  it('what the scan cannot vouch for is parsed whole, with the same outcome and errors', async () => {
    const { feed, serve } = servedFeed();
    const memo = new ReadMemo();
    const good = freeBikeStatus([bike(1), bike(2)]);
    serve(good);
    await readFeed(feed, { ...READ, now: () => AT, memo });
    const bodies = [
      // "data" twice: JSON.parse keeps the last one.
      `{"last_updated":1714550400,"ttl":30,"version":"2.3","data":{"bikes":[${JSON.stringify(bike(1))}]},"data":{"bikes":[${JSON.stringify(bike(1, { is_disabled: 'x' }))}]}}`,
      // The list's key spelled with an escape.
      good.replace('"bikes"', '"bik\\u0065s"'),
      // A broken record after known ones.
      good.replace(/]}}$/, ',{"bike_id":"bike-9",}]}}'),
      // A trailing comma in the list.
      good.replace(/]}}$/, ',]}}'),
      // A string left open.
      good.replace(/]}}$/, ',{"bike_id":"bike-9}]}}'),
      // A byte order mark before the document.
      `\ufeff${good}`,
      '',
    ];
    for (const body of bodies) {
      serve(body);
      const read = await readBoth(feed, memo);
      expect(read.memo).toEqual(read.fresh);
    }
  });

  it('MDS: a status record turned bad is quarantined as by a full read', async () => {
    const fixture = mdsFixture();
    route += 1;
    const base = `/memo-mds-${route}`;
    server.json(`${base}/vehicles`, fixture.vehicles);
    server.json(`${base}/vehicles/status`, fixture.status);
    const feed = feedConfig({ url: `${server.base}${base}`, type: 'MDS_VEHICLES' });
    const memo = new ReadMemo();
    const first = await readBoth(feed, memo);
    expect(first.memo).toEqual(first.fresh);

    const statuses = structuredClone(fixture.status.vehicles_status) as Json[];
    (statuses[1]!.last_telemetry as Json).timestamp = 'soon';
    server.json(`${base}/vehicles/status`, { ...fixture.status, vehicles_status: statuses });
    const second = await readBoth(feed, memo);
    expect(second.memo).toEqual(second.fresh);
    if (!second.memo.ok) throw new Error(second.memo.error.message);
    expect(second.memo.snapshot.quarantined?.map((q) => q.path)).toEqual([
      'vehicles_status[1].last_telemetry.timestamp',
    ]);
  });
});

describe('listIsItemwise', () => {
  const none = () => undefined;

  it('holds for the vehicle lists read record by record', () => {
    for (const [version, file, keys] of [
      ['2.3', 'free_bike_status', ['data', 'bikes']],
      ['3.0', 'vehicle_status', ['data', 'vehicles']],
    ] as const) {
      expect(listIsItemwise(gbfsValidator(version, file).schema, keys, none)).toBe(true);
    }
  });

  it('refuses array-wide keywords and conditions that can see the list', () => {
    const list = { type: 'array', items: { type: 'object' } };
    const schema = (data: object) => ({ type: 'object', properties: { data } });
    expect(listIsItemwise(schema({ properties: { bikes: list } }), ['data', 'bikes'], none)).toBe(
      true,
    );
    for (const bad of [
      { properties: { bikes: { ...list, minItems: 1 } } },
      { properties: { bikes: { ...list, uniqueItems: true } } },
      { properties: { bikes: list }, anyOf: [{ required: ['bikes'] }] },
      { properties: { bikes: list }, additionalProperties: { type: 'array', maxItems: 2 } },
      { $ref: '#/definitions/elsewhere' },
    ]) {
      expect(listIsItemwise(schema(bad), ['data', 'bikes'], none)).toBe(false);
    }
  });

  it('MDS status and vehicle lists are judged record by record in both modes', () => {
    // mdsValidator declares them; a memo only reuses records for validators it declared.
    for (const mode of ['micromobility', 'car-share'] as const) {
      for (const endpoint of ['vehicles', 'vehicles_status'] as const) {
        const list = new ListMemo();
        const validate = mdsValidator(mode, endpoint);
        const text = JSON.stringify({ version: '2.0.0', [endpoint]: [{ a: 1 }] });
        list.read(Buffer.from(text), [endpoint])?.remember([0], validate);
        list.begin();
        expect(list.read(Buffer.from(text), [endpoint])?.isKnown(0, validate)).toBe(true);
      }
    }
  });
});
