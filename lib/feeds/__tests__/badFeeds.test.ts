import type { ServerResponse } from 'node:http';
import { readFeed, type FeedError } from '..';
import { feedConfig, READ, readFixture, startFeedServer, type FeedServer } from './feedServer';

const FREE_BIKE_STATUS = ['gbfs-json-schema', 'testFixtures', 'v2.3', 'free_bike_status.json'];

type Bike = Record<string, unknown>;
interface FreeBikeStatus {
  last_updated: number;
  ttl: number;
  version: string;
  data: { bikes: Bike[] };
}

/** The official 2.3 fixture with a second, valid bike and `change` applied. */
function feedWith(change: (doc: FreeBikeStatus) => void): FreeBikeStatus {
  const doc = structuredClone(readFixture(...FREE_BIKE_STATUS)) as FreeBikeStatus;
  doc.data.bikes.push({
    bike_id: 'TST:Scooter:5678',
    lat: 59.92,
    lon: 10.75,
    is_reserved: false,
    is_disabled: false,
  });
  change(doc);
  return doc;
}

let server: FeedServer;
let path = 0;

/** Serves `body` (a value as JSON, a string as is) on a fresh path and reads it. */
async function readServed(body: unknown, options: Partial<typeof READ> = {}): Promise<FeedError> {
  path += 1;
  const route = `/feed-${path}.json`;
  if (typeof body === 'string') {
    server.route(route, (_req, res) => res.writeHead(200).end(body));
  } else {
    server.json(route, body);
  }
  return readError(`${server.base}${route}`, options);
}

async function readError(url: string, options: Partial<typeof READ> = {}): Promise<FeedError> {
  const result = await readFeed(feedConfig({ url, type: 'GBFS_FREE_BIKE_STATUS' }), {
    ...READ,
    ...options,
  });
  if (result.ok) throw new Error('expected the read to fail');
  return result.error;
}

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());

describe('readFeed reports bad feed data', () => {
  it('malformed JSON is INVALID_JSON, quoting where it broke', async () => {
    const error = await readServed('{"last_updated": 1606857968, "data": {"bikes": [}');
    expect(error).toMatchObject({ kind: 'INVALID_JSON', path: null });
    expect(error.message).toMatch(/^the response is not JSON: /);
  });

  it('an empty body is INVALID_JSON', async () => {
    const error = await readServed('');
    expect(error).toMatchObject({ kind: 'INVALID_JSON', message: 'the response body is empty' });
  });

  it('a schema violation in the envelope is SCHEMA with the path, the expectation and the value', async () => {
    const error = await readServed(
      feedWith((doc) => {
        (doc as unknown as { ttl: unknown }).ttl = 'soon';
      }),
    );
    expect(error).toEqual({
      kind: 'SCHEMA',
      url: expect.stringContaining('/feed-') as string,
      path: 'ttl',
      message: 'ttl: must be integer, got "soon" (GBFS 2.3 free_bike_status schema)',
    });
  });
});

