import {
  countEvents,
  diffSnapshot,
  isVehicleDrop,
  type DiffEvents,
  type DiffResult,
  type DiffSettings,
  type VehicleState,
} from '../diff';
import { distanceMeters, metersToLatDegrees } from '../../../lib/geo/distance';
import type { VehicleObservation } from '../../../lib/feeds/types';

const SETTINGS: DiffSettings = {
  reappearWindowMs: 15 * 60_000,
  reappearDistanceMeters: 100,
  relocationDistanceMeters: 500,
  maxTripDurationMs: 24 * 3_600_000,
  rotatingMatchMeters: 15,
  batchMinVehicles: 5,
  batchRadiusMeters: 200,
  partialOutageRatio: 0.05,
  partialOutageMinVehicles: 5,
  holdMaxMs: 2 * 3_600_000,
  rekeyShare: 0.5,
  parkStartHorizonMs: 365 * 24 * 3_600_000,
};

const T0 = new Date('2026-11-22T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const LAT = 52.37;
const LNG = 4.89;
/** The point `meters` north of (LAT, LNG). */
const north = (meters: number) => LAT + metersToLatDegrees(meters);

/** Zones by side of a line: west of 4.9 is "west", east of it "east"; both in GM0363. */
const locate = (_lat: number, lng: number) => ({
  zoneIds: [lng < 4.9 ? 'zone-west' : 'zone-east'],
  municipalityCode: 'GM0363',
});

function vehicle(id: string, patch: Partial<VehicleObservation> = {}): VehicleObservation {
  return {
    vehicleId: id,
    lat: LAT,
    lng: LNG,
    vehicleTypeId: 'bike',
    formFactor: 'BICYCLE',
    isReserved: false,
    isDisabled: false,
    lastReportedAt: null,
    ...patch,
  };
}

/** A feed replayed snapshot by snapshot, the state carried over as the importer does. */
class Feed {
  state = new Map<string, VehicleState>();
  private ids = 0;

  constructor(
    private readonly rotatingIds = false,
    private readonly settings = SETTINGS,
  ) {}

  tick(
    seconds: number,
    vehicles: VehicleObservation[],
    reconcileFrom: Date | null = null,
  ): DiffResult {
    // Frozen: the engine must never modify the previous state.
    for (const s of this.state.values()) Object.freeze(s);
    const result = diffSnapshot({
      previous: this.state,
      vehicles,
      now: at(seconds),
      rotatingIds: this.rotatingIds,
      reconcileFrom,
      settings: this.settings,
      locate,
      newId: () => `id-${++this.ids}`,
    });
    for (const id of result.deletes) this.state.delete(id);
    for (const s of result.upserts) this.state.set(s.vehicleId, s);
    return result;
  }

  /** The first snapshot of a new feed: reconciled from its own time. */
  first(seconds: number, vehicles: VehicleObservation[]): DiffResult {
    return this.tick(seconds, vehicles, at(seconds));
  }
}

/** Only the event lists that are not empty, for readable expectations. */
function nonEmpty(result: DiffResult): Record<string, unknown[]> {
  const names = Object.keys(result.events) as (keyof DiffEvents)[];
  return Object.fromEntries(
    names
      .filter((name) => result.events[name].length > 0)
      .map((name) => [name, result.events[name]]),
  );
}

describe('diffSnapshot: check-ins', () => {
  it('turns the first snapshot of a feed into check-ins only', () => {
    const feed = new Feed();
    const result = feed.first(0, [
      vehicle('a'),
      vehicle('b', { lng: 4.95 }),
      vehicle('c', { isDisabled: true }),
    ]);
    expect(Object.keys(nonEmpty(result)).sort()).toEqual(['nonOpStarts', 'parkStarts']);
    expect(result.events.parkStarts).toEqual([
      expect.objectContaining({ vehicleId: 'a', startTime: T0, zones: locate(LAT, LNG) }),
      expect.objectContaining({
        vehicleId: 'b',
        zones: { zoneIds: ['zone-east'], municipalityCode: 'GM0363' },
      }),
      expect.objectContaining({ vehicleId: 'c' }),
    ]);
    expect(result.events.nonOpStarts).toEqual([
      expect.objectContaining({ vehicleId: 'c', startTime: T0 }),
    ]);
    expect(result.upserts).toHaveLength(3);
    expect(result.present).toBe(3);
  });

  it('records nothing for a snapshot identical to the previous one', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a'), vehicle('b')]);
    const result = feed.tick(30, [vehicle('a'), vehicle('b')]);
    expect(countEvents(result.events)).toBe(0);
    expect(result.upserts).toEqual([]);
    expect(result.deletes).toEqual([]);
  });

  it('checks in a vehicle that appears later, without a trip end (it never left)', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a')]);
    const result = feed.tick(30, [vehicle('a'), vehicle('new', { lat: north(300) })]);
    expect(nonEmpty(result)).toEqual({
      parkStarts: [expect.objectContaining({ vehicleId: 'new', startTime: at(30) })],
    });
  });

  it('keeps the first of repeated vehicle ids and counts the repeats', () => {
    const feed = new Feed();
    const result = feed.first(0, [vehicle('a'), vehicle('a', { lat: north(900) })]);
    expect(result.duplicates).toBe(1);
    expect(result.present).toBe(1);
    expect(result.events.parkStarts).toEqual([expect.objectContaining({ lat: LAT })]);
  });
});

