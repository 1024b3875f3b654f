import type { Knex } from 'knex';
import type { Db } from '../../lib/db';
import type { ParkedVehicle } from '../../lib/domain/hubs/counting';
import { vehicleCodeColumn } from '../../lib/domain/hubs/store';
import type { BBox } from '../../lib/geo/geometry';
import { MINUTE } from '../../lib/units';

/**
 * The controller's reads of parked vehicles (`vehicles_now`): all of them, or only those that
 * changed since an earlier read, by the change log `hub_vehicle_changes` (see its migration).
 * Each read runs in one repeatable-read snapshot and returns the position to read from next time.
 */

/** How far a reader has read: the snapshot it read in, and the feeds it read. */
export interface ReadPosition {
  /** The read's snapshot (`pg_current_snapshot()` as text): what it saw and what it could not. */
  snapshot: string;
  /** The ids of the active feeds, whose vehicles `vehicles_now` shows. */
  feeds: string;
}

/** A vehicle read: its feed, its id, and where it is parked now (null: parked no more). */
export type VehicleChange = [feedId: string, vehicleId: string, vehicle: ParkedVehicle | null];

export interface ChangesRead {
  kind: 'changes';
  position: ReadPosition;
  changes: VehicleChange[];
}

/** Change log rows older than this are deleted; a reader idle for longer reads everything. */
const CHANGES_KEPT_MS = 10 * MINUTE;

function snapshotRead<T>(db: Db, read: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(read, { isolationLevel: 'repeatable read', readOnly: true });
}

async function position(trx: Knex.Transaction): Promise<ReadPosition> {
  const result = await trx.raw<{ rows: ReadPosition[] }>(
    `select pg_current_snapshot()::text as snapshot,
            (select coalesce(string_agg(id::text, ',' order by id), '') from feeds where active)
              as feeds`,
  );
  return result.rows[0]!;
}

/** Rows fetched at a time by a full read. */
const BATCH = 20_000;

/**
 * Every parked vehicle within the box, handed to `each` a batch at a time (a million rows at once
 * would take a gigabyte); returns where the next read of changes starts, and how many were read.
 */
export function readAll(
  db: Db,
  box: BBox,
  each: (vehicles: VehicleChange[]) => void,
): Promise<{ position: ReadPosition; read: number }> {
  return snapshotRead(db, async (trx) => {
    const at = await position(trx);
    const [minLng, minLat, maxLng, maxLat] = box;
    const query = trx('vehicles_now')
      .select('feed_id', 'vehicle_id', 'lat', 'lng', vehicleCodeColumn(trx))
      .whereBetween('lat', [minLat, maxLat])
      .andWhereBetween('lng', [minLng, maxLng])
      .toSQL();
    await trx.raw(`declare hub_vehicles no scroll cursor for ${query.sql}`, query.bindings);
    let read = 0;
    for (;;) {
      const rows = await trx
        .raw<{ rows: [string, string, number, number, number][] }>(
          `fetch forward ${BATCH} from hub_vehicles`,
        )
        .options({ rowMode: 'array' });
      each(
        rows.rows.map(([feedId, vehicleId, lat, lng, code]): VehicleChange => [
          feedId,
          vehicleId,
          [lat, lng, code],
        ]),
      );
      read += rows.rows.length;
      if (rows.rows.length < BATCH) break;
    }
    return { position: at, read };
  });
}

/**
 * The vehicles that changed since `since`, each with its current position; undefined when that
 * can't be told exactly (the active feeds changed, or the log was pruned past `since`), so the
 * caller reads everything instead.
 */
export function readChanges(db: Db, since: ReadPosition): Promise<ChangesRead | undefined> {
  return snapshotRead(db, async (trx) => {
    const at = await position(trx);
    if (at.feeds !== since.feeds) return undefined;
    const pruned = await trx('hub_controller_state')
      .where({ id: true })
      .first<{ gap: boolean } | undefined>(
        trx.raw('changes_pruned_xid >= pg_snapshot_xmin(?::pg_snapshot)::text::bigint as gap', [
          since.snapshot,
        ]),
      );
    if (pruned?.gap !== false) return undefined;
    // Each vehicle's last entry the last read could not see, of the feeds it read.
    const rows = await trx
      .select<[string, string, number | null, number | null, number | null][]>(
        'c.feed_id',
        'c.vehicle_id',
        'c.lat',
        'c.lng',
        vehicleCodeColumn(trx, 'c'),
      )
      .distinctOn('c.feed_id', 'c.vehicle_id')
      .from('hub_vehicle_changes as c')
      .join('feeds as f', 'f.id', 'c.feed_id')
      .where('f.active', true)
      .where(
        'c.xid',
        '>=',
        trx.raw('pg_snapshot_xmin(?::pg_snapshot)::text::bigint', [since.snapshot]),
      )
      .whereRaw('not pg_visible_in_snapshot(c.xid::text::xid8, ?::pg_snapshot)', [since.snapshot])
      .orderBy([
        { column: 'c.feed_id' },
        { column: 'c.vehicle_id' },
        { column: 'c.id', order: 'desc' },
      ])
      .options({ rowMode: 'array' });
    const changes = rows.map(([feedId, vehicleId, lat, lng, code]): VehicleChange => [
      feedId,
      vehicleId,
      lat === null || lng === null ? null : [lat, lng, code ?? -1],
    ]);
    return { kind: 'changes', position: at, changes };
  });
}

/** Deletes change log rows older than CHANGES_KEPT_MS, and records up to where it deleted. */
export async function pruneChanges(db: Db): Promise<void> {
  await db.raw(
    `with gone as (
       delete from hub_vehicle_changes where at < now() - make_interval(secs => ?) returning xid
     )
     update hub_controller_state
        set changes_pruned_xid = greatest(changes_pruned_xid, (select max(xid) from gone))
      where id and exists (select 1 from gone)`,
    [CHANGES_KEPT_MS / 1000],
  );
}
