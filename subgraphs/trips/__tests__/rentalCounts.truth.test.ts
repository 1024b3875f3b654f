import { importerSettings } from '../../../jobs/importer/settings';
import { seedIdentities } from '../../../seeds/identities';
import { silentLogger, TEST_CONFIG } from '../../../test/db';
import { ok } from '../../../test/graphql';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';
import { runTruth, TRUTH_CASES, type TruthCaseResult } from '../../../test/truth';
import { HOUR, MINUTE } from '../../../lib/units';

/**
 * `rentalCounts` against what really happened: the real import_feeds job reads the simulator's
 * feeds for a simulated hour, for operators with stable ids (GBFS and MDS: their rentals become
 * trips) and one with rotating ids (its rentals stay unpaired starts and ends). Every operator's
 * counts must equal a plain recount of the importer's tables and come close to the simulator's
 * own rentals.
 */

const START = '2026-11-23T13:00:00Z';
const POLL_MS = 30_000;
const CASES = TRUTH_CASES.filter((c) =>
  ['stable-gbfs', 'stable-mds', 'rotating-gbfs'].includes(c.name),
);

let stack: TestStack;
let results: TruthCaseResult[];
let admin: Caller;
/** The rentals that started (and ended) while the importer was reading: [first poll, last poll]. */
const window = {
  from: new Date(Date.parse(START) + POLL_MS).toISOString(),
  to: new Date(Date.parse(START) + HOUR + 1).toISOString(),
};

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['users', 'trips'] });
  await seedIdentities(stack.database.db, [
    {
      name: 'Admins',
      type: 'ADMIN',
      municipalityCodes: [],
      operatorIds: [],
      users: [{ email: 'admin@rentals.test', privileges: [] }],
    },
  ]);
  admin = { token: await stack.tokenFor('admin@rentals.test') };
  results = await runTruth({
    db: stack.database.db,
    pubsub: stack.pubsub,
    logger: silentLogger,
    config: TEST_CONFIG,
    settings: { ...importerSettings(TEST_CONFIG), feedTimeoutMs: 5000 },
    cases: CASES,
    vehicles: 120,
    hours: 1,
    pollMs: POLL_MS,
    startTime: START,
  });
}, 10 * MINUTE);

afterAll(async () => {
  await stack?.stop();
});

interface Count {
  operator: { id: string } | null;
  starts: number;
  ends: number;
}

/** Starts and ends per operator over the window, as `rentalCounts` (hourly buckets) says. */
async function rentalCountsPerOperator(): Promise<Map<string, { starts: number; ends: number }>> {
  const data = await ok<{ rentalCounts: Count[] }>(
    stack.request(
      `query ($filter: RentalFilter!) {
        rentalCounts(filter: $filter, interval: HOUR, groupBy: [OPERATOR]) {
          operator { id } starts ends } }`,
      { filter: window },
      admin,
    ),
  );
  const totals = new Map<string, { starts: number; ends: number }>();
  for (const c of data.rentalCounts) {
    const id = c.operator?.id ?? '';
    const total = totals.get(id) ?? { starts: 0, ends: 0 };
    totals.set(id, { starts: total.starts + c.starts, ends: total.ends + c.ends });
  }
  return totals;
}

/** The same, recounted row by row from the importer's tables. */
async function recount(operatorId: string): Promise<{ starts: number; ends: number }> {
  const db = stack.database.db;
  const from = new Date(window.from);
  const to = new Date(window.to);
  const trips = await db('trips')
    .where('operator_id', operatorId)
    .select<{ status: string; start_time: Date; end_time: Date | null }[]>(
      'status',
      'start_time',
      'end_time',
    );
  const rentals = await db('rentals')
    .where('operator_id', operatorId)
    .select<{ kind: string; at: Date }[]>('kind', 'at');
  const within = (at: Date | null) => at !== null && at >= from && at < to;
  const counted = trips.filter((t) => t.status === 'OPEN' || t.status === 'COMPLETED');
  return {
    starts:
      counted.filter((t) => within(t.start_time)).length +
      rentals.filter((r) => r.kind === 'START' && within(r.at)).length,
    ends:
      counted.filter((t) => t.status === 'COMPLETED' && within(t.end_time)).length +
      rentals.filter((r) => r.kind === 'END' && within(r.at)).length,
  };
}

describe('rentalCounts against the simulator', () => {
  it('counts the rentals of every operator, stable and rotating ids alike, as the tables hold them', async () => {
    const counted = await rentalCountsPerOperator();
    expect([...counted.keys()].sort()).toEqual(CASES.map((c) => c.name).sort());
    for (const c of CASES) {
      expect({ operator: c.name, ...counted.get(c.name) }).toEqual({
        operator: c.name,
        ...(await recount(c.name)),
      });
    }
  });

  it('comes within 5 % of the rentals the simulated operators really made', async () => {
    const counted = await rentalCountsPerOperator();
    for (const result of results) {
      const { starts, ends } = counted.get(result.name) ?? { starts: 0, ends: 0 };
      expect(result.truthStarts).toBeGreaterThan(20);
      const off = (value: number, truth: number) => Math.abs(value - truth) / truth;
      expect({ operator: result.name, startsOff: off(starts, result.truthStarts) <= 0.05 }).toEqual(
        { operator: result.name, startsOff: true },
      );
      // A stable-id feed's trip ends only if the importer saw it start: the simulator's trips
      // wholly inside the window. A rotating-id feed counts every vehicle that shows up again.
      const stable = CASES.find((c) => c.name === result.name)?.measure === 'TRIPS';
      const truthEnds = stable ? result.truthTrips : result.truthEnds;
      expect({ operator: result.name, endsOff: off(ends, truthEnds) <= 0.05 }).toEqual({
        operator: result.name,
        endsOff: true,
      });
    }
  });

  it('counts each rental of a stable-id feed once: its trip, never a rentals row as well', async () => {
    const stable = CASES.filter((c) => c.measure === 'TRIPS').map((c) => c.name);
    const doubled = await stack.database
      .db('rentals')
      .whereIn('operator_id', stable)
      .count<{ count: string }[]>({ count: '*' });
    expect(Number(doubled[0]?.count)).toBe(0);
    const counted = await rentalCountsPerOperator();
    for (const name of stable) expect(counted.get(name)?.starts).toBeGreaterThan(20);
  });
});
