import type { Db } from '../../lib/db';
import { TICK_MS } from '../../lib/time/buckets';
import { computeWindow } from './compute';

/** Ticks recounted per transaction (3 hours), as when catching up. */
const CHUNK_TICKS = 36;

interface RecountRow {
  id: string;
  from_at: Date;
  to_at: Date;
}

/**
 * Recounts the periods asked for in `zone_stats_recounts` (a purged feed's history): the oldest
 * request first, at most `budgetMs` of it per run, so a year-long purge is spread over runs. A
 * request is removed once its whole period is recounted; a run cut short resumes where it stopped.
 * Returns the series rows changed.
 */
export async function runRequestedRecounts(
  db: Db,
  timeZone: string,
  budgetMs: number,
  nowMs: number,
): Promise<number> {
  const request = await db('zone_stats_recounts')
    .orderBy('id')
    .first<RecountRow | undefined>('id', 'from_at', 'to_at');
  if (!request) return 0;
  const latestTick = nowMs - (nowMs % TICK_MS);
  const fromTick = request.from_at.getTime() - (request.from_at.getTime() % TICK_MS);
  const lastTick = Math.min(
    latestTick,
    request.to_at.getTime() - (request.to_at.getTime() % TICK_MS),
  );
  const untilTick = Math.min(lastTick, fromTick + Math.floor(budgetMs / TICK_MS) * TICK_MS);
  let changed = 0;
  for (let a = fromTick; a <= untilTick; a += CHUNK_TICKS * TICK_MS) {
    const b = Math.min(untilTick, a + (CHUNK_TICKS - 1) * TICK_MS);
    changed += await computeWindow(db, a, b, timeZone);
  }
  if (untilTick >= lastTick) {
    await db('zone_stats_recounts').where('id', request.id).delete();
  } else {
    await db('zone_stats_recounts')
      .where('id', request.id)
      .update({ from_at: new Date(untilTick + TICK_MS) });
  }
  return changed;
}
