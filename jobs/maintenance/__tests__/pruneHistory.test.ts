import { loadConfig } from '../../../lib/config';
import { InProcessPubSub } from '../../../lib/pubsub';
import { HOUR } from '../../../lib/units';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../../test/db';
import { createJobs } from '../../registry';
import type { JobContext, JobDefinition } from '../../types';

/** Retention of the audit log and feed outages, as a runner configured from the environment enforces it. */
let database: TestDatabase;
const pubsub = new InProcessPubSub();
const now = new Date('2026-12-01T00:00:00Z');
const day = 24 * HOUR;
const daysAgo = (n: number) => new Date(now.getTime() - n * day);

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await pubsub.close();
  await database.drop();
});

function pruneJob(env: Record<string, string>): { job: JobDefinition; context: JobContext } {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const job = createJobs().find((j) => j.task === 'prune_history');
  if (!job) throw new Error('prune_history is not registered');
  return {
    job,
    context: { db: database.db, pubsub, logger: silentLogger, config, tickAt: now, payload: {} },
  };
}

describe('prune_history retention from the configuration', () => {
  beforeEach(async () => {
    await database.db('audit_log').delete();
    await database.db('feed_outages').delete();
    await database.db('feeds').delete();
    await database.db('operators').delete();
  });

  it('deletes audit entries and ended feed outages past AUDIT_LOG_RETENTION_DAYS / FEED_OUTAGES_RETENTION_DAYS', async () => {
    const audit = (age: number, action: string) => ({
      at: daysAgo(age),
      actor_type: 'USER',
      action,
    });
    await database
      .db('audit_log')
      .insert([audit(100, 'old'), audit(40, 'middle'), audit(5, 'recent')]);
    await database.db('operators').insert({ id: 'op', name: 'Operator' });
    const [feed] = await database
      .db('feeds')
      .insert({
        operator_id: 'op',
        url: 'http://127.0.0.1:9/gbfs.json',
        type: 'GBFS_FREE_BIKE_STATUS',
      })
      .returning<{ id: string }[]>('id');
    const outage = (started: number, ended: number | null, reason: string) => ({
      feed_id: feed!.id,
      started_at: daysAgo(started),
      ended_at: ended === null ? null : daysAgo(ended),
      reason,
    });
    await database
      .db('feed_outages')
      .insert([
        outage(90, 89, 'long ago'),
        outage(30, 10, 'ended recently'),
        outage(200, null, 'still open'),
      ]);

    const { job, context } = pruneJob({
      AUDIT_LOG_RETENTION_DAYS: '30',
      FEED_OUTAGES_RETENTION_DAYS: '20',
    });
    const first = await job.run(context);
    expect(first.rows).toBe(3);
    expect(await database.db('audit_log').orderBy('id').pluck('action')).toEqual(['recent']);
    expect(await database.db('feed_outages').orderBy('id').pluck('reason')).toEqual([
      'ended recently',
      'still open',
    ]);
    await expect(job.run(context)).resolves.toEqual({ rows: 0 });
  });

  it('keeps everything younger than the defaults (two years of audit log, a year of outages)', async () => {
    await database.db('audit_log').insert([
      { at: daysAgo(729), actor_type: 'USER', action: 'kept' },
      { at: daysAgo(731), actor_type: 'USER', action: 'gone' },
    ]);
    const { job, context } = pruneJob({});
    await job.run(context);
    expect(await database.db('audit_log').pluck('action')).toEqual(['kept']);
  });
});
