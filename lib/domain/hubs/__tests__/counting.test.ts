import { DAM, moved } from '../../../../test/microhubs';
import { distanceMeters } from '../../../geo/distance';
import type { AreaGeometry } from '../../../geo/geometry';
import { HubCounter, vehicleCode, type CountableHub, type ParkedVehicle } from '../counting';
import { decideStatus, reopenThreshold, type RuleInput } from '../rules';
import { circlePolygon, circleShape, polygonShape } from '../shapes';

/** A square of `side` metres with its south-west corner at `at`, optionally with a hole. */
function square(at: { lat: number; lng: number }, side: number, hole?: number): AreaGeometry {
  const ring = (origin: { lat: number; lng: number }, size: number) => {
    const ne = moved(origin, size, size);
    return [
      [origin.lng, origin.lat],
      [ne.lng, origin.lat],
      [ne.lng, ne.lat],
      [origin.lng, ne.lat],
      [origin.lng, origin.lat],
    ] as [number, number][];
  };
  const rings = [ring(at, side)];
  if (hole) rings.push(ring(moved(at, (side - hole) / 2, (side - hole) / 2), hole));
  return { type: 'Polygon', coordinates: rings };
}

describe('hub shapes', () => {
  it('measures the distance to a polygon like great-circle distance, 0 inside', () => {
    const shape = polygonShape(square(DAM, 100), 30);
    expect(shape.distanceMeters(moved(DAM, 50, 50).lat, moved(DAM, 50, 50).lng)).toBe(0);
    for (const [north, east, expected] of [
      [50, -20, 20],
      [50, 125, 25],
      [-10, 50, 10],
      [130, 130, Math.hypot(30, 30)],
    ] as const) {
      const p = moved(DAM, north, east);
      expect(shape.distanceMeters(p.lat, p.lng)).toBeCloseTo(expected, 1);
    }
    const edge = moved(DAM, 50, -20);
    const corner = moved(DAM, 50, 0);
    expect(shape.distanceMeters(edge.lat, edge.lng)).toBeCloseTo(
      distanceMeters(edge.lat, edge.lng, corner.lat, corner.lng),
      1,
    );
  });

  it('treats a hole as outside, and every part of a MultiPolygon as inside', () => {
    const holed = polygonShape(square(DAM, 100, 40), 0);
    const centre = moved(DAM, 50, 50);
    expect(holed.distanceMeters(centre.lat, centre.lng)).toBeCloseTo(20, 1);
    const ring = moved(DAM, 10, 10);
    expect(holed.distanceMeters(ring.lat, ring.lng)).toBe(0);

    const a = square(DAM, 20);
    const b = square(moved(DAM, 0, 500), 20);
    const multi = polygonShape(
      {
        type: 'MultiPolygon',
        coordinates: [a.coordinates, b.coordinates] as [number, number][][][],
      },
      0,
    );
    const inB = moved(DAM, 10, 510);
    expect(multi.distanceMeters(inB.lat, inB.lng)).toBe(0);
  });

  it('draws a point hub as a closed polygon on its circle, and counts by the exact circle', () => {
    const polygon = circlePolygon(DAM.lat, DAM.lng, 25);
    const ring = polygon.coordinates[0]!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    for (const [lng, lat] of ring) {
      expect(distanceMeters(DAM.lat, DAM.lng, lat, lng)).toBeCloseTo(25, 0);
    }
    const circle = circleShape(DAM.lat, DAM.lng, 25, 10);
    const p = moved(DAM, 0, 32);
    expect(circle.distanceMeters(p.lat, p.lng)).toBeCloseTo(7, 1);
    // The search box holds everything within radius + buffer (35 m), and not much more.
    expect(p.lng).toBeLessThan(circle.maxLng);
    expect(moved(DAM, 0, 36).lng).toBeGreaterThan(circle.maxLng);
  });
});

