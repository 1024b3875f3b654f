import type { ValidateFunction } from 'ajv';
import { textStart } from './http';
import { isItemwise } from './validate';

/**
 * Reading a large list without re-reading what did not change.
 *
 * A feed's vehicle list changes little from one read to the next (about 1 % of the records in
 * 30 s), yet parsing and validating all of it was most of an import's CPU. A `ListMemo` keeps, per
 * feed and list, the records of the last read that passed the position checks and the schema,
 * each with its exact bytes. The next read finds each record's bytes in the body (a scan of the
 * JSON structure, no parse), parses only records whose bytes are new, and marks the others known:
 * the schema is then run over the document with only the new records in its list.
 *
 * Why this still validates every document: the list's schema is `{ type: array, items: S }`
 * reached through `properties` only (the schemas read this way are checked to be, see
 * `listIsItemwise`), so a document is valid exactly when its list-less part and each record
 * are. A known record is byte for byte one that `S` (the same compiled validator) accepted, and
 * validation is a function of the bytes, so its answer is known; the rest of the document is
 * validated as it always was. The errors found, their order and their paths are those of a full
 * validation (the paths are mapped back to each record's place in the list). Anything the scan
 * cannot vouch for (a key spelled with escapes, a key twice, a list that is not an array, a record
 * that does not parse on its own) falls back to parsing the whole body, with the same error.
 */

/** A read body whose list was put together from known and newly parsed records. */
export interface ListedBody {
  /** The document, its list holding every record in order (known ones as parsed before). */
  body: unknown;
  /** The record at `position` is, byte for byte, one `validate` accepted in an earlier read. */
  isKnown(position: number, validate: ValidateFunction): boolean;
  /** These records passed the checks and `validate`: the next read may reuse them. */
  remember(positions: readonly number[], validate: ValidateFunction): void;
}

interface Remembered {
  bytes: Buffer;
  start: number;
  end: number;
  item: unknown;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(b: Buffer, i: number): number {
  let j = i;
  while (j < b.length && isSpace(b[j])) j++;
  return j;
}

/** After the string whose opening quote is at `i`, or -1. */
function stringEnd(b: Buffer, i: number): number {
  for (let j = i + 1; j < b.length; j++) {
    const c = b[j];
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j + 1;
  }
  return -1;
}

/** After the value starting at `i`, or -1 (its syntax inside is left to JSON.parse). */
function valueEnd(b: Buffer, i: number): number {
  const c = b[i];
  if (c === QUOTE) return stringEnd(b, i);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    let depth = 0;
    for (let j = i; j < b.length; j++) {
      const d = b[j];
      if (d === QUOTE) {
        const end = stringEnd(b, j);
        if (end < 0) return -1;
        j = end - 1;
      } else if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
      else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  for (; j < b.length; j++) {
    const d = b[j];
    if (d === COMMA || d === CLOSE_ARRAY || d === CLOSE_OBJECT || isSpace(d)) break;
  }
  return j > i ? j : -1;
}

interface FoundList {
  /** The list's `[` and the index after its `]`. */
  open: number;
  close: number;
  starts: number[];
  ends: number[];
}

/**
 * The records of the array at `i` (its `[`), or null: one pass over its bytes, skipping strings
 * and counting brackets (each record's own syntax is left to JSON.parse).
 */
function listAt(b: Buffer, i: number): FoundList | null {
  const n = b.length;
  const starts: number[] = [];
  const ends: number[] = [];
  /** Between records: a record may start here (after `[` or `,`), or else a `,` or `]` must. */
  let wantRecord = true;
  let j = i + 1;
  while (j < n) {
    const c = b[j] as number;
    if (isSpace(c)) {
      j++;
      continue;
    }
    if (!wantRecord) {
      if (c === CLOSE_ARRAY) return { open: i, close: j + 1, starts, ends };
      if (c !== COMMA) return null;
      wantRecord = true;
      j++;
      continue;
    }
    if (c === CLOSE_ARRAY && starts.length === 0) return { open: i, close: j + 1, starts, ends };
    const start = j;
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      let depth = 1;
      j++;
      while (depth > 0 && j < n) {
        const d = b[j] as number;
        if (d === QUOTE) {
          j++;
          while (j < n) {
            const e = b[j] as number;
            if (e === BACKSLASH) j += 2;
            else if (e === QUOTE) break;
            else j++;
          }
        } else if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
        else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) depth--;
        j++;
      }
      if (depth > 0) return null;
    } else {
      j = valueEnd(b, j);
      if (j < 0) return null;
    }
    starts.push(start);
    ends.push(j);
    wantRecord = false;
  }
  return null;
}

function keyIs(b: Buffer, start: number, end: number, key: string): boolean {
  if (end - start !== key.length) return false;
  for (let k = 0; k < key.length; k++) if (b[start + k] !== key.charCodeAt(k)) return false;
  return true;
}

/**
 * The list at `keys` inside the object at `i`: every member of every object on the way is
 * scanned, so a key present twice (JSON.parse keeps the last) or spelled with escapes gives null.
 */
