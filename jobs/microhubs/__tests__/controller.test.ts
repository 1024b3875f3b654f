import { createDb } from '../../../lib/db';
import { channels } from '../../../lib/domain/channels';
import type { HubStatusRow } from '../../../lib/domain/hubs/model';
import { createHubStore } from '../../../lib/domain/hubs/store';
import { type PubSub } from '../../../lib/pubsub';
import { seed } from '../../../seeds';
import { createTestDatabase, silentLogger, TEST_CONFIG, type TestDatabase } from '../../../test/db';
import {
  cluster,
  controllerJob,
  DAM,
  insertHub,
  listen,
  moved,
  Street,
  testPubSub,
  type EventLog,
} from '../../../test/microhubs';
import { createControllerState } from '../controllerState';
import { createMicrohubsControllerJob, MICROHUBS_CONTROLLER_TASK } from '../microhubsController';

/**
 * The controller's rules on real PostgreSQL (and Redis when REDIS_URL is set): vehicles are
 * parked into hubs as the importer writes them, then one controller tick runs, as the job runner
 * runs it.
 */
let database: TestDatabase;
let pubsub: PubSub;
let street: Street;
let statusLog: EventLog;
let occupancyLog: EventLog;
const hubIds: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  pubsub = testPubSub();
  await seed(database.db, pubsub, silentLogger, { demo: false });
  street = await new Street(database.db).open();
  statusLog = await listen(pubsub, channels.hubStatusChanged, () => hubIds);
  occupancyLog = await listen(pubsub, channels.hubOccupancy, () => hubIds);
});

afterAll(async () => {
  await statusLog?.stop();
  await occupancyLog?.stop();
  await pubsub?.close();
  await database?.drop();
});

let place = 0;
/** A fresh spot for each test's hub, 300 m apart, so tests don't share vehicles. */
function nextSpot(): { lat: number; lng: number } {
  place += 1;
  return moved(DAM, 300 * place, 0);
}

async function hub(spec: Parameters<typeof insertHub>[1] = {}): Promise<string> {
  const id = await insertHub(database.db, spec);
  hubIds.push(id);
  return id;
}

async function statuses(hubId: string): Promise<HubStatusRow[]> {
  return database.db('hub_status').where({ hub_id: hubId }).orderBy('form_factor');
}

async function status(hubId: string, key = 'COMBINED'): Promise<HubStatusRow> {
  const row = (await statuses(hubId)).find((s) => s.form_factor === key);
  if (!row) throw new Error(`hub ${hubId} has no ${key} status`);
  return row;
}

/** Hubs whose test moved the clock: gone afterwards, so later ticks at the real time skip them. */
async function forget(id: string): Promise<void> {
  await database.db('zones').where({ id }).delete();
}

/** The status and occupancy events of one hub since the last call. */
async function eventsOf(hubId: string) {
  await statusLog.settle();
  await occupancyLog.settle();
  const take = (log: EventLog) => {
    const mine = log.events.filter((e) => e.hubId === hubId);
    log.events.splice(0, log.events.length, ...log.events.filter((e) => e.hubId !== hubId));
    return mine;
  };
  return { status: take(statusLog), occupancy: take(occupancyLog) };
}

const controller = () => controllerJob(database.db, pubsub);