describe('HubCounter', () => {
  const hub = (
    id: string,
    at: { lat: number; lng: number },
    extra: Partial<CountableHub> = {},
  ) => ({
    id,
    geometry: circlePolygon(at.lat, at.lng, 10),
    center_lat: at.lat,
    center_lng: at.lng,
    radius_meters: 10,
    buffer_meters: 20,
    capacity: { COMBINED: 5 },
    combined_form_factors: null,
    ...extra,
  });

  it('counts per status key, with the rentable ones and the split per form factor', () => {
    const counter = new HubCounter([
      hub('a', DAM, { capacity: { BICYCLE: 3, MOPED: 2 } }),
      hub('b', moved(DAM, 1000, 0), { combined_form_factors: ['CAR'] }),
    ]);
    const vehicle = (
      at: { lat: number; lng: number },
      formFactor: string,
      rentable = true,
    ): ParkedVehicle => [at.lat, at.lng, vehicleCode(formFactor, rentable)];
    const counts = counter.count([
      vehicle(DAM, 'BICYCLE'),
      vehicle(moved(DAM, 25, 0), 'BICYCLE', false),
      vehicle(moved(DAM, 31, 0), 'BICYCLE'),
      vehicle(DAM, 'MOPED'),
      vehicle(DAM, 'SCOOTER_STANDING'),
      vehicle(moved(DAM, 1000, 0), 'CAR'),
      vehicle(moved(DAM, 1000, 0), 'BICYCLE'),
      vehicle(DAM, 'HOVERCRAFT'),
    ]);
    expect(Object.fromEntries(counts.get('a')!)).toEqual({
      BICYCLE: { vehicles: 2, rentable: 1, breakdown: { BICYCLE: [2, 1] } },
      MOPED: { vehicles: 1, rentable: 1, breakdown: { MOPED: [1, 1] } },
    });
    expect(Object.fromEntries(counts.get('b')!)).toEqual({
      COMBINED: { vehicles: 1, rentable: 1, breakdown: { CAR: [1, 1] } },
    });
  });

  it('agrees with testing every vehicle against every hub', () => {
    // Point and square hubs 60 m apart with 20 m buffers: many vehicles are near two hubs.
    const hubs: CountableHub[] = Array.from({ length: 400 }, (_, i) => {
      const at = moved(DAM, Math.floor(i / 20) * 60, (i % 20) * 60);
      return i % 3 === 0
        ? hub(`h${i}`, at, { geometry: square(at, 20), radius_meters: null })
        : hub(`h${i}`, at);
    });
    const vehicles = Array.from({ length: 6000 }, (_, i): ParkedVehicle => {
      const at = moved(DAM, ((i * 7919) % 1300) - 50, ((i * 104729) % 1300) - 50);
      return [at.lat, at.lng, vehicleCode('BICYCLE', i % 4 !== 0)];
    });
    const counts = new HubCounter(hubs).count(vehicles);

    const shapes = hubs.map((h) =>
      h.radius_meters !== null
        ? circleShape(h.center_lat, h.center_lng, h.radius_meters, h.buffer_meters)
        : polygonShape(h.geometry!, h.buffer_meters),
    );
    const expected = new Map<string, number>();
    for (const [lat, lng] of vehicles) {
      let best = -1;
      let bestDistance = Infinity;
      shapes.forEach((shape, i) => {
        const d = shape.distanceMeters(lat, lng);
        if (d <= hubs[i]!.buffer_meters && d < bestDistance) [best, bestDistance] = [i, d];
      });
      if (best >= 0) expected.set(hubs[best]!.id, (expected.get(hubs[best]!.id) ?? 0) + 1);
    }
    const counted = new Map(
      [...counts].map(([id, perKey]) => [id, perKey.get('COMBINED')?.vehicles ?? 0]),
    );
    const differences = hubs.filter((h) => counted.get(h.id) !== (expected.get(h.id) ?? 0));
    expect(differences.map((h) => h.id)).toEqual([]);
    expect([...expected.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(1500);
  });
});

describe('the rules', () => {
  const base: RuleInput = {
    control: 'AUTOMATIC',
    effective: true,
    vehicles: 0,
    capacity: 100,
    previousOpen: true,
    reopenFreeRatio: 0.05,
  };

  it.each([
    [{ vehicles: 99 }, true, 'PLACES_AVAILABLE'],
    [{ vehicles: 100 }, false, 'FULL'],
    [{ vehicles: 120 }, false, 'FULL'],
    [{ vehicles: 96, previousOpen: false }, false, 'BELOW_REOPEN_THRESHOLD'],
    [{ vehicles: 95, previousOpen: false }, true, 'PLACES_AVAILABLE'],
    [{ vehicles: 99, previousOpen: undefined }, true, 'PLACES_AVAILABLE'],
    [{ vehicles: 100, control: 'MANUAL_OPEN' }, true, 'MANUAL_OPEN'],
    [{ vehicles: 0, control: 'MANUAL_CLOSED' }, false, 'MANUAL_CLOSED'],
    [{ control: 'MANUAL_OPEN', effective: false }, false, 'NOT_YET_EFFECTIVE'],
    [{ capacity: 0 }, false, 'FULL'],
  ] as [Partial<RuleInput>, boolean, string][])('%j -> open %s (%s)', (input, open, reason) => {
    expect(decideStatus({ ...base, ...input })).toMatchObject({ open, reason });
  });

  it('needs at least one free place to reopen, and the configured share of larger hubs', () => {
    expect(reopenThreshold(10, 0.05)).toBe(1);
    expect(reopenThreshold(20, 0.05)).toBe(1);
    expect(reopenThreshold(21, 0.05)).toBe(2);
    expect(reopenThreshold(100, 0.05)).toBe(5);
    expect(reopenThreshold(100, 0.1)).toBe(10);
  });
});