describe('diffSnapshot: rentals', () => {
  it('ends the park event and starts a trip where the vehicle was when it disappears', () => {
    const feed = new Feed();
    const first = feed.first(0, [vehicle('a', { lng: 4.95 }), vehicle('b')]);
    const parkId = first.events.parkStarts[0]?.id;
    const result = feed.tick(30, [vehicle('b')]);
    expect(nonEmpty(result)).toEqual({
      parkEnds: [{ id: parkId, startTime: T0, endTime: at(30), reason: 'RENTAL' }],
      tripStarts: [
        expect.objectContaining({
          vehicleId: 'a',
          startTime: at(30),
          lat: LAT,
          lng: 4.95,
          zones: { zoneIds: ['zone-east'], municipalityCode: 'GM0363' },
        }),
      ],
    });
    const tripId = result.events.tripStarts[0]?.id;
    expect(feed.state.get('a')?.gone).toEqual({
      at: at(30),
      reason: 'RENTAL',
      rental: { id: tripId, startTime: at(30), kind: 'TRIP' },
    });
  });

  it('ends the trip and checks in where the vehicle reappears', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a')]);
    const tripId = feed.tick(30, []).events.tripStarts[0]?.id;
    const result = feed.tick(600, [vehicle('a', { lat: north(2000), lng: 4.95 })]);
    expect(nonEmpty(result)).toEqual({
      tripEnds: [
        {
          id: tripId,
          startTime: at(30),
          endTime: at(600),
          lat: north(2000),
          lng: 4.95,
          zones: { zoneIds: ['zone-east'], municipalityCode: 'GM0363' },
          distanceMeters: Math.round(distanceMeters(LAT, LNG, north(2000), 4.95)),
        },
      ],
      parkStarts: [expect.objectContaining({ vehicleId: 'a', startTime: at(600) })],
    });
    expect(feed.state.get('a')?.gone).toBeNull();
  });

  it('treats a reserved vehicle as parked, and its disappearance as a rental', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a')]);
    const reserved = feed.tick(30, [vehicle('a', { isReserved: true })]);
    expect(countEvents(reserved.events)).toBe(0);
    expect(reserved.upserts).toEqual([expect.objectContaining({ isReserved: true })]);
    const rented = feed.tick(60, []);
    expect(rented.events.parkEnds).toEqual([expect.objectContaining({ reason: 'RENTAL' })]);
    expect(rented.events.tripStarts).toHaveLength(1);
  });
});