function findList(
  b: Buffer,
  i: number,
  keys: readonly string[],
): { list: FoundList; end: number } | null {
  if (b[i] !== OPEN_OBJECT) return null;
  const [key, ...rest] = keys;
  if (key === undefined) return null;
  let found: FoundList | null = null;
  let j = skipSpace(b, i + 1);
  if (b[j] === CLOSE_OBJECT) return null;
  for (;;) {
    if (b[j] !== QUOTE) return null;
    const keyEnd = stringEnd(b, j);
    if (keyEnd < 0) return null;
    for (let k = j + 1; k < keyEnd - 1; k++) if (b[k] === BACKSLASH) return null;
    const matches = keyIs(b, j + 1, keyEnd - 1, key);
    j = skipSpace(b, keyEnd);
    if (b[j] !== COLON) return null;
    j = skipSpace(b, j + 1);
    let end: number;
    if (matches) {
      if (found) return null;
      if (rest.length === 0) {
        found = b[j] === OPEN_ARRAY ? listAt(b, j) : null;
        end = found ? found.close : -1;
      } else {
        const inner = findList(b, j, rest);
        found = inner ? inner.list : null;
        end = inner ? inner.end : -1;
      }
    } else end = valueEnd(b, j);
    if (end < 0) return null;
    j = skipSpace(b, end);
    if (b[j] === CLOSE_OBJECT) return found ? { list: found, end: j + 1 } : null;
    if (b[j] !== COMMA) return null;
    j = skipSpace(b, j + 1);
  }
}

/**
 * A cheap hash of a record: its length, its first 64 and last 32 bytes (where ids, positions and
 * times are). Records with equal hashes are compared byte by byte, so a collision costs a parse.
 */
function hashOf(b: Uint8Array, start: number, end: number): number {
  let h = Math.imul(0x811c9dc5 ^ (end - start), 0x01000193);
  const head = Math.min(end, start + 64);
  for (let j = start; j < head; j++) h = Math.imul(h ^ (b[j] as number), 0x01000193);
  for (let j = Math.max(head, end - 32); j < end; j++)
    h = Math.imul(h ^ (b[j] as number), 0x01000193);
  return h;
}

/** The records of one list of one feed (e.g. its free_bike_status bikes) that passed last time. */
export class ListMemo {
  private previous = new Map<number, Remembered>();
  private previousValidator: ValidateFunction | null = null;
  private next = new Map<number, Remembered>();
  private nextValidator: ValidateFunction | null = null;

  /** A new read: what the last one remembered is what this one may reuse. */
  begin(): void {
    if (this.next.size === 0) return;
    this.previous = this.next;
    this.previousValidator = this.nextValidator;
    this.next = new Map();
    this.nextValidator = null;
  }

  /**
   * The JSON body `bytes` (UTF-8, checked) with its list at `keys` put together from known and
   * newly parsed records; null when the scan cannot vouch for the body (parse it whole).
   */
  read(bytes: Buffer, keys: readonly string[]): ListedBody | null {
    const offset = skipSpace(bytes, textStart(bytes));
    const found = findList(bytes, offset, keys);
    if (!found) return null;
    const { open, close, starts, ends } = found.list;
    // Nothing to reuse yet (a first read): one parse of the whole body, its records remembered.
    const cold = this.previous.size === 0;
    const text = textStart(bytes);
    let body: unknown;
    try {
      body = JSON.parse(
        cold
          ? bytes.toString('utf8', text)
          : `${bytes.toString('utf8', text, open)}[]${bytes.toString('utf8', close)}`,
      );
    } catch {
      return null;
    }
    let parent = body as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
    const count = starts.length;
    const parsed = parent[keys[keys.length - 1] as string];
    if (!Array.isArray(parsed) || parsed.length !== (cold ? count : 0)) return null;
    const items: unknown[] = new Array<unknown>(count);
    const entries: (Remembered | undefined)[] = new Array<Remembered | undefined>(count);
    const hashes = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      const start = starts[k] as number;
      const end = ends[k] as number;
      const hash = hashOf(bytes, start, end);
      hashes[k] = hash;
      if (cold) {
        items[k] = parsed[k];
        continue;
      }
      const seen = this.previous.get(hash);
      if (
        seen !== undefined &&
        seen.end - seen.start === end - start &&
        bytes.compare(seen.bytes, seen.start, seen.end, start, end) === 0
      ) {
        items[k] = seen.item;
        entries[k] = seen;
        continue;
      }
      try {
        items[k] = JSON.parse(bytes.toString('utf8', start, end));
      } catch {
        return null;
      }
    }
    parent[keys[keys.length - 1] as string] = items;
    const knownBy = this.previousValidator;
    return {
      body,
      isKnown: (position, validate) => validate === knownBy && entries[position] !== undefined,
      remember: (positions, validate) => {
        if (!isItemwise(validate, keys)) return;
        if (this.nextValidator !== validate) {
          this.next = new Map();
          this.nextValidator = validate;
        }
        for (const position of positions) {
          const start = starts[position] as number;
          const end = ends[position] as number;
          // Kept in the current body only: an old body is freed once nothing points into it.
          const entry = entries[position];
          if (entry) {
            entry.bytes = bytes;
            entry.start = start;
            entry.end = end;
            this.next.set(hashes[position] as number, entry);
          } else {
            const item = items[position];
            this.next.set(hashes[position] as number, { bytes, start, end, item });
          }
        }
      },
    };
  }
}

/** What one feed's reads remember between ticks: one ListMemo per list it reads. */
export class ReadMemo {
  private readonly lists = new Map<string, ListMemo>();

  list(name: string): ListMemo {
    let memo = this.lists.get(name);
    if (!memo) {
      memo = new ListMemo();
      this.lists.set(name, memo);
    }
    return memo;
  }

  begin(): void {
    for (const memo of this.lists.values()) memo.begin();
  }
}
