import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/config';
import type { ZoneRow } from '../../lib/domain/zones';
import { createZoneStore } from '../../lib/domain/zoneStore';
import { LiveZoneIndex } from '../../lib/geo/liveZoneIndex';
import { InProcessPubSub } from '../../lib/pubsub';
import { seed } from '../../seeds';
import { createTestDatabase, silentLogger, TEST_CONFIG, type TestDatabase } from '../../test/db';
import { refreshZoneGeometry } from '../maintenance/refreshZoneGeometry';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

function startRunner(databaseUrl: string): {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
} {
  const child = spawn(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['bin/jobs.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      JOBS_SCHEDULER_INTERVAL_MS: '100',
      // Two runners on one host: each takes a free port for /health, /ready and /metrics.
      JOBS_PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, exited, stderr: () => stderr };
}

describe('job runner', () => {
  it('runs each tick of a 1-second job exactly once across two runner processes', async () => {
    await database.db('job_schedules').insert({
      name: 'refresh_zone_geometry',
      task: 'refresh_zone_geometry',
      interval_ms: 1000,
    });
    const runners = [startRunner(database.url), startRunner(database.url)];
    const succeeded = () =>
      database
        .db('job_runs')
        .where({ status: 'succeeded', schedule_name: 'refresh_zone_geometry' })
        .count<{ count: string }[]>({ count: '*' });
    // Generous: two processes start on a machine that may be busy with other tests.
    const deadline = Date.now() + 80_000;
    while (Number((await succeeded())[0]?.count) < 6 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const runner of runners) runner.child.kill('SIGTERM');
    const codes = await Promise.all(runners.map((r) => r.exited));
    expect({ codes, stderr: runners.map((r) => r.stderr()) }).toEqual({
      codes: [0, 0],
      stderr: ['', ''],
    });

    const runs = await database
      .db('job_runs')
      .select<{ tick_at: Date; status: string }[]>('tick_at', 'status')
      .where({ schedule_name: 'refresh_zone_geometry' })
      .orderBy('tick_at');
    expect(runs.length).toBeGreaterThanOrEqual(6);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    const ticks = runs.map((r) => r.tick_at.getTime());
    expect(new Set(ticks).size).toBe(ticks.length);
    // Consecutive ticks are one interval apart: none skipped, none doubled.
    for (let i = 1; i < ticks.length; i += 1) expect(ticks[i]! - ticks[i - 1]!).toBe(1000);
  }, 150_000);
});

describe('refresh_zone_geometry', () => {
  it('recomputes bbox and area of edited zones and the zone index follows', async () => {
    const pubsub = new InProcessPubSub();
    await seed(database.db, pubsub, silentLogger, { demo: false });
    const repository = createZoneStore(database.db);
    const index = new LiveZoneIndex(repository, pubsub, silentLogger, 60_000);
    await index.start();
    try {
      // Move Amsterdam's code onto a box in the North Sea, as an admin edit straight in SQL would.
      const box = {
        type: 'Polygon',
        coordinates: [
          [
            [3.8, 52.5],
            [4.0, 52.5],
            [4.0, 52.7],
            [3.8, 52.7],
            [3.8, 52.5],
          ],
        ],
      };
      await database
        .db('zones')
        .where({ code: 'GM0363' })
        .update({ geometry: JSON.stringify(box), updated_at: database.db.fn.now() });

      const context = {
        db: database.db,
        pubsub,
        logger: silentLogger,
        config: TEST_CONFIG,
        tickAt: undefined,
        payload: {},
      };
      await expect(refreshZoneGeometry.run(context)).resolves.toEqual({ rows: 1 });
      await expect(refreshZoneGeometry.run(context)).resolves.toEqual({ rows: 0 });

      const row = await database.db('zones').where({ code: 'GM0363' }).first<ZoneRow>();
      expect(row).toMatchObject({ min_lng: 3.8, min_lat: 52.5, max_lng: 4, max_lat: 52.7 });
      expect(row.area_km2).toBeGreaterThan(280);
      expect(row.area_km2).toBeLessThan(310);

      const deadline = Date.now() + 5000;
      while (index.current.containing(3.9, 52.6).length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(index.current.containing(3.9, 52.6).map((z) => z.id)).toEqual([row.id]);
    } finally {
      await index.stop();
      await pubsub.close();
    }
  });
});
