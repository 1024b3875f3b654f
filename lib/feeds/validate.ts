import type { ErrorObject, ValidateFunction } from 'ajv';
import { childPath, pointerToPath, valueAt } from './jsonPath';
import { feedProblem } from './problem';

function errorPath(error: ErrorObject): string {
  const path = pointerToPath(error.instancePath);
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  return error.keyword === 'required' && typeof missing === 'string'
    ? childPath(path, missing)
    : path;
}

function depth(path: string): number {
  return (path.match(/[.[]/g)?.length ?? 0) + (path === '' ? 0 : 1);
}

/**
 * Of the errors Ajv collected (with `oneOf`/`anyOf` every branch adds its own), the one deepest in
 * the document says best what is wrong: "event_types[0] is not allowed" rather than "must match
 * exactly one schema in oneOf".
 */
function mostSpecific(errors: ErrorObject[]): ErrorObject | undefined {
  let best: ErrorObject | undefined;
  let bestDepth = -1;
  for (const error of errors) {
    const d = depth(errorPath(error));
    if (d > bestDepth) {
      best = error;
      bestDepth = d;
    }
  }
  return best;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describe(error: ErrorObject, document: unknown): string {
  const params = error.params as { allowedValues?: unknown[]; allowedValue?: unknown };
  let message = error.message ?? error.keyword;
  if (error.keyword === 'required') return 'is required';
  if (Array.isArray(params.allowedValues)) message += ` (${params.allowedValues.join(', ')})`;
  else if (error.keyword === 'const') message += ` ${shown(params.allowedValue)}`;
  const value = valueAt(document, error.instancePath);
  if (value === null || typeof value !== 'object') message += `, got ${shown(value)}`;
  return message;
}

/**
 * Validates a parsed document; the first problem becomes a SCHEMA error naming the path, what
 * was expected and the value found, e.g. `data.bikes[3].is_reserved: must be boolean, got "no"
 * (GBFS 2.3 free_bike_status schema)`.
 */
export function validateDocument(
  validate: ValidateFunction,
  document: unknown,
  url: string,
  schemaName: string,
): void {
  const problem = schemaProblem(validate, document);
  if (!problem) return;
  throw schemaError(problem, url, schemaName);
}

export interface SchemaProblem {
  /** The JSON pointer of the offending value ('' for the document). */
  pointer: string;
  /** What is wrong there, e.g. `must be boolean, got "no"`. */
  message: string;
}

/** The most specific problem of `document` against `validate`, or null when it is valid. */
export function schemaProblem(validate: ValidateFunction, document: unknown): SchemaProblem | null {
  if (validate(document)) return null;
  const error = mostSpecific(validate.errors ?? []);
  if (!error) return { pointer: '', message: 'does not match' };
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  const pointer =
    error.keyword === 'required' && typeof missing === 'string'
      ? `${error.instancePath}/${missing}`
      : error.instancePath;
  return { pointer, message: describe(error, document) };
}

export function schemaError(problem: SchemaProblem, url: string, schemaName: string) {
  const path = pointerToPath(problem.pointer);
  const where = path === '' ? 'the document' : path;
  return feedProblem(
    'SCHEMA',
    url,
    `${where}: ${problem.message} (${schemaName} schema)`,
    path === '' ? null : path,
  );
}

type SchemaNode = Record<string, unknown>;
const isNode = (value: unknown): value is SchemaNode =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keywords that say nothing about a member's value (or only whether a key may be present). */
const NEUTRAL = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'examples',
  'errorMessage',
  'x-stoplight',
  'type',
  'required',
]);

/**
 * True when `schema` judges the list at `keys` record by record: every schema applying on the way
 * reaches it through `properties`, `allOf` and `$ref` only, and the list's own schema is
 * `{ type: 'array', items: S }`. Then a document is valid exactly when it is with its list
 * emptied and every record is valid against `S`. Anything else (conditions, `anyOf`, array-wide
 * keywords such as `minItems` or `uniqueItems`) answers false.
 */
export function listIsItemwise(
  schema: unknown,
  keys: readonly string[],
  resolve: (ref: string, base: string) => { schema: unknown; base: string } | undefined,
  base = '',
): boolean {
  if (!isNode(schema)) return false;
  const [key, ...rest] = keys;
  if (key === undefined) {
    return (
      schema.type === 'array' &&
      isNode(schema.items) &&
      Object.keys(schema).every((k) => k === 'items' || NEUTRAL.has(k))
    );
  }
  return Object.entries(schema).every(([keyword, value]) => {
    if (NEUTRAL.has(keyword)) return true;
    switch (keyword) {
      case 'properties':
        return (
          isNode(value) && (!(key in value) || listIsItemwise(value[key], rest, resolve, base))
        );
      case 'additionalProperties':
        return typeof value === 'boolean';
      case 'allOf':
        return (
          Array.isArray(value) && value.every((sub) => listIsItemwise(sub, keys, resolve, base))
        );
      case '$ref': {
        const target = typeof value === 'string' ? resolve(value, base) : undefined;
        return target !== undefined && listIsItemwise(target.schema, keys, resolve, target.base);
      }
      default:
        return false;
    }
  });
}

const itemwise = new WeakMap<ValidateFunction, Set<string>>();

/** Records that `validate` (compiled from `schema`) judges its list at `keys` record by record. */
export function declareItemwise(
  validate: ValidateFunction,
  schema: unknown,
  keys: readonly string[],
  resolve: (ref: string, base: string) => { schema: unknown; base: string } | undefined,
  base = '',
): void {
  if (!listIsItemwise(schema, keys, resolve, base)) return;
  const lists = itemwise.get(validate) ?? new Set<string>();
  lists.add(keys.join('/'));
  itemwise.set(validate, lists);
}

export function isItemwise(validate: ValidateFunction, keys: readonly string[]): boolean {
  return itemwise.get(validate)?.has(keys.join('/')) ?? false;
}