describe('readFeed quarantines bad vehicle records and reads the rest', () => {
  /** Serves `body` on a fresh path; the vehicles read and the records left out. */
  async function readServedOk(body: unknown) {
    path += 1;
    const route = `/feed-${path}.json`;
    server.json(route, body);
    const result = await readFeed(
      feedConfig({ url: `${server.base}${route}`, type: 'GBFS_FREE_BIKE_STATUS' }),
      READ,
    );
    if (!result.ok) throw new Error(`expected the read to succeed: ${result.error.message}`);
    return {
      vehicles: result.snapshot.vehicles.map((v) => v.vehicleId),
      quarantined: (result.snapshot.quarantined ?? []).map(({ vehicleId, path, reason }) => ({
        vehicleId,
        path,
        reason,
      })),
    };
  }

  it('a field of the wrong type: that vehicle is left out with the schema message', async () => {
    const read = await readServedOk(
      feedWith((doc) => {
        doc.data.bikes[1]!.is_reserved = 'no';
      }),
    );
    expect(read).toEqual({
      vehicles: ['TST:Scooter:1234'],
      quarantined: [
        {
          vehicleId: 'TST:Scooter:5678',
          path: 'data.bikes[1].is_reserved',
          reason:
            'data.bikes[1].is_reserved: must be boolean, got "no" (GBFS 2.3 free_bike_status schema)',
        },
      ],
    });
  });

  it('a missing id: left out, naming the field', async () => {
    const read = await readServedOk(
      feedWith((doc) => {
        delete doc.data.bikes[1]!.bike_id;
      }),
    );
    expect(read.vehicles).toEqual(['TST:Scooter:1234']);
    expect(read.quarantined).toEqual([
      {
        vehicleId: null,
        path: 'data.bikes[1].bike_id',
        reason: 'data.bikes[1].bike_id: is required (GBFS 2.3 free_bike_status schema)',
      },
    ]);
  });

  it.each([
    [
      'a null position',
      (b: Bike) => Object.assign(b, { lat: null, lon: null }),
      'data.bikes[1]',
      'data.bikes[1]: the position is null (lat: null, lon: null)',
    ],
    [
      'a null latitude alone',
      (b: Bike) => Object.assign(b, { lat: null }),
      'data.bikes[1].lat',
      'data.bikes[1].lat: the latitude is null',
    ],
    [
      'a latitude out of range',
      (b: Bike) => Object.assign(b, { lat: 95 }),
      'data.bikes[1].lat',
      'data.bikes[1].lat: 95 is out of range (latitude must be -90 to 90)',
    ],
    [
      'a longitude out of range',
      (b: Bike) => Object.assign(b, { lon: -181.5 }),
      'data.bikes[1].lon',
      'data.bikes[1].lon: -181.5 is out of range (longitude must be -180 to 180)',
    ],
    [
      'a vehicle at 0,0',
      (b: Bike) => Object.assign(b, { lat: 0, lon: 0 }),
      'data.bikes[1]',
      'data.bikes[1]: the position is 0,0 (a missing GPS fix, not a place)',
    ],
  ])('%s: that vehicle is left out as INVALID_DATA', async (_name, change, where, reason) => {
    const read = await readServedOk(feedWith((doc) => change(doc.data.bikes[1]!)));
    expect(read).toEqual({
      vehicles: ['TST:Scooter:1234'],
      quarantined: [{ vehicleId: 'TST:Scooter:5678', path: where, reason }],
    });
  });

  it('a duplicate vehicle id: the second one is left out', async () => {
    const read = await readServedOk(
      feedWith((doc) => {
        doc.data.bikes[1]!.bike_id = 'TST:Scooter:1234';
      }),
    );
    expect(read).toEqual({
      vehicles: ['TST:Scooter:1234'],
      quarantined: [
        {
          vehicleId: 'TST:Scooter:1234',
          path: 'data.bikes[1].bike_id',
          reason:
            'data.bikes[1].bike_id: duplicate vehicle id "TST:Scooter:1234" (also at data.bikes[0].bike_id)',
        },
      ],
    });
  });

  it('several bad records are all found, with their own index', async () => {
    const read = await readServedOk(
      feedWith((doc) => {
        doc.data.bikes.push({ ...doc.data.bikes[1], bike_id: 'b3', is_disabled: 'yes' });
        doc.data.bikes.push({ ...doc.data.bikes[1], bike_id: 'b4' });
        doc.data.bikes[0]!.lat = 0;
        doc.data.bikes[0]!.lon = 0;
      }),
    );
    expect(read.vehicles).toEqual(['TST:Scooter:5678', 'b4']);
    expect(read.quarantined.map((q) => q.path)).toEqual([
      'data.bikes[0]',
      'data.bikes[2].is_disabled',
    ]);
  });

  it('a feed without vehicles is read as empty (the importer decides what that means)', async () => {
    const read = await readServedOk(
      feedWith((doc) => {
        doc.data.bikes = [];
      }),
    );
    expect(read).toEqual({ vehicles: [], quarantined: [] });
  });
});

