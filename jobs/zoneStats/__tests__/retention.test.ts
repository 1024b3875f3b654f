import { randomUUID } from 'node:crypto';
import { InProcessPubSub } from '../../../lib/pubsub';
import { HOUR } from '../../../lib/units';
import { createTestDatabase, silentLogger, TEST_CONFIG, type TestDatabase } from '../../../test/db';
import { ensureSeriesPartitions } from '../compute';
import { createZoneStatsRetentionJob } from '../index';

const DAY = 24 * HOUR;
const NOW = Date.parse('2026-12-07T12:00:00Z');
let database: TestDatabase;
const pubsub = new InProcessPubSub();

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await pubsub.close();
  await database?.drop();
});

const ROLLUP = {
  municipality_code: 'GM0363',
  available_sum: 1,
  available_min: 1,
  available_max: 1,
  unavailable_sum: 0,
  unavailable_min: 0,
  unavailable_max: 0,
  total_min: 1,
  total_max: 1,
  started: 0,
  ended: 0,
};

async function partitions(table: string): Promise<string[]> {
  const { rows } = await database.db.raw<{ rows: { name: string }[] }>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = ?::regclass order by 1`,
    [table],
  );
  return rows.map((r) => r.name);
}

describe('zone_stats_retention', () => {
  it('keeps 90 days of 5-minute rows, 2 years of hours and every day, dropping whole months', async () => {
    await ensureSeriesPartitions(database.db, NOW - 3 * 365 * DAY, NOW);
    const zone = randomUUID();
    const ages = [1, 89, 91, 200, 729, 731, 1000];
    for (const age of ages) {
      const at = new Date(NOW - age * DAY);
      const key = { zone_id: zone, operator_id: '*', form_factor: '*', bucket_start: at };
      await database.db('zone_stats_5m').insert({
        ...key,
        municipality_code: 'GM0363',
        available: 1,
        unavailable: 0,
        started: 0,
        ended: 0,
      });
      await database.db('zone_stats_hour').insert({ ...key, ...ROLLUP });
      await database.db('zone_stats_day').insert({ ...key, ...ROLLUP });
      // Packed rows of that UTC day and of that month (arrays: slot 0 counted, the rest null).
      const slots = (n: number) => [1, ...new Array<null>(n - 1).fill(null)];
      const packed = (n: number) =>
        Object.fromEntries(
          Object.keys(ROLLUP)
            .filter((k) => k !== 'municipality_code')
            .map((k) => [k, slots(n)]),
        );
      const midnight = new Date(at.getTime() - (at.getTime() % DAY));
      await database.db('zone_stats_15m_packed').insert({
        ...key,
        bucket_start: midnight,
        municipality_code: 'GM0363',
        ...packed(96),
      });
      await database.db('zone_stats_day_packed').insert({
        ...key,
        bucket_start: midnight,
        municipality_code: 'GM0363',
        ...packed(31),
      });
      for (const resolution of ['5m', 'hour', 'day']) {
        await database.db('zone_stats_coverage').insert({ resolution, bucket_start: at, ticks: 1 });
      }
    }
    const job = createZoneStatsRetentionJob({
      settings: {
        recountMs: 2 * HOUR,
        maxCatchupMs: DAY,
        timeZone: 'Europe/Amsterdam',
        retention: { fiveMinuteDays: 90, hourDays: 730, dayDays: undefined },
      },
      now: () => new Date(NOW),
    });
    const context = {
      db: database.db,
      pubsub,
      logger: silentLogger,
      config: TEST_CONFIG,
      tickAt: undefined,
      payload: {},
    };
    const first = await job.run(context);
    expect(first.rows).toBeGreaterThan(0);
    const agesIn = async (table: string) =>
      (await database.db(table).orderBy('bucket_start', 'desc').pluck('bucket_start')).map(
        (d: Date) => Math.round((NOW - d.getTime()) / DAY),
      );
    expect(await agesIn('zone_stats_5m')).toEqual([1, 89]);
    expect(await agesIn('zone_stats_hour')).toEqual([1, 89, 91, 200, 729]);
    expect(await agesIn('zone_stats_day')).toEqual(ages);
    // Packed quarter hours go with the 5-minute rows (their UTC midnights are 12 h older), the
    // packed days are kept with the days.
    expect(await agesIn('zone_stats_15m_packed')).toEqual([2, 90]);
    expect(await agesIn('zone_stats_day_packed')).toEqual(ages.map((a) => a + 1));
    const coverage = await database
      .db('zone_stats_coverage')
      .groupBy('resolution')
      .select('resolution')
      .count<{ resolution: string; count: string }[]>({ count: '*' });
    expect(Object.fromEntries(coverage.map((c) => [c.resolution, Number(c.count)]))).toEqual({
      '5m': 2,
      hour: 5,
      day: 7,
    });
    // Months wholly before the cutoff are gone as partitions, not only emptied.
    const fiveMinute = await partitions('zone_stats_5m');
    expect(fiveMinute[0]).toBe('zone_stats_5m_p202609');
    expect((await partitions('zone_stats_day')).length).toBeGreaterThan(30);
    await expect(job.run(context)).resolves.toEqual({ rows: 0 });
  });
});