describe('diffSnapshot: reappearance within 15 minutes and 100 m is not a trip', () => {
  const cases: [string, number, number, boolean][] = [
    ['after 14:59 min, 99 m away: no trip', 14 * 60 + 59, 99, true],
    ['after exactly 15:00 min, 100 m away: no trip', 15 * 60, 100, true],
    ['after 15:01 min, 99 m away: a trip', 15 * 60 + 1, 99, false],
    ['after 14:59 min, 101 m away: a trip', 14 * 60 + 59, 101, false],
  ];
  it.each(cases)('back %s', (_name, seconds, meters, glitch) => {
    const feed = new Feed();
    const parkId = feed.first(0, [vehicle('a')]).events.parkStarts[0]?.id;
    const tripId = feed.tick(30, []).events.tripStarts[0]?.id;
    const result = feed.tick(30 + seconds, [vehicle('a', { lat: north(meters) })]);
    if (glitch) {
      expect(nonEmpty(result)).toEqual({
        parkReopens: [{ id: parkId, startTime: T0 }],
        tripCancels: [{ id: tripId, startTime: at(30), endTime: at(30 + seconds) }],
      });
      expect(feed.state.get('a')?.park?.id).toBe(parkId);
    } else {
      expect(Object.keys(nonEmpty(result)).sort()).toEqual(['parkStarts', 'tripEnds']);
      expect(result.events.tripEnds[0]?.id).toBe(tripId);
    }
  });

  it('after a glitch, a later disappearance is a rental again with a new trip', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a')]);
    feed.tick(30, []);
    feed.tick(60, [vehicle('a')]);
    const result = feed.tick(90, []);
    expect(result.events.parkEnds).toEqual([
      expect.objectContaining({ endTime: at(90), reason: 'RENTAL' }),
    ]);
    expect(result.events.tripStarts).toHaveLength(1);
  });
});

describe('diffSnapshot: relocation', () => {
  it('makes a new park event without a trip when a listed vehicle moves more than 500 m', () => {
    const feed = new Feed();
    const parkId = feed.first(0, [vehicle('a')]).events.parkStarts[0]?.id;
    const result = feed.tick(30, [vehicle('a', { lat: north(501) })]);
    expect(nonEmpty(result)).toEqual({
      parkEnds: [{ id: parkId, startTime: T0, endTime: at(30), reason: 'RELOCATION' }],
      parkStarts: [expect.objectContaining({ vehicleId: 'a', lat: north(501), startTime: at(30) })],
    });
  });

  it('keeps the park event for a move under 500 m, but tracks the new position', () => {
    const feed = new Feed();
    const parkId = feed.first(0, [vehicle('a')]).events.parkStarts[0]?.id;
    const result = feed.tick(30, [vehicle('a', { lat: north(499) })]);
    expect(countEvents(result.events)).toBe(0);
    expect(result.upserts).toHaveLength(1);
    expect(result.upserts[0]).toMatchObject({ lat: north(499), park: { id: parkId, lat: LAT } });
  });

  it('measures relocation from where the park event began, so slow drift is caught', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a')]);
    expect(countEvents(feed.tick(30, [vehicle('a', { lat: north(300) })]).events)).toBe(0);
    const result = feed.tick(60, [vehicle('a', { lat: north(600) })]);
    expect(result.events.parkEnds).toEqual([expect.objectContaining({ reason: 'RELOCATION' })]);
  });

  it('recomputes the zones when the position changes', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a', { lng: 4.8999 })]);
    feed.tick(30, [vehicle('a', { lng: 4.9001 })]);
    expect(feed.state.get('a')?.zones.zoneIds).toEqual(['zone-east']);
  });
});

describe('diffSnapshot: non-operational periods', () => {
  it('opens a period when is_disabled turns true and closes it when it turns false', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a')]);
    const disabled = feed.tick(30, [vehicle('a', { isDisabled: true })]);
    expect(nonEmpty(disabled)).toEqual({
      nonOpStarts: [expect.objectContaining({ vehicleId: 'a', startTime: at(30) })],
    });
    const periodId = disabled.events.nonOpStarts[0]?.id;
    expect(countEvents(feed.tick(60, [vehicle('a', { isDisabled: true })]).events)).toBe(0);
    const enabled = feed.tick(90, [vehicle('a')]);
    expect(nonEmpty(enabled)).toEqual({
      nonOpEnds: [{ id: periodId, startTime: at(30), endTime: at(90) }],
    });
  });

  it('ends the park event with REMOVED and no trip when a disabled vehicle disappears', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a', { isDisabled: true })]);
    const result = feed.tick(30, []);
    expect(nonEmpty(result)).toEqual({
      parkEnds: [expect.objectContaining({ reason: 'REMOVED', endTime: at(30) })],
      nonOpEnds: [expect.objectContaining({ endTime: at(30) })],
    });
  });

  it('reopens the period when a disabled vehicle glitches out and back', () => {
    const feed = new Feed();
    const first = feed.first(0, [vehicle('a', { isDisabled: true })]);
    feed.tick(30, []);
    const result = feed.tick(60, [vehicle('a', { isDisabled: true })]);
    expect(nonEmpty(result)).toEqual({
      parkReopens: [{ id: first.events.parkStarts[0]?.id, startTime: T0 }],
      nonOpReopens: [{ id: first.events.nonOpStarts[0]?.id, startTime: T0 }],
    });
  });

  it('opens a new period for a vehicle that comes back disabled after a glitch', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a')]);
    feed.tick(30, []);
    const result = feed.tick(60, [vehicle('a', { isDisabled: true })]);
    expect(Object.keys(nonEmpty(result)).sort()).toEqual([
      'nonOpStarts',
      'parkReopens',
      'tripCancels',
    ]);
  });

  it('keeps a disabled vehicle in its period through a relocation', () => {
    const feed = new Feed();
    const periodId = feed.first(0, [vehicle('a', { isDisabled: true })]).events.nonOpStarts[0]?.id;
    const result = feed.tick(30, [vehicle('a', { isDisabled: true, lat: north(800) })]);
    expect(Object.keys(nonEmpty(result)).sort()).toEqual(['parkEnds', 'parkStarts']);
    expect(feed.state.get('a')?.nonOp?.id).toBe(periodId);
  });
});

