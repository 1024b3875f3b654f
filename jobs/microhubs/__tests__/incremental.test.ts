import { randomUUID } from 'node:crypto';
import { FORM_FACTORS, type FormFactor } from '../../../lib/domain/formFactors';
import {
  acceptedFormFactors,
  COMBINED,
  type HubCapacity,
  type HubStatusRow,
} from '../../../lib/domain/hubs/model';
import { circlePolygon, circleShape, polygonShape } from '../../../lib/domain/hubs/shapes';
import { createHubStore } from '../../../lib/domain/hubs/store';
import type { AreaGeometry } from '../../../lib/geo/geometry';
import { InProcessPubSub } from '../../../lib/pubsub';
import { seed } from '../../../seeds';
import { mulberry32 } from '../../../simulator/random';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../../test/db';
import { DAM, moved, rectangle, Street, type ParkedSpec } from '../../../test/microhubs';
import { createHubController, type HubController } from '../controller';

/**
 * The controller reads only the vehicles that changed since its last tick and moves their counts.
 * Here a randomised street (overlapping point and polygon hubs with buffers, combined and
 * per-form-factor capacities, two operators, every form factor, reserved and disabled vehicles)
 * goes through rounds of parking, leaving, moving, changing and deleted vehicles, a feed switched
 * off and on and a hub edited; after every tick each hub's status must equal a brute-force count
 * of `vehicles_now`: every vehicle tested against every hub.
 */
let database: TestDatabase;
let pubsub: InProcessPubSub;

beforeAll(async () => {
  database = await createTestDatabase();
  pubsub = new InProcessPubSub();
  await seed(database.db, pubsub, silentLogger, { demo: false });
});

afterAll(async () => {
  await pubsub?.close();
  await database?.drop();
});

interface Hub {
  id: string;
  geometry: AreaGeometry;
  centerLat: number;
  centerLng: number;
  radiusMeters: number | null;
  bufferMeters: number;
  capacity: HubCapacity;
  combinedFormFactors: FormFactor[] | null;
}

/** The status a full count by hand gives: `{ hubId/key: [vehicles, rentable, breakdown] }`. */
async function bruteForce(hubs: Hub[]): Promise<Map<string, [number, number, string]>> {
  const vehicles = await database.db('vehicles_now').select<
    {
      lat: number;
      lng: number;
      form_factor: string;
      is_reserved: boolean;
      is_disabled: boolean;
    }[]
  >('lat', 'lng', 'form_factor', 'is_reserved', 'is_disabled');
  const shapes = hubs.map((hub) => ({
    hub,
    shape:
      hub.radiusMeters !== null
        ? circleShape(hub.centerLat, hub.centerLng, hub.radiusMeters, hub.bufferMeters)
        : polygonShape(hub.geometry, hub.bufferMeters),
    takes: new Set<string>(
      acceptedFormFactors({
        capacity: hub.capacity,
        combined_form_factors: hub.combinedFormFactors,
      }),
    ),
  }));
  const tally = new Map<string, Map<string, [number, number]>>();
  for (const v of vehicles) {
    let best: Hub | undefined;
    let bestDistance = Infinity;
    for (const { hub, shape, takes } of shapes) {
      if (!takes.has(v.form_factor)) continue;
      const d = shape.distanceMeters(v.lat, v.lng);
      if (d > hub.bufferMeters) continue;
      if (d < bestDistance || (d === bestDistance && best !== undefined && hub.id < best.id)) {
        [best, bestDistance] = [hub, d];
      }
    }
    if (!best) continue;
    const perForm = tally.get(best.id) ?? new Map<string, [number, number]>();
    tally.set(best.id, perForm);
    const [n, rentable] = perForm.get(v.form_factor) ?? [0, 0];
    perForm.set(v.form_factor, [n + 1, rentable + (v.is_reserved || v.is_disabled ? 0 : 1)]);
  }
  const expected = new Map<string, [number, number, string]>();
  for (const hub of hubs) {
    const combined = hub.capacity.COMBINED !== undefined;
    const keys = combined ? [COMBINED] : Object.keys(hub.capacity);
    for (const key of keys) {
      const forms = FORM_FACTORS.filter((f) => (combined ? true : f === key));
      let vehiclesIn = 0;
      let rentableIn = 0;
      const breakdown: Record<string, [number, number]> = {};
      for (const f of forms) {
        const counted = tally.get(hub.id)?.get(f);
        if (!counted) continue;
        vehiclesIn += counted[0];
        rentableIn += counted[1];
        breakdown[f] = counted;
      }
      expected.set(`${hub.id}/${key}`, [vehiclesIn, rentableIn, JSON.stringify(breakdown)]);
    }
  }
  return expected;
}

async function statuses(): Promise<Map<string, [number, number, string]>> {
  const rows = await database.db('hub_status').select<HubStatusRow[]>('*');
  return new Map(
    rows.map((row) => {
      const breakdown = Object.fromEntries(
        FORM_FACTORS.filter((f) => row.breakdown[f]).map((f) => [f, row.breakdown[f]]),
      );
      return [
        `${row.hub_id}/${row.form_factor}`,
        [row.vehicles, row.vehicles_available, JSON.stringify(breakdown)],
      ];
    }),
  );
}

