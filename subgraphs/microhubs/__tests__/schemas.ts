import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { GBFS_SCHEMA_DIR } from '../../../lib/feeds/gbfsSchemas';
import { adaptSchema, MDS_SCHEMA_DIR } from '../../../lib/feeds/mdsSchemas';

/**
 * Validators for what the hub feeds publish, compiled from the official schemas the repository
 * keeps under data/schemas (GBFS 3.0 JSON schemas, the MDS 2.0 OpenAPI models), set up as the
 * importer's validators (lib/feeds/gbfsSchemas.ts, mdsSchemas.ts) set up theirs.
 */
export function gbfs30Validator(file: 'station_information' | 'station_status'): ValidateFunction {
  const ajv = new Ajv({ strictTypes: false, strictTuples: false, allErrors: true });
  addFormats(ajv);
  ajv.addKeyword('errorMessage');
  const schema = JSON.parse(
    readFileSync(join(GBFS_SCHEMA_DIR, 'v3.0', `${file}.json`), 'utf8'),
  ) as object;
  return ajv.compile(schema);
}

type Json = Parameters<typeof adaptSchema>[0];
const BASE_URI = 'https://mds.schemas.invalid/';

function readYaml(file: string): Json {
  return parseYaml(readFileSync(join(MDS_SCHEMA_DIR, file), 'utf8')) as Json;
}

function relativeRefs(node: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => relativeRefs(item, found));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
        found.add(value.split('#')[0] ?? value);
      } else relativeRefs(value, found);
    }
  }
  return found;
}

/** The 200 response of an MDS 2.0 Provider API path, e.g. `/stops` or `/stops/{stop_id}`. */
export function mdsResponseValidator(path: string): ValidateFunction {
  const ajv = new Ajv2020({ strictTypes: false, strictTuples: false, allErrors: true });
  addFormats(ajv);
  ajv.addKeyword('x-stoplight');
  const added = new Set<string>();
  const add = (file: string): void => {
    if (added.has(file)) return;
    added.add(file);
    const schema = adaptSchema(readYaml(file), 'micromobility') as object;
    for (const ref of relativeRefs(schema, new Set())) add(posix.join(dirname(file), ref));
    ajv.addSchema({ ...schema, $id: BASE_URI + file });
  };
  const reference = readYaml('reference/provider.yaml') as {
    paths: Record<
      string,
      { get: { responses: Record<string, { content: Record<string, { schema: Json }> }> } }
    >;
  };
  const operation = reference.paths[path];
  if (!operation) throw new Error(`MDS provider API has no ${path}`);
  const response = operation.get.responses['200']?.content['application/json']?.schema;
  if (!response) throw new Error(`MDS ${path}: no 200 response schema`);
  const schema = adaptSchema(response, 'micromobility') as object;
  for (const ref of relativeRefs(schema, new Set())) add(posix.join('reference', ref));
  return ajv.compile({ ...schema, $id: `${BASE_URI}reference/response.json` });
}

/** Ajv's errors as readable lines (empty when valid). */
export function problems(validate: ValidateFunction, document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}
