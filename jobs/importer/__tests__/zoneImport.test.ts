import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZoneLocator } from '../zoneLocator';
import { seed } from '../../../seeds';
import { seedDemoDistricts } from '../../../seeds/demoDistricts';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../../test/db';
import { PROJECT_ROOT } from '../../../lib/config';
import { LiveZoneIndex } from '../../../lib/geo/liveZoneIndex';
import { InProcessPubSub } from '../../../lib/pubsub';
import { createZoneStore } from '../../../lib/domain/zoneStore';
import {
  importZoneFile,
  ZoneImportError,
  ZoneImportForbiddenError,
} from '../../../lib/domain/zoneImport';

/** Imports of districts and neighbourhoods against a real database with the CBS municipalities. */
let database: TestDatabase;
const pubsub = new InProcessPubSub();

/** A square of `size` degrees with its south-west corner at (lng, lat). */
const square = (lng: number, lat: number, size = 0.01) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + size, lat],
      [lng + size, lat + size],
      [lng, lat + size],
      [lng, lat],
    ],
  ],
});

const district = (code: string, geometry: unknown, name = `District ${code}`) => ({
  type: 'Feature',
  properties: { statcode: code, statnaam: name },
  geometry,
});

const file = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

/** Rotterdam's centre, well inside GM0599. */
const RTM = { lng: 4.47, lat: 51.915 };

async function zonesSnapshot(): Promise<string> {
  const rows = await database
    .db('zones')
    .select('id', 'code', 'kind', 'geometry', 'retired_at', 'updated_at')
    .orderBy('id');
  return JSON.stringify(rows);
}

async function refused(text: string, kind: 'DISTRICT' | 'NEIGHBOURHOOD' = 'DISTRICT') {
  const before = await zonesSnapshot();
  const error = await importZoneFile(database.db, pubsub, text, { kind }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ZoneImportError);
  expect(await zonesSnapshot()).toBe(before);
  return (error as ZoneImportError).problems;
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seed(database.db, pubsub, silentLogger, { demo: false });
});

afterAll(async () => {
  await pubsub.close();
  await database?.drop();
});

