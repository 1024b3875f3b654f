import { SECOND } from '../../lib/units';
import { createFeedSimulator, demoOperators, type FeedSimulator } from '..';

const OPERATORS = 20;
const VEHICLES = 100_000;

describe('the feed simulator at scale', () => {
  let simulator: FeedSimulator;

  beforeAll(async () => {
    simulator = createFeedSimulator({
      seed: 3,
      startTime: new Date('2024-05-01T07:00:00Z'),
      operators: demoOperators(OPERATORS, VEHICLES),
    });
    await simulator.start(0, '127.0.0.1');
  });
  afterAll(() => simulator.stop());

  async function listedVehicles(): Promise<number> {
    let total = 0;
    for (const operator of demoOperators(OPERATORS, VEHICLES)) {
      const url = simulator
        .feedUrls(operator.id)
        .gbfs30.replace('gbfs.json', 'vehicle_status.json');
      const body = (await (await fetch(url)).json()) as { data: { vehicles: unknown[] } };
      total += body.data.vehicles.length;
    }
    return total;
  }

  it('serves 100 000 vehicles over 20 operators, tick after tick', async () => {
    for (let tick = 0; tick < 3; tick += 1) {
      simulator.advance(30 * SECOND);
      const listed = await listedVehicles();
      // Vehicles on a trip or in a hidden reservation are not listed.
      expect(listed).toBeGreaterThan(VEHICLES * 0.9);
      expect(listed).toBeLessThanOrEqual(VEHICLES);
    }
  });
});