describe('diffSnapshot: rotating ids', () => {
  it('records a rental start, not a trip, when a vehicle disappears', () => {
    const feed = new Feed(true);
    feed.first(0, [vehicle('a'), vehicle('b', { lat: north(1000) })]);
    const result = feed.tick(30, [vehicle('b', { lat: north(1000) })]);
    expect(nonEmpty(result)).toEqual({
      parkEnds: [expect.objectContaining({ reason: 'RENTAL' })],
      rentals: [expect.objectContaining({ kind: 'START', vehicleId: 'a', at: at(30), lat: LAT })],
    });
  });

  it('records a rental end and a check-in for an unknown id, without pairing it to a start', () => {
    const feed = new Feed(true);
    feed.first(0, [vehicle('a')]);
    feed.tick(30, []);
    const result = feed.tick(600, [vehicle('x', { lat: north(3000) })]);
    expect(nonEmpty(result)).toEqual({
      parkStarts: [expect.objectContaining({ vehicleId: 'x' })],
      rentals: [expect.objectContaining({ kind: 'END', vehicleId: 'x', at: at(600) })],
    });
    expect(result.events.tripEnds).toEqual([]);
  });

  it('recognises a vehicle renamed in place (same type, within 15 m): no events', () => {
    const feed = new Feed(true);
    const parkId = feed.first(0, [vehicle('a')]).events.parkStarts[0]?.id;
    const result = feed.tick(30, [vehicle('a2', { lat: north(10) })]);
    expect(countEvents(result.events)).toBe(0);
    expect(result.renamed).toBe(1);
    expect(result.deletes).toEqual(['a']);
    expect(feed.state.get('a2')?.park?.id).toBe(parkId);
    expect(feed.state.has('a')).toBe(false);
  });

  it('does not rename across form factors or beyond 15 m', () => {
    const feed = new Feed(true);
    feed.first(0, [vehicle('a'), vehicle('b', { lat: north(2000) })]);
    const result = feed.tick(30, [
      vehicle('a2', { formFactor: 'MOPED', vehicleTypeId: 'moped' }),
      vehicle('b2', { lat: north(2016) }),
    ]);
    expect(result.renamed).toBe(0);
    expect(result.events.rentals.map((r) => r.kind).sort()).toEqual([
      'END',
      'END',
      'START',
      'START',
    ]);
  });

  it('drops the rental start when the same id comes back within 15 min and 100 m', () => {
    const feed = new Feed(true);
    feed.first(0, [vehicle('a')]);
    const startId = feed.tick(30, []).events.rentals[0]?.id;
    const result = feed.tick(90, [vehicle('a')]);
    expect(nonEmpty(result)).toEqual({
      parkReopens: [expect.objectContaining({ startTime: T0 })],
      rentalCancels: [{ id: startId, startTime: at(30) }],
    });
  });

  it('forgets a vanished id after the reappearance window: rotating ids do not come back', () => {
    const feed = new Feed(true);
    feed.first(0, [vehicle('a')]);
    feed.tick(30, []);
    expect(feed.tick(30 + 15 * 60, []).deletes).toEqual([]);
    expect(feed.tick(31 + 15 * 60, []).deletes).toEqual(['a']);
  });

  it('makes no rental events in the first snapshot', () => {
    const feed = new Feed(true);
    expect(feed.first(0, [vehicle('a'), vehicle('b')]).events.rentals).toEqual([]);
  });
});

