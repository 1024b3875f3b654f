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
import type { VehicleObservation } from '../feeds/types';

const SETTINGS: DiffSettings = {
  reappearWindowMs: 15 * 60_000,
  reappearDistanceMeters: 100,
  relocationDistanceMeters: 500,
  maxTripDurationMs: 24 * 3_600_000,
  rotatingMatchMeters: 15,
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

  it('completes trips that began before the outage when their vehicle is back', () => {
    const feed = new Feed();
    feed.first(0, [vehicle('a')]);
    const tripId = feed.tick(30, []).events.tripStarts[0]?.id;
    const result = feed.tick(1800, [vehicle('a', { lat: north(3000) })], outageStart);
    expect(result.events.tripEnds).toEqual([
      expect.objectContaining({ id: tripId, endTime: at(1800) }),
    ]);
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