describe('zone import', () => {
  it('inserts districts, updates them in place on re-import and retires the ones left out', async () => {
    const first = await importZoneFile(
      database.db,
      pubsub,
      file(
        district('WK059901', square(RTM.lng, RTM.lat)),
        district('WK059902', square(RTM.lng + 0.01, RTM.lat)),
      ),
      { kind: 'DISTRICT' },
    );
    expect(first).toEqual({
      inserted: 2,
      updated: 0,
      unchanged: 0,
      retired: 0,
      municipalities: ['GM0599'],
    });
    const ids = await database
      .db('zones')
      .where({ kind: 'DISTRICT', municipality_code: 'GM0599' })
      .orderBy('code')
      .pluck<string[]>('id');

    // Same file again: nothing changes.
    await expect(
      importZoneFile(
        database.db,
        pubsub,
        file(
          district('WK059901', square(RTM.lng, RTM.lat)),
          district('WK059902', square(RTM.lng + 0.01, RTM.lat)),
        ),
        { kind: 'DISTRICT' },
      ),
    ).resolves.toMatchObject({ inserted: 0, updated: 0, unchanged: 2, retired: 0 });

    // WK059901 grows, WK059902 is gone, WK059903 is new.
    const second = await importZoneFile(
      database.db,
      pubsub,
      file(
        district('WK059901', square(RTM.lng, RTM.lat, 0.015)),
        district('WK059903', square(RTM.lng, RTM.lat + 0.015)),
      ),
      { kind: 'DISTRICT' },
    );
    expect(second).toMatchObject({ inserted: 1, updated: 1, unchanged: 0, retired: 1 });
    const rows = await database
      .db('zones')
      .where({ kind: 'DISTRICT', municipality_code: 'GM0599' })
      .orderBy('code')
      .select<{ id: string; code: string; retired_at: Date | null; max_lat: number }[]>(
        'id',
        'code',
        'retired_at',
        'max_lat',
      );
    expect(rows.map((r) => [r.code, r.retired_at !== null])).toEqual([
      ['WK059901', false],
      ['WK059902', true],
      ['WK059903', false],
    ]);
    // Ids stay: history stays attached.
    expect(rows[0]?.id).toBe(ids[0]);
    expect(rows[1]?.id).toBe(ids[1]);
    expect(rows[0]?.max_lat).toBeCloseTo(RTM.lat + 0.015, 6);

    // Listed again: back in service, same id.
    const third = await importZoneFile(
      database.db,
      pubsub,
      file(
        district('WK059901', square(RTM.lng, RTM.lat, 0.015)),
        district('WK059902', square(RTM.lng + 0.02, RTM.lat)),
        district('WK059903', square(RTM.lng, RTM.lat + 0.015)),
      ),
      { kind: 'DISTRICT' },
    );
    expect(third).toMatchObject({ inserted: 0, updated: 1, retired: 0 });
    const back = await database.db('zones').where({ code: 'WK059902' }).first<{ id: string }>();
    expect(back.id).toBe(ids[1]);
  });

  it('refuses bad files with the feature index and the reason, and changes nothing', async () => {
    expect(await refused('{"type": "FeatureCollection", "features": [')).toEqual([
      { feature: null, reason: expect.stringContaining('not JSON') as string },
    ]);
    expect(await refused(JSON.stringify({ type: 'Feature' }))).toEqual([
      { feature: null, reason: 'not a GeoJSON FeatureCollection' },
    ]);

    const bowTie = {
      type: 'Polygon',
      coordinates: [
        [
          [RTM.lng, RTM.lat],
          [RTM.lng + 0.01, RTM.lat + 0.01],
          [RTM.lng + 0.01, RTM.lat],
          [RTM.lng, RTM.lat + 0.01],
          [RTM.lng, RTM.lat],
        ],
      ],
    };
    const point = [RTM.lng, RTM.lat];
    const empty = { type: 'Polygon', coordinates: [[point, point, point, point]] };
    const swapped = {
      type: 'Polygon',
      coordinates: square(RTM.lng, RTM.lat).coordinates.map((ring) =>
        ring.map(([lng, lat]) => [lat, lng]),
      ),
    };
    const problems = await refused(
      file(
        district('WK059901', square(RTM.lng, RTM.lat)),
        district('WK059902', bowTie),
        district('WK059903', empty),
        district('WK059904', { type: 'Polygon', coordinates: [] }),
        district('GM0599', square(RTM.lng, RTM.lat)),
        district('WK059905', { type: 'Point', coordinates: point }),
      ),
    );
    expect(problems).toEqual([
      {
        feature: 1,
        reason: 'geometry.coordinates[0]: self-intersecting ring: edges 0 and 2 cross or touch',
      },
      { feature: 2, reason: 'geometry.coordinates[0]: empty polygon: no area (under 1 m²)' },
      { feature: 3, reason: expect.stringContaining('a polygon needs an outer ring') as string },
      {
        feature: 4,
        reason: expect.stringContaining('unknown code "GM0599"') as string,
      },
      {
        feature: 5,
        reason: expect.stringContaining('type must be Polygon or MultiPolygon') as string,
      },
    ]);

    // The codes are fine, the places are not: checked against the municipality the code names.
    expect(
      await refused(
        file(
          district('WK059901', square(RTM.lng, RTM.lat)),
          district('WK999901', square(RTM.lng, RTM.lat)),
          district('WK059906', swapped),
          district('WK036301', square(RTM.lng, RTM.lat)),
        ),
      ),
    ).toEqual([
      { feature: 1, reason: 'unknown code "WK999901": there is no municipality GM9999' },
      {
        feature: 2,
        reason:
          'wrong coordinate order: positions look like [latitude, longitude]; GeoJSON is [longitude, latitude]',
      },
      { feature: 3, reason: 'lies outside municipality GM0363 (0% inside)' },
    ]);

    // Neighbourhood codes for a district import, and a repeated code.
    expect(
      await refused(
        file(
          district('BU05990101', square(RTM.lng, RTM.lat)),
          district('WK059901', square(RTM.lng, RTM.lat)),
          district('WK059901', square(RTM.lng, RTM.lat)),
        ),
      ),
    ).toEqual([
      {
        feature: 0,
        reason:
          'unknown code "BU05990101" in properties.statcode: a DISTRICT code looks like WK036300',
      },
      { feature: 2, reason: 'code WK059901 repeats features[1]' },
    ]);
  });

  it('refuses a zone in a municipality the caller does not own, before writing anything', async () => {
    const before = await zonesSnapshot();
    await expect(
      importZoneFile(database.db, pubsub, file(district('WK059907', square(RTM.lng, RTM.lat))), {
        kind: 'DISTRICT',
        allowedMunicipalities: ['GM0363'],
      }),
    ).rejects.toBeInstanceOf(ZoneImportForbiddenError);
    expect(await zonesSnapshot()).toBe(before);
  });

  it('refuses a 200 MB file unread, from the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zones-'));
    try {
      const path = join(dir, 'huge.geojson');
      writeFileSync(path, '');
      truncateSync(path, 200 * 1024 * 1024);
      const result = spawnSync(
        join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'),
        ['bin/zonesImport.ts', '--kind', 'DISTRICT', path],
        {
          cwd: PROJECT_ROOT,
          env: { PATH: process.env.PATH, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
          encoding: 'utf8',
        },
      );
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`is ${200 * 1024 * 1024} bytes; at most ${50 * 1024 * 1024}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('seeds the demo grid districts of Amsterdam once, and the zone index and importer pick them up', async () => {
    const repository = createZoneStore(database.db);
    const index = new LiveZoneIndex(repository, pubsub, silentLogger, 60_000);
    await index.start();
    const locator = new ZoneLocator(database.db);
    const versionBefore = await locator.refresh();
    try {
      const dam = { lng: 4.8932, lat: 52.3731 };
      expect(index.current.containing(dam.lng, dam.lat).map((z) => z.kind)).toEqual([
        'MUNICIPALITY',
      ]);
      const seeded = await seedDemoDistricts(database.db, pubsub);
      expect(seeded.inserted).toBeGreaterThan(30);
      expect(seeded.municipalities).toEqual(['GM0363']);
      await expect(seedDemoDistricts(database.db, pubsub)).resolves.toMatchObject({
        inserted: 0,
        updated: 0,
        retired: 0,
      });

      const deadline = Date.now() + 5000;
      while (index.current.containing(dam.lng, dam.lat).length < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(
        index.current
          .containing(dam.lng, dam.lat)
          .map((z) => z.kind)
          .sort(),
      ).toEqual(['DISTRICT', 'MUNICIPALITY']);
      expect(await locator.refresh()).not.toBe(versionBefore);
      expect(locator.locate(dam.lat, dam.lng).zoneIds).toHaveLength(2);

      // Retired zones leave the index: a Rotterdam re-import without WK059903 retires it.
      const retiredPoint = { lng: RTM.lng + 0.005, lat: RTM.lat + 0.02 };
      expect(index.current.containing(retiredPoint.lng, retiredPoint.lat)).toHaveLength(2);
      await importZoneFile(
        database.db,
        pubsub,
        file(district('WK059901', square(RTM.lng, RTM.lat, 0.015))),
        { kind: 'DISTRICT' },
      );
      const until = Date.now() + 5000;
      while (
        index.current.containing(retiredPoint.lng, retiredPoint.lat).length > 1 &&
        Date.now() < until
      ) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(index.current.containing(retiredPoint.lng, retiredPoint.lat)).toHaveLength(1);
    } finally {
      await index.stop();
    }
  });
});