describe('diffSnapshot: reconciling after an outage', () => {
  const outageStart = at(60);

  it('ends the park events of vehicles gone during the outage at its start, with no trips', () => {
    const feed = new Feed();
    feed.first(0, [
      vehicle('a'),
      vehicle('b', { lat: north(1000) }),
      vehicle('c', { lat: north(3000) }),
    ]);
    const result = feed.tick(
      1800,
      [vehicle('b', { lat: north(1000) }), vehicle('c', { lat: north(4000) }), vehicle('d')],
      outageStart,
    );
    expect(result.events.parkEnds).toEqual([
      expect.objectContaining({ endTime: outageStart, reason: 'OUTAGE' }),
      expect.objectContaining({ endTime: outageStart, reason: 'OUTAGE' }),
    ]);
    expect(result.events.parkStarts.map((p) => [p.vehicleId, p.startTime])).toEqual([
      ['c', at(1800)],
      ['d', at(1800)],
    ]);
    expect(result.events.tripStarts).toEqual([]);
    expect(result.events.tripEnds).toEqual([]);
    expect(feed.state.get('a')?.gone).toEqual({ at: outageStart, reason: 'OUTAGE', rental: null });
  });

  it('does not count rental starts or ends for rotating ids', () => {
    const feed = new Feed(true);
    feed.first(0, [vehicle('a'), vehicle('b', { lat: north(1000) })]);
    const result = feed.tick(
      1800,
      [vehicle('b', { lat: north(1000) }), vehicle('z', { lat: north(5000) })],
      outageStart,
    );
    expect(result.events.rentals).toEqual([]);
    expect(result.events.parkEnds).toEqual([expect.objectContaining({ reason: 'OUTAGE' })]);
  });

  it('expires trips that began before the outage when their vehicle is back: their end is unknown', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a')]);
    const tripId = feed.tick(30, []).events.tripStarts[0]?.id;
    const result = feed.tick(1800, [vehicle('a', { lat: north(3000) })], outageStart);
    expect(result.events.tripEnds).toEqual([]);
    expect(result.events.tripExpiries).toEqual([expect.objectContaining({ id: tripId })]);
  });

  it('forgets a vehicle that vanished during an outage after the window, then checks it in anew', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a')]);
    feed.tick(1800, [], outageStart);
    expect(feed.tick(1830, []).deletes).toEqual(['a']);
    const back = feed.tick(1860, [vehicle('a')]);
    expect(nonEmpty(back)).toEqual({ parkStarts: [expect.objectContaining({ vehicleId: 'a' })] });
  });
});

describe('diffSnapshot: trips that never end', () => {
  const settings = { ...SETTINGS, maxTripDurationMs: 3_600_000 };

  it('expires an inferred trip after the longest trip duration and forgets the vehicle', () => {
    const feed = new Feed(false, settings);
    feed.first(0, [vehicle('a')]);
    const tripId = feed.tick(30, []).events.tripStarts[0]?.id;
    expect(countEvents(feed.tick(3630, []).events)).toBe(0);
    const result = feed.tick(3631, []);
    expect(nonEmpty(result)).toEqual({ tripExpiries: [{ id: tripId, startTime: at(30) }] });
    expect(result.deletes).toEqual(['a']);
  });

  it('expires rather than completes a trip whose vehicle returns too late', () => {
    const feed = new Feed(false, settings);
    feed.first(0, [vehicle('a')]);
    feed.tick(30, []);
    const result = feed.tick(3700, [vehicle('a', { lat: north(5000) })]);
    expect(Object.keys(nonEmpty(result)).sort()).toEqual(['parkStarts', 'tripExpiries']);
  });
});

describe('isVehicleDrop', () => {
  const drop = { dropRatio: 0.5, dropMinVehicles: 20 };
  it.each([
    [20, 9, true],
    [20, 10, false],
    [19, 0, false],
    [1000, 499, true],
    [0, 0, false],
  ])('previous %i, now %i: %s', (previous, now, expected) => {
    expect(isVehicleDrop(previous, now, drop)).toBe(expected);
  });
});

/** `count` vehicles 500 m apart (scattered: no two within a van's radius). */
function scattered(count: number, prefix = 'v'): VehicleObservation[] {
  return Array.from({ length: count }, (_, i) =>
    vehicle(`${prefix}${i}`, { lat: north(i * 500), lng: LNG + (i % 3) * 0.01 }),
  );
}

