import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { PROJECT_ROOT } from '../config';
import { declareItemwise } from './validate';

/**
 * MDS 2.0 (openmobilityfoundation/mds-openapi, branch v2.0): the models and the Provider API
 * reference are OpenAPI 3.1 YAML, whose schema objects are JSON Schema 2020-12. Each file is added
 * to Ajv under a URI that mirrors its path, so the relative `$ref`s resolve as they do on disk.
 */
export const MDS_SCHEMA_DIR = join(PROJECT_ROOT, 'data', 'schemas', 'mds');

/** A provider_id serves one mode (MDS Provider "Modes"); its data is validated against that mode. */
export type MdsMode = 'micromobility' | 'car-share';
export type MdsEndpoint = 'vehicles' | 'vehicles_status' | 'trips';

const ENDPOINT_PATHS: Record<MdsEndpoint, string> = {
  vehicles: '/vehicles',
  vehicles_status: '/vehicles/status',
  trips: '/trips',
};

const BASE_URI = 'https://mds.schemas.invalid/';
const REFERENCE_FILE = 'reference/provider.yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isModeChoice(list: Json[]): boolean {
  return (
    list.length > 1 &&
    list.every(
      (item) => isObject(item) && typeof item.$ref === 'string' && item.$ref.includes('/modes/'),
    )
  );
}

/**
 * Turns the published models into schemas Ajv can compile and that accept valid data:
 * - `oneOf` over the four modes' sub-schemas becomes a `$ref` to the feed's mode. Upstream, a plain
 *   micromobility vehicle matches several modes' sub-schemas at once, so `oneOf` rejects all of them.
 * - `contains: [a, b]` (a list of event types, which JSON Schema does not allow) becomes
 *   `contains: { enum: [a, b] }`, the evident intent.
 * - OpenAPI 3.0 `nullable: true`, should a model use it, becomes a `null` member of `type`.
 */
export function adaptSchema(node: Json, mode: MdsMode): Json {
  if (Array.isArray(node)) return node.map((item) => adaptSchema(item, mode));
  if (!isObject(node)) return node;
  const out: { [key: string]: Json } = {};
  let modeRef: Json = null;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'oneOf' && Array.isArray(value) && isModeChoice(value)) {
      const chosen = value.find(
        (item) =>
          isObject(item) && typeof item.$ref === 'string' && item.$ref.includes(`/modes/${mode}/`),
      );
      if (!chosen || !isObject(chosen)) throw new Error(`no ${mode} choice in a oneOf over modes`);
      modeRef = { $ref: chosen.$ref ?? null };
    } else if (key === 'contains' && Array.isArray(value)) {
      out.contains = { enum: value };
    } else if (key !== 'nullable') {
      out[key] = adaptSchema(value, mode);
    }
  }
  if (modeRef !== null) out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), modeRef];
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/**
 * Leaves out `format: uuid` next to the lowercase UUID `pattern` (models/data-types/uuid.yaml):
 * Ajv checks `pattern` first and any string matching it is a valid `uuid`, so the format check can
 * never fail, yet it ran a second regular expression on every id. What is accepted, and every
 * error message, stays the same.
 */
function withoutImpliedFormats(node: Json): Json {
  if (Array.isArray(node)) return node.map(withoutImpliedFormats);
  if (!isObject(node)) return node;
  const implied = node.format === 'uuid' && node.pattern === UUID_PATTERN;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (!(implied && key === 'format')) out[key] = withoutImpliedFormats(value);
  }
  return out;
}

function relativeRefs(node: Json, found: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => relativeRefs(item, found));
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
        found.add(value.split('#')[0] ?? value);
      } else relativeRefs(value, found);
    }
  }
  return found;
}

function readYaml(file: string): Json {
  return parseYaml(readFileSync(join(MDS_SCHEMA_DIR, file), 'utf8')) as Json;
}

function createAjv(mode: MdsMode): Ajv2020 {
  // strictTypes is off: the models put `maximum` next to a `$ref`ed `type`, which is valid.
  const ajv = new Ajv2020({ strictTypes: false, strictTuples: false });
  addFormats(ajv);
  ajv.addKeyword('x-stoplight');
  const added = new Set<string>();
  const add = (file: string): void => {
    if (added.has(file)) return;
    added.add(file);
    const schema = adaptSchema(readYaml(file), mode);
    if (!isObject(schema)) throw new Error(`${file} is not a schema object`);
    for (const ref of relativeRefs(schema, new Set())) add(posix.join(dirname(file), ref));
    ajv.addSchema({ ...(withoutImpliedFormats(schema) as object), $id: BASE_URI + file });
  };
  const reference = readYaml(REFERENCE_FILE);
  for (const [endpoint, path] of Object.entries(ENDPOINT_PATHS)) {
    const schema = adaptSchema(responseSchema(reference, path), mode);
    if (!isObject(schema)) throw new Error(`${REFERENCE_FILE} ${path}: no response schema`);
    for (const ref of relativeRefs(schema, new Set())) add(posix.join('reference', ref));
    ajv.addSchema({
      ...(withoutImpliedFormats(schema) as object),
      $id: `${BASE_URI}reference/${endpoint}.json`,
    });
  }
  return ajv;
}

/** `paths[path].get.responses['200'].content['application/json'].schema` of the Provider API. */
function responseSchema(reference: Json, path: string): Json {
  let node: Json = reference;
  for (const key of [
    'paths',
    path,
    'get',
    'responses',
    '200',
    'content',
    'application/json',
    'schema',
  ]) {
    if (!isObject(node) || !(key in node))
      throw new Error(`${REFERENCE_FILE}: no ${key} under ${path}`);
    node = node[key] ?? null;
  }
  return node;
}

const instances = new Map<MdsMode, Ajv2020>();
const validators = new Map<string, ValidateFunction>();

/** The compiled validator of one Provider API response for one mode; compiled once per process. */
export function mdsValidator(mode: MdsMode, endpoint: MdsEndpoint): ValidateFunction {
  const key = `${mode}:${endpoint}`;
  let validate = validators.get(key);
  if (!validate) {
    let ajv = instances.get(mode);
    if (!ajv) {
      ajv = createAjv(mode);
      instances.set(mode, ajv);
    }
    const uri = `${BASE_URI}reference/${endpoint}.json`;
    validate = ajv.getSchema(uri);
    if (!validate) throw new Error(`no MDS schema for ${endpoint}`);
    const schemas = ajv;
    declareItemwise(
      validate,
      validate.schema,
      [endpoint],
      (ref, base) => {
        const target = new URL(ref, base).toString();
        const schema = schemas.getSchema(target)?.schema;
        return schema === undefined ? undefined : { schema, base: target.split('#')[0] ?? target };
      },
      uri,
    );
    validators.set(key, validate);
  }
  return validate;
}
