import { badUserInput } from './errors';

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

export type CursorValue = string | number;

export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Decodes an opaque cursor made by `encodeCursor` with `length` values; anything else is BAD_USER_INPUT. */
export function decodeCursor(
  cursor: string,
  length: number,
  argumentName = 'after',
): CursorValue[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badUserInput(argumentName, 'is not a cursor returned by this API');
  }
  if (
    !Array.isArray(values) ||
    values.length !== length ||
    !values.every((v) => typeof v === 'string' || typeof v === 'number')
  ) {
    throw badUserInput(argumentName, 'is not a cursor returned by this API');
  }
  return values;
}

export function pageSize(
  first: number | null | undefined,
  limits: { defaultSize: number; maxSize: number },
): number {
  if (first === null || first === undefined) return limits.defaultSize;
  if (!Number.isInteger(first) || first < 1 || first > limits.maxSize) {
    throw badUserInput('first', `must be between 1 and ${limits.maxSize}, got ${first}`);
  }
  return first;
}

/**
 * Builds a forward Relay connection from `size + 1` fetched rows (the extra row only tells whether
 * there is a next page).
 */
export function toConnection<T>(
  rows: T[],
  size: number,
  cursorOf: (row: T) => CursorValue[],
  options: { totalCount: number; hasPreviousPage: boolean },
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(cursorOf(node)) }));
  return {
    edges,
    totalCount: options.totalCount,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: options.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
