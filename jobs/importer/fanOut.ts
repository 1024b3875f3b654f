import type { Db } from '../../lib/db';
import { workerFlag } from '../runner';
import type { WorkerInfo } from '../types';

/** The job that imports one group of feeds of a fanned-out tick. */
export const IMPORT_FEED_GROUP_TASK = 'import_feed_group';

/** One feed to import: its size (vehicles in its last snapshot) and who imported it last. */
export interface FeedLoad {
  feedId: string;
  /**
   * Null before its first snapshot: counted as empty, so a fleet never read is imported by the
   * ticking job itself (its first tick checks every vehicle in; the next ticks fan out).
   */
  vehicles: number | null;
  /** The runner that held its lease last (its memory holds the feed's state), if any. */
  owner: string | null;
}

/** One job of a fanned-out tick. */
export interface FeedGroup {
  feedIds: string[];
  vehicles: number;
  /** The runner meant to import it (the others leave the job to it while it is alive). */
  worker: string;
}

/** A group's runner may carry this much more than an even share before a group moves away. */
const BALANCE_SLACK = 1.1;

/**
 * Splits a tick's feeds into jobs and gives each to a live runner. Feeds (by id) are packed into
 * groups of at least `budget` vehicles, a larger feed being a group of its own, so each job has
 * enough work to be worth its bookkeeping. Groups go, largest first, back to the runner that
 * imported most of their vehicles last time while it stays within 10 % of an even share (its
 * memory holds their state: no reload), else to the least loaded runner.
 */
export function planGroups(
  feeds: readonly FeedLoad[],
  live: readonly string[],
  budget: number,
): FeedGroup[] {
  const sorted = feeds
    .map((f) => ({ ...f, vehicles: f.vehicles ?? 0 }))
    .sort((a, b) => (a.feedId < b.feedId ? -1 : 1));
  type Sized = (typeof sorted)[number];
  const packed: Sized[][] = [];
  let current: Sized[] = [];
  let size = 0;
  for (const feed of sorted) {
    if (feed.vehicles >= budget) {
      packed.push([feed]);
      continue;
    }
    current.push(feed);
    size += feed.vehicles;
    if (size >= budget) {
      packed.push(current);
      current = [];
      size = 0;
    }
  }
  if (current.length > 0) packed.push(current);

  const load = new Map(live.map((id) => [id, 0]));
  const total = sorted.reduce((sum, f) => sum + f.vehicles, 0);
  const share = (total / Math.max(1, live.length)) * BALANCE_SLACK;
  const groups = packed
    .map((members) => ({ members, vehicles: members.reduce((sum, f) => sum + f.vehicles, 0) }))
    .sort((a, b) => b.vehicles - a.vehicles);
  return groups.map(({ members, vehicles }) => {
    const byOwner = new Map<string, number>();
    for (const f of members) {
      if (f.owner && load.has(f.owner)) {
        byOwner.set(f.owner, (byOwner.get(f.owner) ?? 0) + f.vehicles + 1);
      }
    }
    const previous = [...byOwner].sort((a, b) => b[1] - a[1])[0]?.[0];
    let worker =
      previous !== undefined && (load.get(previous) ?? 0) + vehicles <= share
        ? previous
        : undefined;
    if (worker === undefined) {
      for (const [id, carried] of load) {
        if (worker === undefined || carried < (load.get(worker) ?? 0)) worker = id;
      }
    }
    const chosen = worker ?? live[0] ?? '';
    load.set(chosen, (load.get(chosen) ?? 0) + vehicles);
    return { feedIds: members.map((f) => f.feedId), vehicles, worker: chosen };
  });
}

/** Every feed a tick imports (active, or switched off with vehicles still listed), with its load. */
export async function loadFeedLoads(db: Db): Promise<FeedLoad[]> {
  const { rows } = await db.raw<{
    rows: { id: string; vehicles: number | null; owner: string | null }[];
  }>(
    `select f.id, h.vehicles_in_last_snapshot as vehicles, s.lease_owner as owner
       from feeds f
       left join feed_health h on h.feed_id = f.id
       left join feed_import_state s on s.feed_id = f.id
      where f.active
         or exists (select 1 from vehicle_state v where v.feed_id = f.id and v.gone_at is null)`,
  );
  return rows.map((r) => ({ feedId: r.id, vehicles: r.vehicles, owner: r.owner }));
}

/** What a job of a fanned-out tick carries. */
export interface FeedGroupPayload {
  /** The tick it belongs to (`import_ticks.tick_at`), ISO. */
  tick: string;
  feedIds: string[];
}

/**
 * Queues one `import_feed_group` job per group in one statement, flagged for its runner. The job
 * key is the group's first feed: a group whose previous job still waits (every runner busy) has
 * that job replaced instead of a second one queued, so a backlog never builds up.
 */
export async function enqueueGroups(
  db: Db,
  worker: WorkerInfo,
  tick: Date,
  groups: readonly FeedGroup[],
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw(`delete from import_ticks where created_at < now() - interval '1 hour'`);
    await trx.raw(
      `insert into import_ticks (tick_at, jobs) values (?, ?)
       on conflict (tick_at) do update set jobs = excluded.jobs, done = 0`,
      [tick, groups.length],
    );
    await trx.raw(
      `select ??.add_job(identifier => ?, payload => x.payload, max_attempts => 1,
                         job_key => x.key, flags => x.flags)
         from json_to_recordset(?::json) as x(payload json, key text, flags text[])`,
      [
        worker.schema,
        IMPORT_FEED_GROUP_TASK,
        JSON.stringify(
          groups.map((g) => ({
            payload: { tick: tick.toISOString(), feedIds: g.feedIds } satisfies FeedGroupPayload,
            key: `${IMPORT_FEED_GROUP_TASK}:${g.feedIds[0] ?? ''}`,
            flags: [workerFlag(g.worker)],
          })),
        ),
      ],
    );
  });
}

/** Counts one finished job of a tick; the totals once the tick's last job has finished. */
export async function finishGroup(
  db: Db,
  tick: Date,
  done: { feeds: number; vehicles: number; events: number },
): Promise<{ feeds: number; vehicles: number; events: number } | null> {
  const { rows } = await db.raw<{
    rows: { last: boolean; feeds: number; vehicles: number; events: number }[];
  }>(
    `update import_ticks
        set done = done + 1, feeds = feeds + ?, vehicles = vehicles + ?, events = events + ?
      where tick_at = ?
      returning done = jobs as last, feeds, vehicles, events`,
    [done.feeds, done.vehicles, done.events, tick],
  );
  const row = rows[0];
  return row?.last ? { feeds: row.feeds, vehicles: row.vehicles, events: row.events } : null;
}