describe('microhubs controller', () => {
  it('closes a hub as soon as it is full, within one tick', async () => {
    const at = nextSpot();
    const id = await hub({ at, capacity: { COMBINED: 10 } });
    const vehicles = cluster('full', 10, at);
    await street.park(vehicles.slice(0, 9));
    await controller().tick();
    expect(await status(id)).toMatchObject({
      vehicles: 9,
      capacity: 10,
      places_available: 1,
      open: true,
      reason: 'PLACES_AVAILABLE',
    });
    const first = await eventsOf(id);
    expect(first.status).toHaveLength(1);
    expect(first.status[0]).toMatchObject({ open: true, vehicles: 9, available: 1 });

    await street.park(vehicles.slice(9));
    await controller().tick();
    expect(await status(id)).toMatchObject({
      vehicles: 10,
      places_available: 0,
      open: false,
      reason: 'FULL',
    });
    const second = await eventsOf(id);
    expect(second.status).toEqual([
      expect.objectContaining({
        hubId: id,
        municipalityCode: 'GM0363',
        formFactor: null,
        open: false,
        reason: 'FULL',
        vehicles: 10,
        capacity: 10,
        available: 0,
        public: true,
      }),
    ]);
    expect(second.occupancy).toHaveLength(1);
  });

  it('stays closed until 5 % of the places are free, then reopens', async () => {
    const at = nextSpot();
    const id = await hub({ at, radiusMeters: 25, capacity: { COMBINED: 100 } });
    const vehicles = cluster('hyst', 100, at, 15);
    await street.park(vehicles);
    await controller().tick();
    expect(await status(id)).toMatchObject({ open: false, reason: 'FULL', vehicles: 100 });
    const closedSince = (await status(id)).since;
    await eventsOf(id);

    // 4 free places of 100: below the 5 % threshold, still closed and no status event.
    await street.leave(vehicles.slice(0, 4).map((v) => v.id));
    await controller().tick();
    expect(await status(id)).toMatchObject({
      open: false,
      reason: 'BELOW_REOPEN_THRESHOLD',
      vehicles: 96,
      places_available: 4,
      since: closedSince,
    });
    let events = await eventsOf(id);
    expect(events.status).toEqual([]);
    expect(events.occupancy).toEqual([expect.objectContaining({ vehicles: 96, open: false })]);

    // One vehicle back (3 free): still closed since the same moment, still no status event.
    await street.park(vehicles.slice(0, 1));
    await controller().tick();
    expect(await status(id)).toMatchObject({
      open: false,
      reason: 'BELOW_REOPEN_THRESHOLD',
      places_available: 3,
      since: closedSince,
    });
    expect((await eventsOf(id)).status).toEqual([]);

    // 5 free places: open.
    await street.leave(vehicles.slice(0, 5).map((v) => v.id));
    await controller().tick();
    expect(await status(id)).toMatchObject({
      open: true,
      reason: 'PLACES_AVAILABLE',
      vehicles: 95,
      places_available: 5,
    });
    events = await eventsOf(id);
    expect(events.status).toEqual([expect.objectContaining({ open: true, available: 5 })]);

    // Open again: one vehicle back leaves 4 free, and an open hub stays open until full.
    await street.park(vehicles.slice(0, 1));
    await controller().tick();
    expect(await status(id)).toMatchObject({ open: true, places_available: 4 });
    expect((await eventsOf(id)).status).toEqual([]);

    const history = await database
      .db('hub_status_history')
      .where({ hub_id: id })
      .orderBy('id')
      .select('open', 'reason', 'vehicles');
    expect(history).toEqual([
      { open: false, reason: 'FULL', vehicles: 100 },
      { open: true, reason: 'PLACES_AVAILABLE', vehicles: 95 },
    ]);
  });

  it('counts per form factor, each against its own capacity', async () => {
    const at = nextSpot();
    const id = await hub({ at, capacity: { BICYCLE: 2, MOPED: 1 } });
    await street.park([
      ...cluster('ff-bike', 2, at, 4, 'BICYCLE'),
      ...cluster('ff-scooter', 3, moved(at, 2, 2), 3, 'SCOOTER_STANDING'),
    ]);
    await controller().tick();
    const rows = await statuses(id);
    expect(rows.map((r) => [r.form_factor, r.vehicles, r.capacity, r.open, r.reason])).toEqual([
      ['BICYCLE', 2, 2, false, 'FULL'],
      ['MOPED', 0, 1, true, 'PLACES_AVAILABLE'],
    ]);
    const events = await eventsOf(id);
    expect(events.status.map((e) => [e.formFactor, e.open]).sort()).toEqual([
      ['BICYCLE', false],
      ['MOPED', true],
    ]);

    await street.park(cluster('ff-moped', 1, at, 0, 'MOPED'));
    await controller().tick();
    expect(await status(id, 'MOPED')).toMatchObject({ vehicles: 1, open: false, reason: 'FULL' });
    expect((await eventsOf(id)).status).toEqual([
      expect.objectContaining({ formFactor: 'MOPED', open: false }),
    ]);
  });

  it('counts a combined capacity over the form factors it names', async () => {
    const at = nextSpot();
    const id = await hub({
      at,
      capacity: { COMBINED: 4 },
      combinedFormFactors: ['BICYCLE', 'CARGO_BICYCLE'],
    });
    await street.park([
      ...cluster('comb-bike', 2, at, 4, 'BICYCLE'),
      ...cluster('comb-cargo', 1, moved(at, 3, 0), 0, 'CARGO_BICYCLE'),
      ...cluster('comb-moped', 2, moved(at, -3, 0), 2, 'MOPED'),
    ]);
    await controller().tick();
    expect(await status(id)).toMatchObject({
      vehicles: 3,
      places_available: 1,
      open: true,
      breakdown: { BICYCLE: [2, 2], CARGO_BICYCLE: [1, 1] },
    });
    await street.park(cluster('comb-cargo2', 1, moved(at, -3, 3), 0, 'CARGO_BICYCLE'));
    await controller().tick();
    expect(await status(id)).toMatchObject({ vehicles: 4, open: false, reason: 'FULL' });
    await eventsOf(id);
  });

  it('counts vehicles within the buffer, reserved and disabled ones too, and nothing beyond', async () => {
    const at = nextSpot();
    const id = await hub({ at, radiusMeters: 10, bufferMeters: 30, capacity: { COMBINED: 10 } });
    await street.park([
      { id: 'buf-inside', ...at },
      { id: 'buf-edge', ...moved(at, 0, 38), reserved: true },
      { id: 'buf-near', ...moved(at, -25, 0), disabled: true },
      { id: 'buf-out', ...moved(at, 45, 0) },
      { id: 'buf-far', ...moved(at, 0, -80) },
    ]);
    await controller().tick();
    expect(await status(id)).toMatchObject({ vehicles: 3, vehicles_available: 1 });
    await eventsOf(id);
  });

  it('gives a vehicle between two hubs to the nearer one only', async () => {
    const at = nextSpot();
    const west = await hub({ at, radiusMeters: 5, bufferMeters: 30 });
    const east = await hub({ at: moved(at, 0, 40), radiusMeters: 5, bufferMeters: 30 });
    await street.park([
      { id: 'between-west', ...moved(at, 0, 15) },
      { id: 'between-east', ...moved(at, 0, 28) },
    ]);
    await controller().tick();
    expect((await status(west)).vehicles).toBe(1);
    expect((await status(east)).vehicles).toBe(1);
    await eventsOf(west);
    await eventsOf(east);
  });

  it('lets manual control win over the count', async () => {
    const at = nextSpot();
    const full = await hub({ at, capacity: { COMBINED: 2 } });
    const empty = await hub({ at: moved(at, 100, 0), capacity: { COMBINED: 2 } });
    await street.park(cluster('manual', 2, at, 3));
    await controller().tick();
    expect(await status(full)).toMatchObject({ open: false, reason: 'FULL' });
    expect(await status(empty)).toMatchObject({ open: true });

    const store = createHubStore(database.db);
    await store.updateHub(full, { control: 'MANUAL_OPEN' });
    await store.updateHub(empty, { control: 'MANUAL_CLOSED' });
    await controller().tick();
    expect(await status(full)).toMatchObject({ open: true, reason: 'MANUAL_OPEN', vehicles: 2 });
    expect(await status(empty)).toMatchObject({ open: false, reason: 'MANUAL_CLOSED' });

    // Back to automatic: the full hub closes again; the empty one reopens (all places free).
    await store.updateHub(full, { control: 'AUTOMATIC' });
    await store.updateHub(empty, { control: 'AUTOMATIC' });
    await controller().tick();
    expect(await status(full)).toMatchObject({ open: false, reason: 'FULL' });
    expect(await status(empty)).toMatchObject({ open: true, reason: 'PLACES_AVAILABLE' });
    expect((await eventsOf(full)).status.map((e) => e.open)).toEqual([false, true, false]);
    expect((await eventsOf(empty)).status.map((e) => e.open)).toEqual([true, false, true]);
  });

  it('keeps a hub closed until its effective date, then opens it', async () => {
    const at = nextSpot();
    const startsAt = new Date(Date.now() + 3_600_000);
    const id = await hub({ at, effectiveFrom: startsAt, control: 'MANUAL_OPEN' });
    await controller().tick();
    expect(await status(id)).toMatchObject({ open: false, reason: 'NOT_YET_EFFECTIVE' });
    expect((await eventsOf(id)).status).toEqual([
      expect.objectContaining({ open: false, reason: 'NOT_YET_EFFECTIVE', public: false }),
    ]);

    await controllerJob(database.db, pubsub, {
      now: () => new Date(startsAt.getTime() + 1000),
    }).tick();
    expect(await status(id)).toMatchObject({ open: true, reason: 'MANUAL_OPEN' });
    expect((await eventsOf(id)).status).toEqual([
      expect.objectContaining({ open: true, reason: 'MANUAL_OPEN', public: true }),
    ]);
    await forget(id);
  });

  it('removes a retired hub: its status ends once, with a RETIRED event', async () => {
    const at = nextSpot();
    const retireAt = new Date(Date.now() + 3_600_000);
    const id = await hub({ at, retireAt });
    await street.park(cluster('retire', 3, at, 3));
    await controller().tick();
    expect(await statuses(id)).toHaveLength(1);
    await eventsOf(id);

    const later = () => new Date(retireAt.getTime() + 1000);
    await controllerJob(database.db, pubsub, { now: later }).tick();
    await controllerJob(database.db, pubsub, { now: later }).tick();
    expect(await statuses(id)).toEqual([]);
    const events = await eventsOf(id);
    expect(events.status).toEqual([
      expect.objectContaining({ open: false, reason: 'RETIRED', vehicles: 3, public: true }),
    ]);
    const last = await database
      .db('hub_status_history')
      .where({ hub_id: id })
      .orderBy('id', 'desc')
      .first<{ reason: string; open: boolean }>('reason', 'open');
    expect(last).toEqual({ reason: 'RETIRED', open: false });
    await forget(id);
  });

  it('publishes nothing when nothing changed', async () => {
    const at = nextSpot();
    const id = await hub({ at });
    await street.park(cluster('quiet', 3, at, 3));
    await controller().tick();
    expect((await eventsOf(id)).status).toHaveLength(1);
    const report = await controller().tick();
    expect(report.rows).toBe(0);
    expect(await eventsOf(id)).toEqual({ status: [], occupancy: [] });
  });

  it('records one change when two controllers count at the same moment', async () => {
    const at = nextSpot();
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        hub({ at: moved(at, 0, 40 * i), capacity: { COMBINED: 2 } }),
      ),
    );
    await controller().tick();
    for (const id of ids) await eventsOf(id);
    // A second controller process: its own connection pool, its own memory.
    const other = createDb(database.url, { poolMax: 3, applicationName: 'mobility:test-2nd' });
    try {
      for (let round = 0; round < 5; round += 1) {
        // Every hub fills (round even) or empties (round odd); both controllers see it.
        const vehicles = ids.flatMap((_, i) => cluster(`race-${i}`, 2, moved(at, 0, 40 * i), 2));
        if (round % 2 === 0) await street.park(vehicles);
        else await street.leave(vehicles.map((v) => v.id));
        const [a, b] = await Promise.all([
          controllerJob(database.db, pubsub).tick(),
          controllerJob(other, pubsub).tick(),
        ]);
        expect(a.rows + b.rows).toBe(ids.length);
      }
      const flips = await database
        .db('hub_status_history')
        .whereIn('hub_id', ids)
        .count<{ n: string }[]>({ n: '*' });
      // One appearance per hub, then five flips each.
      expect(Number(flips[0]?.n)).toBe(ids.length * 6);
      let statusEvents = 0;
      for (const id of ids) statusEvents += (await eventsOf(id)).status.length;
      expect(statusEvents).toBe(ids.length * 5);
    } finally {
      await other.destroy();
    }
  });

  it('claims each import for one extra run, however many runners hear it', async () => {
    const { db } = database;
    const state = createControllerState(db);
    const later = db.raw("now() + interval '1 hour'");
    await db('job_schedules')
      .insert({
        name: MICROHUBS_CONTROLLER_TASK,
        task: MICROHUBS_CONTROLLER_TASK,
        interval_ms: 30_000,
        next_run_at: later,
      })
      .onConflict('name')
      .merge();
    const due = async () =>
      (
        await db('job_schedules')
          .where({ name: MICROHUBS_CONTROLLER_TASK })
          .first<{ due: boolean }>(db.raw('next_run_at <= now() as due'))
      ).due;

    // The job, once it ran, follows import ticks.
    const job = createMicrohubsControllerJob({ settings: { reopenFreeRatio: 0.05 } });
    await job.run({
      db,
      pubsub,
      logger: silentLogger,
      config: TEST_CONFIG,
      tickAt: undefined,
      payload: {},
    });
    const importAt = new Date();
    await pubsub.publish(channels.vehiclesUpdated, {
      at: importAt.toISOString(),
      feeds: 0,
      vehicles: 0,
      events: 0,
    });
    for (let i = 0; i < 100 && !(await due()); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await due()).toBe(true);

    // Three more listeners hear the same import: none claims it again.
    const other = createDb(database.url, { poolMax: 2, applicationName: 'mobility:test-2nd' });
    try {
      await db('job_schedules')
        .where({ name: MICROHUBS_CONTROLLER_TASK })
        .update({ next_run_at: later });
      const claims = await Promise.all([
        state.triggerAfterImport(importAt, MICROHUBS_CONTROLLER_TASK),
        createControllerState(other).triggerAfterImport(importAt, MICROHUBS_CONTROLLER_TASK),
        state.triggerAfterImport(importAt, MICROHUBS_CONTROLLER_TASK),
      ]);
      expect(claims).toEqual([false, false, false]);
      expect(await due()).toBe(false);

      // The next import tick is claimed by exactly one of two listeners.
      const next = new Date(importAt.getTime() + 30_000);
      const both = await Promise.all([
        state.triggerAfterImport(next, MICROHUBS_CONTROLLER_TASK),
        createControllerState(other).triggerAfterImport(next, MICROHUBS_CONTROLLER_TASK),
      ]);
      expect(both.filter(Boolean)).toHaveLength(1);
      expect(await due()).toBe(true);
    } finally {
      await other.destroy();
      await db('job_schedules').where({ name: MICROHUBS_CONTROLLER_TASK }).delete();
    }
  });
});
