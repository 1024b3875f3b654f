import type { FeedError, FeedErrorKind } from './types';

/**
 * Thrown inside the feed readers and turned into a `FeedError` result at the edge (`readFeed`,
 * `readMdsTrips`), so every step can stop at the first problem without threading results.
 */
export class FeedProblem extends Error {
  readonly error: FeedError;

  constructor(error: FeedError) {
    super(error.message);
    this.name = 'FeedProblem';
    this.error = error;
  }
}

export function feedProblem(
  kind: FeedErrorKind,
  url: string,
  message: string,
  path: string | null = null,
  httpStatus?: number,
): FeedProblem {
  return new FeedProblem({
    kind,
    url,
    message,
    path,
    ...(httpStatus === undefined ? {} : { httpStatus }),
  });
}

/** `data.bikes[3].lat: 95 is out of range` */
export function invalidData(url: string, path: string, message: string): FeedProblem {
  return feedProblem('INVALID_DATA', url, `${path}: ${message}`, path);
}

/** Runs a reader and returns its outcome as a result: feed problems never escape as exceptions. */
export async function asResult<T>(
  read: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: FeedError }> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    if (err instanceof FeedProblem) return { ok: false, error: err.error };
    throw err;
  }
}