/** `count` vehicles within 60 m of the point `meters` north. */
function cluster(count: number, meters: number, prefix: string): VehicleObservation[] {
  return Array.from({ length: count }, (_, i) =>
    vehicle(`${prefix}${i}`, { lat: north(meters + i * 10) }),
  );
}

describe('diffSnapshot: partial outages (issue 11.1)', () => {
  it('holds a scattered share of the fleet vanishing at once: no trips, park events stay open', () => {
    const feed = new Feed();
    const fleet = scattered(40);
    feed.first(0, fleet);
    const result = feed.tick(30, fleet.slice(0, 25));
    expect(countEvents(result.events)).toBe(0);
    expect(result.partialOutageStarted).toBe(15);
    expect(result.held).toBe(15);
    expect(feed.state.get('v30')?.held).toEqual({ since: at(30), reason: 'PARTIAL_OUTAGE' });
    expect(feed.state.get('v30')?.gone).toBeNull();
  });

  it('ends the hold without events when they are back at their place, however long it lasted', () => {
    const feed = new Feed();
    const fleet = scattered(40);
    feed.first(0, fleet);
    feed.tick(30, fleet.slice(0, 25));
    feed.tick(60, fleet.slice(0, 25));
    const result = feed.tick(30 + 16 * 60, fleet);
    expect(countEvents(result.events)).toBe(0);
    expect(result.held).toBe(0);
    expect(feed.state.get('v30')?.held).toBeNull();
  });

  it('a held vehicle back far away with the batch: moved while unseen, OUTAGE and no trip', () => {
    const feed = new Feed();
    const fleet = scattered(40);
    feed.first(0, fleet);
    feed.tick(30, fleet.slice(0, 25));
    const back = fleet.map((v) => (v.vehicleId === 'v30' ? { ...v, lat: v.lat + 0.02 } : v));
    const result = feed.tick(1000, back);
    expect(result.events.tripStarts).toEqual([]);
    expect(result.events.parkEnds).toEqual([
      expect.objectContaining({ reason: 'OUTAGE', endTime: at(30) }),
    ]);
  });

  it('a held vehicle back alone and far away was rented as the batch vanished: that trip', () => {
    const feed = new Feed();
    const fleet = scattered(40);
    feed.first(0, fleet);
    feed.tick(30, fleet.slice(0, 25));
    const moved = { ...(fleet[30] as VehicleObservation), lat: north(30 * 500 + 2000) };
    const result = feed.tick(900, [...fleet.slice(0, 25), moved]);
    expect(result.events.tripStarts).toEqual([
      expect.objectContaining({ vehicleId: 'v30', startTime: at(30) }),
    ]);
    expect(result.events.tripEnds).toEqual([
      expect.objectContaining({ endTime: at(900), distanceMeters: 2000 }),
    ]);
  });

  it('releases held vehicles never listed again after the hold limit: OUTAGE since they vanished', () => {
    const feed = new Feed();
    const fleet = scattered(40);
    feed.first(0, fleet);
    feed.tick(30, fleet.slice(0, 25));
    const result = feed.tick(30 + 2 * 3600 + 30, fleet.slice(0, 25));
    expect(result.events.parkEnds).toHaveLength(15);
    expect(result.events.parkEnds[0]).toEqual(
      expect.objectContaining({ reason: 'OUTAGE', endTime: at(30) }),
    );
    expect(result.events.tripStarts).toEqual([]);
  });

  it('a van collecting a neighbourhood at once on a rotating feed: a rental elsewhere still counts', () => {
    // A city fleet on a 20 x 20 grid 250 m apart; a van takes the 25 around one corner while a
    // rider takes one vehicle on the other side of town, in the same snapshot.
    const grid = Array.from({ length: 400 }, (_, i) =>
      vehicle(`g${i}`, {
        lat: north(Math.floor(i / 20) * 250),
        lng: LNG + (i % 20) * 0.0037,
      }),
    );
    // More at once than chance would take (5 % of the fleet until its churn is measured).
    const vanIds = new Set(
      Array.from({ length: 25 }, (_, k) => `g${Math.floor(k / 5) * 20 + (k % 5)}`),
    );
    const remaining = grid.filter((v) => !vanIds.has(v.vehicleId) && v.vehicleId !== 'g399');
    const rotating = new Feed(true);
    rotating.first(0, grid);
    const result = rotating.tick(30, remaining);
    expect(result.partialOutageStarted).toBe(0);
    expect(result.collected).toBe(25);
    expect(result.events.parkEnds.filter((p) => p.reason === 'REMOVED')).toHaveLength(25);
    expect(result.events.rentals.filter((r) => r.kind === 'START').map((r) => r.vehicleId)).toEqual(
      ['g399'],
    );
    // Stable ids: the burst is held, and the rental found when that vehicle is back elsewhere.
    const stable = new Feed(false);
    stable.first(0, grid);
    expect(stable.tick(30, remaining).partialOutageStarted).toBe(26);
    const back = { ...(grid[399] as VehicleObservation), lat: north(-3000) };
    const ended = stable.tick(600, [...remaining, back]);
    expect(ended.events.tripStarts).toEqual([
      expect.objectContaining({ vehicleId: 'g399', startTime: at(30) }),
    ]);
  });

  it('a batch back at its place after vanishing at one instant: their open trips are dropped', () => {
    // Below the share that is held at once (a partial outage that looked like rentals).
    const feed = new Feed();
    const fleet = scattered(200);
    feed.first(0, fleet);
    const started = feed.tick(30, fleet.slice(0, 192));
    expect(started.events.tripStarts).toHaveLength(8);
    const result = feed.tick(30 + 20 * 60, fleet);
    expect(result.events.tripEnds).toEqual([]);
    expect(result.events.tripCancels).toHaveLength(8);
    expect(result.partialOutageReturned).toBe(8);
  });

  it('trips started before a partial outage and back as it ends expire: their end is unknown', () => {
    const feed = new Feed();
    const fleet = scattered(40);
    feed.first(0, fleet);
    const tripId = feed.tick(30, fleet.slice(1)).events.tripStarts[0]?.id;
    feed.tick(60, fleet.slice(1, 25));
    const moved = { ...(fleet[0] as VehicleObservation), lat: north(-3000) };
    const result = feed.tick(1000, [moved, ...fleet.slice(1)]);
    expect(result.events.tripEnds).toEqual([]);
    expect(result.events.tripExpiries).toEqual([expect.objectContaining({ id: tripId })]);
  });

  it('a van collecting vehicles close together: park events end REMOVED, no trips', () => {
    const feed = new Feed();
    const fleet = [...scattered(200), ...cluster(6, 80_000, 'c')];
    feed.first(0, fleet);
    const result = feed.tick(30, fleet.slice(0, 200));
    expect(result.collected).toBe(6);
    expect(result.events.tripStarts).toEqual([]);
    expect(result.events.parkEnds.map((p) => p.reason)).toEqual(Array(6).fill('REMOVED'));
  });

  it("measures a burst against the feed's typical churn", () => {
    const feed = new Feed();
    const fleet = scattered(400);
    feed.first(0, fleet);
    // 8 scattered vehicles of 400 vanishing at once: rentals for a busy feed ...
    const remaining = fleet.filter((_v, i) => i % 50 !== 0);
    const busy = diffSnapshot({
      previous: feed.state,
      vehicles: remaining,
      now: at(30),
      rotatingIds: false,
      reconcileFrom: null,
      typicalChurn: 4,
      settings: SETTINGS,
      locate,
      newId: () => 'x',
    });
    expect(busy.events.tripStarts).toHaveLength(8);
    // ... a burst for one where a vehicle vanishes every few minutes.
    const quiet = diffSnapshot({
      previous: feed.state,
      vehicles: remaining,
      now: at(30),
      rotatingIds: false,
      reconcileFrom: null,
      typicalChurn: 0.1,
      settings: SETTINGS,
      locate,
      newId: () => 'x',
    });
    expect(quiet.events.tripStarts).toEqual([]);
    expect(quiet.partialOutageStarted).toBe(8);
  });
});

