import { assertNever } from '../errors';
import type { ReadContext, ReadStages } from './fetchDocument';
import { readDiscovery, readFreeBikeStatus, readVehicleStatus, type FeedContent } from './gbfs';
import type { ReadMemo } from './listMemo';
import { readMdsVehicles } from './mds';
import { readTrips } from './mdsTrips';
import { asResult } from './problem';
import { TokenCache } from './tokenCache';
import type { FeedAuth, FeedConfig, FeedReadResult, TripsReadResult } from './types';

export * from './types';
export { TokenCache } from './tokenCache';
export { ReadMemo } from './listMemo';
export type { ReadStages } from './fetchDocument';
export { mdsHour } from './mdsTrips';

export interface ReadOptions {
  /** The whole read (every document of a discovery feed, every page) must finish within this. */
  timeoutMs: number;
  /** The limit of each response body; a larger one is TOO_LARGE and is never held in memory. */
  maxBytes: number;
  now?: () => Date;
  /** OAuth2 tokens; without one, a cache shared by the whole process is used. */
  tokens?: TokenCache;
  /** Adds up the time spent fetching and parsing the read's documents (see ReadStages). */
  stages?: ReadStages;
  /** The feed's records of its earlier reads (one per feed, kept by the caller): see ListMemo. */
  memo?: ReadMemo;
}

const processTokens = new TokenCache();

/** One read's deadline, size limit and credentials. */
export function readContext(auth: FeedAuth, options: ReadOptions): ReadContext {
  return {
    signal: AbortSignal.timeout(options.timeoutMs),
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    auth,
    tokens: options.tokens ?? processTokens,
    stages: options.stages,
    memo: options.memo,
  };
}

function context(feed: FeedConfig, options: ReadOptions): ReadContext {
  return readContext(feed.auth, options);
}

function readContent(feed: FeedConfig, read: ReadContext): Promise<FeedContent> {
  switch (feed.type) {
    case 'GBFS_FREE_BIKE_STATUS':
      return readFreeBikeStatus(feed, read);
    case 'GBFS_DISCOVERY':
      return readDiscovery(feed, read);
    case 'GBFS3_VEHICLE_STATUS':
      return readVehicleStatus(feed, read);
    case 'MDS_VEHICLES':
      return readMdsVehicles(feed, read);
    default:
      return assertNever(feed.type);
  }
}

/**
 * Reads one feed once: fetches its documents, validates them against the official schemas and
 * checks the data. Never throws for a feed problem: every failure is a FeedError saying what was
 * wrong and where (`data.bikes[12].lat: 95 is out of range (latitude must be -90 to 90)`).
 */
export async function readFeed(feed: FeedConfig, options: ReadOptions): Promise<FeedReadResult> {
  const fetchedAt = (options.now ?? (() => new Date()))();
  options.memo?.begin();
  const result = await asResult(() => readContent(feed, context(feed, options)));
  if (!result.ok) return result;
  return { ok: true, snapshot: { feedId: feed.id, fetchedAt, ...result.value } };
}

/**
 * MDS `/trips?end_time=YYYY-MM-DDTHH` of an MDS_VEHICLES feed: the rentals that ended in the UTC
 * hour starting at `endHour`. A 202 (hour not processed yet) is an HTTP_STATUS error with
 * `httpStatus: 202`; a 404 (hour not in the past, or no operations) one with 404.
 */
export async function readMdsTrips(
  feed: FeedConfig,
  endHour: Date,
  options: ReadOptions,
): Promise<TripsReadResult> {
  const result = await asResult(() => readTrips(feed, endHour, context(feed, options)));
  return result.ok ? { ok: true, trips: result.value } : result;
}
