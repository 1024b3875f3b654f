import type { Pool } from 'pg';
import type { Db } from '../db';
import { watchPool } from './metrics';

/** What knex's pool (tarn) tells about itself. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/** Reports a knex pool's connections as `pool` until the returned call. */
export function watchKnexPool(db: Db, pool: string, max: number): () => void {
  return watchPool(pool, () => {
    const tarn = (db.client as { pool?: TarnPool }).pool;
    return {
      used: tarn?.numUsed() ?? 0,
      idle: tarn?.numFree() ?? 0,
      waiting: tarn?.numPendingAcquires() ?? 0,
      max,
    };
  });
}

/** Reports a node-postgres pool's connections as `pool` until the returned call. */
export function watchPgPool(pg: Pool, pool: string, max: number): () => void {
  return watchPool(pool, () => ({
    used: pg.totalCount - pg.idleCount,
    idle: pg.idleCount,
    waiting: pg.waitingCount,
    max,
  }));
}