describe('diffSnapshot: ids that change (issues 11.2, 11.3, 19.5)', () => {
  it('a stable-id fleet re-keyed at once is an id change: renamed, no trips', () => {
    const feed = new Feed();
    const fleet = scattered(30);
    const parkId = feed.first(0, fleet).events.parkStarts[3]?.id;
    const rekeyed = fleet.map((v) => ({ ...v, vehicleId: `new-${v.vehicleId}` }));
    const result = feed.tick(30, rekeyed);
    expect(countEvents(result.events)).toBe(0);
    expect(result.rekeyed).toBe(30);
    expect(feed.state.get('new-v3')?.park?.id).toBe(parkId);
  });

  it('a re-key that renames the vehicle types too (a version upgrade) is still an id change', () => {
    const feed = new Feed(true);
    const fleet = scattered(30);
    feed.first(0, fleet);
    const upgraded = fleet.map((v) => ({
      ...v,
      vehicleId: `new-${v.vehicleId}`,
      vehicleTypeId: 'bike-v3',
    }));
    const result = feed.tick(30, upgraded);
    expect(countEvents(result.events)).toBe(0);
    expect(result.rekeyed).toBe(30);
  });

  it('rotating ids: matches a renamed vehicle by position when one side has no type', () => {
    const feed = new Feed(true);
    feed.first(0, [vehicle('a'), vehicle('far', { lat: north(5000) })]);
    const result = feed.tick(30, [
      vehicle('a2', { lat: north(8), vehicleTypeId: null }),
      vehicle('far', { lat: north(5000) }),
    ]);
    expect(result.renamed).toBe(1);
    expect(countEvents(result.events)).toBe(0);
  });

  it('rotating ids: a disabled vehicle appearing is no rental end', () => {
    const feed = new Feed(true);
    feed.first(0, [vehicle('a')]);
    const result = feed.tick(30, [
      vehicle('a'),
      vehicle('x', { lat: north(3000), isDisabled: true }),
    ]);
    expect(result.events.rentals).toEqual([]);
    expect(result.events.parkStarts).toHaveLength(1);
  });

  it('rotating ids: vehicles put down together (a deployment) are no rental ends', () => {
    const feed = new Feed(true);
    const fleet = scattered(100);
    feed.first(0, fleet);
    const result = feed.tick(30, [...fleet, ...cluster(6, 90_000, 'd')]);
    expect(result.deployed).toBe(6);
    expect(result.events.rentals).toEqual([]);
  });

  it('rotating ids: a large share of the fleet appearing at once is a deployment', () => {
    const feed = new Feed(true);
    const fleet = scattered(100);
    feed.first(0, fleet);
    const result = feed.tick(30, [
      ...fleet,
      ...scattered(20, 'n').map((v) => ({ ...v, lng: 5.2 })),
    ]);
    expect(result.deployed).toBe(20);
    expect(result.events.rentals).toEqual([]);
  });

  it('a stable-id feed whose trips end under new ids counts new ids, not returns', () => {
    const feed = new Feed();
    const fleet = scattered(30);
    feed.first(0, fleet);
    feed.tick(30, fleet.slice(1));
    const result = feed.tick(600, [...fleet.slice(1), vehicle('renamed', { lat: north(-3000) })]);
    expect(result.newIds).toBe(1);
    expect(result.returnedIds).toBe(0);
  });
});

