import { createFeedSimulator, type FeedSimulator, type FeedSimulatorOptions } from '..';
import { distanceMeters as haversineMeters } from '../../lib/geo/distance';
import { HOUR, MINUTE, SECOND } from '../../lib/units';

const START = new Date('2024-05-02T06:00:00Z');
const STEP_MS = 30 * SECOND;

interface Bike {
  bike_id: string;
  lat: number;
  lon: number;
  is_reserved: boolean;
  is_disabled: boolean;
}

const options = (seed: number): FeedSimulatorOptions => ({
  seed,
  startTime: START,
  operators: [
    { id: 'fiets', name: 'Fiets', vehicles: 120, formFactor: 'BICYCLE' },
    { id: 'step', name: 'Step', vehicles: 80, formFactor: 'SCOOTER_STANDING', rotatingIds: true },
  ],
});

async function text(url: string): Promise<string> {
  return (await fetch(url)).text();
}

async function bikes(simulator: FeedSimulator, operator: string): Promise<Bike[]> {
  const url = simulator.feedUrls(operator).gbfs23.replace('gbfs.json', 'free_bike_status.json');
  return (JSON.parse(await text(url)) as { data: { bikes: Bike[] } }).data.bikes;
}

interface Observed {
  /** Vehicles that vanished and came back: how long and how far. */
  gaps: { absentMs: number; meters: number }[];
  /** Vehicles that moved between two polls while listed. */
  movesWhilePresentMeters: number[];
  reservedSeen: number;
  disabledToggles: number;
  idsSeen: Map<string, Set<string>>;
  maxListed: Map<string, number>;
}

/** Polls both operators' GBFS 2.3 feed every 30 simulated seconds for `durationMs`. */
async function observe(simulator: FeedSimulator, durationMs: number): Promise<Observed> {
  const observed: Observed = {
    gaps: [],
    movesWhilePresentMeters: [],
    reservedSeen: 0,
    disabledToggles: 0,
    idsSeen: new Map([
      ['fiets', new Set()],
      ['step', new Set()],
    ]),
    maxListed: new Map(),
  };
  const lastSeen = new Map<string, { atMs: number; bike: Bike }>();
  let previous = new Map<string, Bike>();
  for (let t = 0; t <= durationMs; t += STEP_MS) {
    if (t > 0) simulator.advance(STEP_MS);
    for (const operator of ['fiets', 'step']) {
      const list = await bikes(simulator, operator);
      list.forEach((b) => observed.idsSeen.get(operator)?.add(b.bike_id));
      observed.maxListed.set(
        operator,
        Math.max(observed.maxListed.get(operator) ?? 0, list.length),
      );
      expect(new Set(list.map((b) => b.bike_id)).size).toBe(list.length);
      if (operator !== 'fiets') continue;
      const current = new Map(list.map((b) => [b.bike_id, b]));
      for (const bike of list) {
        if (bike.is_reserved) observed.reservedSeen += 1;
        const before = previous.get(bike.bike_id);
        const seen = lastSeen.get(bike.bike_id);
        const meters = (b: Bike) => haversineMeters(b.lat, b.lon, bike.lat, bike.lon);
        if (before) {
          if (meters(before) > 0) observed.movesWhilePresentMeters.push(meters(before));
          if (before.is_disabled && !bike.is_disabled) observed.disabledToggles += 1;
        } else if (seen) {
          observed.gaps.push({ absentMs: t - seen.atMs - STEP_MS, meters: meters(seen.bike) });
        }
        lastSeen.set(bike.bike_id, { atMs: t, bike });
      }
      previous = current;
    }
  }
  return observed;
}

describe('the simulated fleet', () => {
  let simulator: FeedSimulator;
  let observed: Observed;

  beforeAll(async () => {
    simulator = createFeedSimulator(options(11));
    await simulator.start(0, '127.0.0.1');
    observed = await observe(simulator, 6 * HOUR);
  });
  afterAll(() => simulator.stop());

  it('rents vehicles out: they vanish and reappear 0.5–5 km away', () => {
    const rentals = observed.gaps.filter((g) => g.meters > 100);
    expect(rentals.length).toBeGreaterThan(50);
    for (const rental of rentals) {
      expect(rental.meters).toBeGreaterThanOrEqual(500);
      expect(rental.meters).toBeLessThanOrEqual(5000);
    }
  });

  it('hides reserved vehicles for under 15 minutes and brings them back within 100 m', () => {
    const reservations = observed.gaps.filter((g) => g.meters <= 100);
    expect(reservations.length).toBeGreaterThan(0);
    for (const reservation of reservations) {
      expect(reservation.absentMs).toBeLessThan(15 * MINUTE);
    }
    expect(observed.reservedSeen).toBeGreaterThan(0);
  });

  it('relocates vehicles more than 500 m while they stay listed', () => {
    expect(observed.movesWhilePresentMeters.length).toBeGreaterThan(0);
    for (const meters of observed.movesWhilePresentMeters) {
      expect(meters).toBeGreaterThan(500);
    }
  });

  it('disables vehicles and repairs them', () => {
    expect(observed.disabledToggles).toBeGreaterThan(0);
  });

  it('rotates GBFS ids after rentals only for operators that do so', () => {
    expect(observed.idsSeen.get('fiets')?.size).toBe(120);
    expect(observed.idsSeen.get('step')?.size).toBeGreaterThan(80 + 20);
    expect(observed.maxListed.get('step')).toBeLessThanOrEqual(80);
  });

  it('reports rentals on MDS /trips with plausible distances and durations', async () => {
    const hour = new Date(START.getTime() + 2 * HOUR).toISOString().slice(0, 13);
    const body = JSON.parse(
      await text(`${simulator.feedUrls('step').mds}/trips?end_time=${hour}`),
    ) as {
      trips: {
        start_time: number;
        end_time: number;
        start_location: { lat: number; lng: number };
        end_location: { lat: number; lng: number };
      }[];
    };
    expect(body.trips.length).toBeGreaterThan(5);
    for (const trip of body.trips) {
      const { start_location: from, end_location: to } = trip;
      const meters = haversineMeters(from.lat, from.lng, to.lat, to.lng);
      expect(meters).toBeGreaterThanOrEqual(500);
      expect(meters).toBeLessThanOrEqual(5000);
      expect(trip.end_time - trip.start_time).toBeGreaterThan(2 * MINUTE);
      expect(trip.end_time - trip.start_time).toBeLessThan(HOUR);
    }
  });
});

describe('determinism', () => {
  async function run(seed: number): Promise<string[]> {
    const simulator = createFeedSimulator(options(seed));
    await simulator.start(0, '127.0.0.1');
    try {
      const documents: string[] = [];
      for (const stepMs of [0, 90 * SECOND, 25 * MINUTE, 2 * HOUR]) {
        simulator.advance(stepMs);
        for (const operator of ['fiets', 'step']) {
          const urls = simulator.feedUrls(operator);
          documents.push(await text(urls.gbfs23.replace('gbfs.json', 'free_bike_status.json')));
          documents.push(await text(urls.gbfs30.replace('gbfs.json', 'vehicle_status.json')));
          documents.push(await text(`${urls.mds}/vehicles/status`));
        }
      }
      return documents;
    } finally {
      await simulator.stop();
    }
  }

  it('gives the same feeds for the same seed and other feeds for another', async () => {
    const first = await run(5);
    expect(await run(5)).toEqual(first);
    const other = await run(6);
    expect(other).not.toEqual(first);
  });
});