describe('the controller counting only what changed', () => {
  it('agrees with a brute-force recount after every tick on a randomised street', async () => {
    const { db } = database;
    const next = mulberry32(20261209);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const area = 260;
    const spot = () => moved(DAM, next() * area, next() * area);

    // 60 hubs on 260 m x 260 m: many overlap one another or each other's buffers.
    const hubs: Hub[] = [];
    const store = createHubStore(db);
    for (let i = 0; i < 60; i += 1) {
      const at = spot();
      const point = next() < 0.6;
      const radiusMeters = point ? 5 + Math.round(next() * 20) : null;
      const geometry = point
        ? circlePolygon(at.lat, at.lng, radiusMeters!)
        : rectangle(at, 10 + next() * 40, 10 + next() * 40);
      const combined = next() < 0.5;
      const capacity: HubCapacity = combined
        ? { COMBINED: 3 + Math.floor(next() * 10) }
        : { BICYCLE: 1 + Math.floor(next() * 5), [pick(['MOPED', 'CAR'] as const)]: 2 };
      const hub: Hub = {
        id: randomUUID(),
        geometry,
        centerLat: at.lat,
        centerLng: at.lng,
        radiusMeters,
        bufferMeters: pick([0, 0, 10, 20, 30]),
        capacity,
        combinedFormFactors:
          combined && next() < 0.5 ? ['BICYCLE', 'CARGO_BICYCLE', 'SCOOTER_STANDING'] : null,
      };
      hubs.push(hub);
      await store.insertHub({
        ...hub,
        code: `R-${i}`,
        name: `Random ${i}`,
        municipalityCode: 'GM0363',
        ownerOrganisationId: null,
        control: 'AUTOMATIC',
        effectiveFrom: new Date(Date.now() - 60_000),
        retireAt: null,
      });
    }

    const streets = [await new Street(db).open(), await new Street(db).open()];
    const parked = streets.map(() => new Map<string, ParkedSpec>());
    let serial = 0;
    const vehicle = (id = `v${(serial += 1)}`): ParkedSpec => ({
      id,
      ...spot(),
      formFactor: pick(FORM_FACTORS),
      reserved: next() < 0.1,
      disabled: next() < 0.1,
    });
    const park = async (s: number, vehicles: ParkedSpec[]) => {
      await streets[s]!.park(vehicles);
      for (const v of vehicles) parked[s]!.set(v.id, v);
    };
    for (let s = 0; s < streets.length; s += 1) {
      await park(
        s,
        Array.from({ length: 400 }, () => vehicle()),
      );
    }

    const controller: HubController = createHubController({
      db,
      pubsub,
      logger: silentLogger,
      settings: { reopenFreeRatio: 0.05 },
    });
    const tickAndCompare = async (read: 'full' | 'changes') => {
      const report = await controller.tick();
      expect(report.read).toBe(read);
      const expected = await bruteForce(hubs);
      expect(await statuses()).toEqual(expected);
      return { report, expected };
    };
    const first = await tickAndCompare('full');
    const counted = [...first.expected.values()].reduce((sum, [n]) => sum + n, 0);
    expect(counted).toBeGreaterThan(100);
    expect(first.report.vehicles).toBe(counted);

    for (let round = 0; round < 8; round += 1) {
      const touched = new Set<string>();
      for (let s = 0; s < streets.length; s += 1) {
        const ids = [...parked[s]!.keys()];
        const leaving = ids.filter(() => next() < 0.1);
        await streets[s]!.leave(leaving);
        for (const id of leaving) parked[s]!.delete(id);
        // Some move or change (form factor, reserved, disabled) under their id, some come back
        // after leaving, some are new.
        const changing = [...parked[s]!.keys()].filter(() => next() < 0.1);
        const back = leaving.filter(() => next() < 0.3);
        const arriving = [
          ...[...changing, ...back].map((id) => vehicle(id)),
          ...Array.from({ length: 20 }, () => vehicle()),
        ];
        await park(s, arriving);
        for (const v of [...leaving, ...arriving.map((a) => a.id)]) touched.add(v);
      }
      // A vehicle row deleted while parked (an id the importer renamed).
      const [gone] = [...parked[0]!.keys()];
      await db('vehicle_state').where({ vehicle_id: gone }).delete();
      parked[0]!.delete(gone!);
      touched.add(gone!);
      // Exactly the vehicles this round touched are read, nothing else.
      const { report } = await tickAndCompare('changes');
      expect(report.vehiclesRead).toBe(touched.size);
    }

    // A feed switched off and on again: its vehicles leave the count and come back.
    const [feed] = await db('feeds')
      .where({ operator_id: streets[1]!.operatorId })
      .pluck<string[]>('id');
    await db('feeds').where({ id: feed }).update({ active: false });
    await tickAndCompare('full');
    await db('feeds').where({ id: feed }).update({ active: true });
    await tickAndCompare('full');

    // A hub edited: the hubs changed, so everything is counted again; then changes only again.
    const edited = hubs[0]!;
    edited.bufferMeters = 40;
    await store.updateHub(edited.id, { bufferMeters: 40 });
    await tickAndCompare('full');
    await park(1, [vehicle(), vehicle(), vehicle()]);
    await tickAndCompare('changes');

    // A controller that starts now counts everything and agrees.
    const fresh = createHubController({
      db,
      pubsub,
      logger: silentLogger,
      settings: { reopenFreeRatio: 0.05 },
    });
    expect((await fresh.tick()).changes).toBe(0);
  }, 120_000);
});