describe('diffSnapshot: bad records and stations (issues 11.5, 19.2, 19.6)', () => {
  it('holds a quarantined vehicle as it was: no rental, its position kept', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a'), vehicle('b', { lat: north(1000) })]);
    const result = diffSnapshot({
      previous: feed.state,
      vehicles: [vehicle('a')],
      now: at(30),
      rotatingIds: false,
      reconcileFrom: null,
      quarantined: new Set(['b']),
      settings: SETTINGS,
      locate,
      newId: () => 'x',
    });
    expect(countEvents(result.events)).toBe(0);
    expect(result.held).toBe(1);
    expect(result.upserts).toEqual([
      expect.objectContaining({ vehicleId: 'b', held: { since: at(30), reason: 'QUARANTINED' } }),
    ]);
  });

  it("starts a first-seen vehicle's park event at its own plausible last_reported", () => {
    const feed = new Feed();
    const reported = new Date(T0.getTime() - 200 * 24 * 3_600_000);
    const result = feed.first(0, [
      vehicle('old', { lastReportedAt: reported }),
      vehicle('future', { lastReportedAt: at(3600) }),
      vehicle('ancient', { lastReportedAt: new Date('2020-01-01T00:00:00Z') }),
    ]);
    expect(
      result.events.parkStarts.map((p) => [p.vehicleId, p.startTime, p.startObserved]),
    ).toEqual([
      ['old', reported, false],
      ['future', T0, true],
      ['ancient', T0, true],
    ]);
  });

  it('keeps the station a vehicle reports', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a', { stationId: 'bay-1' })]);
    expect(feed.state.get('a')?.stationId).toBe('bay-1');
  });
});
