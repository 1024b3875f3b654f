import type { ValidateFunction } from 'ajv';
import { childPath, pointerToPath } from './jsonPath';
import type { ListedBody } from './listMemo';
import { FeedProblem } from './problem';
import type { QuarantinedRecord } from './types';
import { schemaError, schemaProblem, type SchemaProblem } from './validate';

export interface ScreenedList<T> {
  /** The document with the bad elements taken out of its list (the original when none were). */
  body: unknown;
  /** The good elements, in order, with their index in the original list. */
  kept: { item: T; position: number }[];
  quarantined: QuarantinedRecord[];
}

export interface ScreenOptions {
  url: string;
  body: unknown;
  /** Where the list is, e.g. ['data', 'bikes']. */
  listKeys: string[];
  /** The element's id key (`bike_id`): later elements repeating an id are quarantined. */
  idKey: string;
  /** A cheap test that `check` would pass (so paths are built only for the others). */
  isFine: (item: unknown) => boolean;
  /** Throws a FeedProblem for a bad element (a null or 0,0 position). */
  check: (item: unknown, path: string) => void;
  validate: ValidateFunction;
  schemaName: string;
  /** What an element is, in messages: `vehicle` (default), `station`. */
  itemName?: string;
  /** Schema problems in elements found one at a time; past this many, the document fails. */
  maxRounds?: number;
  /** `body` as read with a ListMemo: its known elements are not checked again (see ListMemo). */
  listed?: ListedBody;
}

const DEFAULT_MAX_ROUNDS = 200;

function listAt(body: unknown, keys: readonly string[]): unknown {
  let node = body;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function withList(body: unknown, keys: readonly string[], list: unknown[]): unknown {
  const [key, ...rest] = keys;
  if (key === undefined) return list;
  const node = body as Record<string, unknown>;
  return { ...node, [key]: withList(node[key], rest, list) };
}

/**
 * The most specific schema problem of `body` with `list` (its list at `keys`, or what is left of
 * it) as its list. Elements `known` to pass are left out of what is validated; a problem's
 * pointer still names its element's index in `list`.
 */
export function listProblem(
  validate: ValidateFunction,
  body: unknown,
  keys: readonly string[],
  list: readonly unknown[],
  known: (index: number) => boolean = () => false,
): SchemaProblem | null {
  const pending: number[] = [];
  for (let index = 0; index < list.length; index++) if (!known(index)) pending.push(index);
  const all = pending.length === list.length;
  const original = listAt(body, keys);
  const untouched = all && (Array.isArray(original) ? original.length : 0) === list.length;
  const current = untouched
    ? body
    : withList(
        body,
        keys,
        pending.map((index) => list[index]),
      );
  const problem = schemaProblem(validate, current);
  if (!problem || all) return problem;
  const prefix = `/${keys.join('/')}/`;
  const inList = problem.pointer.startsWith(prefix)
    ? /^(\d+)(\/.*)?$/.exec(problem.pointer.slice(prefix.length))
    : null;
  const index = inList ? pending[Number(inList[1])] : undefined;
  if (!inList || index === undefined) return problem;
  return { ...problem, pointer: `${prefix}${index}${inList[2] ?? ''}` };
}

/**
 * Validates a document whose list of vehicles may hold a few bad elements: a bad position, a
 * repeated id or an element the schema refuses is taken out and quarantined with its reason (the
 * path names its index in the original list), and the rest is validated again. A problem outside
 * the list (the envelope) fails the whole document, as before.
 */
export function screenList<T>(options: ScreenOptions): ScreenedList<T> {
  const { url, body, listKeys, idKey, validate, schemaName, listed } = options;
  const isKnown = (position: number) => listed?.isKnown(position, validate) ?? false;
  const raw = listAt(body, listKeys);
  if (!Array.isArray(raw)) {
    const problem = schemaProblem(validate, body);
    if (problem) throw schemaError(problem, url, schemaName);
    return { body, kept: [], quarantined: [] };
  }
  const listPath = listKeys.reduce<string>((path, key) => childPath(path, key), '');
  const quarantined: QuarantinedRecord[] = [];
  const idOf = (item: unknown): string | null => {
    const id = (item as Record<string, unknown> | null)?.[idKey];
    return typeof id === 'string' ? id : null;
  };
  const quarantine = (position: number, path: string, reason: string) => {
    const item: unknown = raw[position];
    quarantined.push({ position, vehicleId: idOf(item), path, reason, record: item });
  };

  let kept: { item: unknown; position: number }[] = [];
  for (let position = 0; position < raw.length; position++) {
    const item: unknown = raw[position];
    if (!isKnown(position) && !options.isFine(item)) {
      const path = childPath(listPath, position);
      try {
        options.check(item, path);
      } catch (err) {
        if (!(err instanceof FeedProblem)) throw err;
        quarantine(position, err.error.path ?? path, err.error.message);
        continue;
      }
    }
    kept.push({ item, position });
  }

  const pointerPrefix = `/${listKeys.join('/')}/`;
  const maxRounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
  for (let round = 0; ; round++) {
    const problem = listProblem(
      validate,
      body,
      listKeys,
      kept.map((k) => k.item),
      (index) => isKnown((kept[index] as { position: number }).position),
    );
    if (!problem) break;
    const inList = problem.pointer.startsWith(pointerPrefix)
      ? /^(\d+)(\/.*)?$/.exec(problem.pointer.slice(pointerPrefix.length))
      : null;
    const at = inList ? Number(inList[1]) : -1;
    const entry = kept[at];
    if (!inList || !entry || round >= maxRounds) throw schemaError(problem, url, schemaName);
    const path = pointerToPath(`${pointerPrefix}${entry.position}${inList[2] ?? ''}`);
    quarantine(entry.position, path, `${path}: ${problem.message} (${schemaName} schema)`);
    kept = kept.filter((_, i) => i !== at);
  }
  listed?.remember(
    kept.map((k) => k.position),
    validate,
  );

  const firstAt = new Map<string, number>();
  const unique: { item: unknown; position: number }[] = [];
  for (const entry of kept) {
    const id = idOf(entry.item);
    const first = id === null ? undefined : firstAt.get(id);
    if (id !== null && first !== undefined) {
      const path = childPath(childPath(listPath, entry.position), idKey);
      const firstPath = childPath(childPath(listPath, first), idKey);
      quarantine(
        entry.position,
        path,
        `${path}: duplicate ${options.itemName ?? 'vehicle'} id "${id}" (also at ${firstPath})`,
      );
      continue;
    }
    if (id !== null) firstAt.set(id, entry.position);
    unique.push(entry);
  }
  quarantined.sort((a, b) => a.position - b.position);
  return {
    body:
      unique.length === raw.length
        ? body
        : withList(
            body,
            listKeys,
            unique.map((k) => k.item),
          ),
    kept: unique as { item: T; position: number }[],
    quarantined,
  };
}