describe('readFeed reports transport failures', () => {
  /** Writes 64 KiB chunks until `totalBytes` or until the client goes away. */
  function streamJunk(res: ServerResponse, totalBytes: number, declareLength: boolean): void {
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(declareLength ? { 'content-length': String(totalBytes) } : {}),
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < totalBytes && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  }

  it('a 50 MB body streamed in chunks is TOO_LARGE, and the read stops early', async () => {
    const fiftyMb = 50 * 1024 * 1024;
    let serverSent: Promise<number> = Promise.resolve(0);
    server.route('/huge.json', (_req, res) => {
      const socket = res.socket;
      serverSent = new Promise((resolve) =>
        res.on('close', () => resolve(socket?.bytesWritten ?? 0)),
      );
      streamJunk(res, fiftyMb, false);
    });
    const error = await readError(`${server.base}/huge.json`, { maxBytes: 1024 * 1024 });
    expect(error).toMatchObject({
      kind: 'TOO_LARGE',
      message: 'the response is larger than the limit of 1048576 bytes',
      path: null,
    });
    expect(await serverSent).toBeLessThan(fiftyMb);
  });

  it('a declared Content-Length over the limit is TOO_LARGE before reading', async () => {
    server.route('/declared.json', (_req, res) => streamJunk(res, 50 * 1024 * 1024, true));
    const error = await readError(`${server.base}/declared.json`, { maxBytes: 1024 * 1024 });
    expect(error.kind).toBe('TOO_LARGE');
  });

  it('a server that never answers is a TIMEOUT within the timeout', async () => {
    server.route('/silent.json', () => undefined);
    const started = Date.now();
    const error = await readError(`${server.base}/silent.json`, { timeoutMs: 300 });
    const elapsedMs = Date.now() - started;
    expect(error).toMatchObject({ kind: 'TIMEOUT', message: 'no response within 300 ms' });
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
    expect(elapsedMs).toBeLessThan(1500);
  });

  it('a body that stalls half-way is a TIMEOUT', async () => {
    server.route('/stalls.json', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"last_updated": 1606857968, ');
    });
    const error = await readError(`${server.base}/stalls.json`, { timeoutMs: 300 });
    expect(error).toMatchObject({
      kind: 'TIMEOUT',
      message: 'the response body did not arrive within 300 ms',
    });
  });

  it('HTTP 500 is HTTP_STATUS with the status', async () => {
    server.route('/broken.json', (_req, res) => res.writeHead(500).end('oops'));
    const error = await readError(`${server.base}/broken.json`);
    expect(error).toMatchObject({
      kind: 'HTTP_STATUS',
      httpStatus: 500,
      message: 'the feed answered HTTP 500',
    });
  });

  it('HTTP 401 is AUTH', async () => {
    server.route('/private.json', (_req, res) => res.writeHead(401).end());
    const error = await readError(`${server.base}/private.json`);
    expect(error).toMatchObject({ kind: 'AUTH', httpStatus: 401 });
  });

  it('a redirect loop is REDIRECT_LOOP', async () => {
    server.route('/loop-a.json', (_req, res) =>
      res.writeHead(302, { location: '/loop-b.json' }).end(),
    );
    server.route('/loop-b.json', (_req, res) =>
      res.writeHead(301, { location: `${server.base}/loop-a.json` }).end(),
    );
    const error = await readError(`${server.base}/loop-a.json`);
    expect(error).toMatchObject({ kind: 'REDIRECT_LOOP', url: `${server.base}/loop-a.json` });
    expect(error.message).toBe(
      `redirect loop: ${server.base}/loop-b.json redirects back to ${server.base}/loop-a.json`,
    );
  });

  it('an endless chain of redirects is REDIRECT_LOOP', async () => {
    server.route('/chain.json', (req, res) => {
      const n = Number(new URL(req.url ?? '', server.base).searchParams.get('n') ?? 0);
      res.writeHead(307, { location: `/chain.json?n=${n + 1}` }).end();
    });
    const error = await readError(`${server.base}/chain.json`);
    expect(error.kind).toBe('REDIRECT_LOOP');
    expect(error.message).toMatch(/^more than 5 redirects/);
  });

  it('follows a redirect to the feed and keeps the header credentials on the same origin', async () => {
    let authorization: string | undefined;
    server.route('/moved.json', (_req, res) =>
      res.writeHead(301, { location: '/moved-here.json' }).end(),
    );
    server.route('/moved-here.json', (req, res) => {
      authorization = req.headers['x-api-key'] as string | undefined;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(readFixture(...FREE_BIKE_STATUS)));
    });
    const result = await readFeed(
      feedConfig({
        url: `${server.base}/moved.json`,
        type: 'GBFS_FREE_BIKE_STATUS',
        auth: { type: 'HEADER', header: 'x-api-key', value: 'secret' },
      }),
      READ,
    );
    expect(result.ok).toBe(true);
    expect(authorization).toBe('secret');
  });

  it('a refused connection is NETWORK', async () => {
    const closed = await startFeedServer();
    const url = `${closed.base}/gone.json`;
    await closed.close();
    const error = await readError(url);
    expect(error).toMatchObject({ kind: 'NETWORK', url });
    expect(error.message).toMatch(/^request failed: .*ECONNREFUSED/);
  });

  it('a URL that is not http(s) is NETWORK, not an exception', async () => {
    const error = await readError('file:///etc/passwd');
    expect(error).toMatchObject({
      kind: 'NETWORK',
      message: '"file:///etc/passwd" is not an http(s) URL',
    });
  });
});
