import { channels, type Channel } from '../lib/domain/channels';

/**
 * Public-scope query results are kept in memory until the data under them changes. Every writer
 * announces its changes on pub/sub: the importer after each tick (`vehicles.updated`), the job
 * runner after every job that wrote rows (`data.refreshed`: zone series, OD, daily reports,
 * maintenance), zone imports and hub edits (`zones.changed`), the microhubs controller
 * (`hubs.status`, `hubs.occupancy`), feed health (`feeds.health`). Any event on one of them empties
 * the cache (every entry: simpler and safer than tracking which entry read what).
 */
export const INVALIDATING_CHANNELS: readonly Channel[] = [
  channels.vehiclesUpdated,
  channels.dataRefreshed,
  channels.zonesChanged,
  channels.hubStatusChanged,
  channels.hubOccupancy,
  channels.feedHealthChanged,
];

export interface ResponseCacheOptions {
  maxEntries: number;
  /**
   * The longest an entry is served, whatever the events say: a bound on staleness should an
   * event be lost (the pub/sub connection dropped and came back).
   */
  ttlMs: number;
  now?: () => number;
}

export interface ResponseCache<T> {
  get(key: string): T | undefined;
  /**
   * Stores what an execution that started at `generation` answered, unless the data changed since
   * (an invalidation in between): an answer computed from data older than the last event is
   * never stored.
   */
  set(key: string, value: T, generation: number): void;
  /** Counts invalidations; read it before executing, pass it to `set` after. */
  generation(): number;
  invalidate(): void;
  size(): number;
}

export function createResponseCache<T>(options: ResponseCacheOptions): ResponseCache<T> {
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recent.
  const entries = new Map<string, { value: T; expires: number }>();
  let generation = 0;
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expires <= now()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, startedAt) {
      if (startedAt !== generation || options.maxEntries <= 0) return;
      entries.delete(key);
      entries.set(key, { value, expires: now() + options.ttlMs });
      while (entries.size > options.maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
    generation: () => generation,
    invalidate() {
      generation += 1;
      entries.clear();
    },
    size: () => entries.size,
  };
}
