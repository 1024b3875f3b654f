import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { PROJECT_ROOT } from '../config';
import { declareItemwise } from './validate';

export type GbfsVersion = '2.3' | '3.0';
export type GbfsFile =
  | 'gbfs'
  | 'system_information'
  | 'vehicle_types'
  | 'free_bike_status'
  | 'vehicle_status'
  | 'station_information'
  | 'station_status';

/** The official GBFS JSON schemas (MobilityData/gbfs-json-schema), copied unchanged. */
export const GBFS_SCHEMA_DIR = join(PROJECT_ROOT, 'data', 'schemas', 'gbfs');

/** The vehicle lists read record by record (see ListMemo). */
export const STATUS_LISTS: Partial<Record<GbfsFile, readonly string[]>> = {
  free_bike_status: ['data', 'bikes'],
  vehicle_status: ['data', 'vehicles'],
};

const instances = new Map<GbfsVersion, Ajv>();
const validators = new Map<string, ValidateFunction>();

function ajvFor(version: GbfsVersion): Ajv {
  let ajv = instances.get(version);
  if (!ajv) {
    // The schemas are draft-07 and carry ajv-errors' `errorMessage`, which is only an annotation
    // here. strictTypes is off because they put `minimum` etc. next to `type` only sometimes.
    ajv = new Ajv({ strictTypes: false, strictTuples: false });
    addFormats(ajv);
    ajv.addKeyword('errorMessage');
    instances.set(version, ajv);
  }
  return ajv;
}

/** The compiled validator of one GBFS file; each schema is compiled once per process. */
export function gbfsValidator(version: GbfsVersion, file: GbfsFile): ValidateFunction {
  const key = `${version}/${file}`;
  let validate = validators.get(key);
  if (!validate) {
    const schema = JSON.parse(
      readFileSync(join(GBFS_SCHEMA_DIR, `v${version}`, `${file}.json`), 'utf8'),
    ) as object;
    validate = ajvFor(version).compile(schema);
    const list = STATUS_LISTS[file];
    if (list) declareItemwise(validate, schema, list, () => undefined);
    validators.set(key, validate);
  }
  return validate;
}
