import { OPERATOR_ID_PATTERN } from '../domain/fleet';
import type { FormFactor } from '../domain/formFactors';
import { isMunicipalityCode, MUNICIPALITY_CODE_EXAMPLE } from '../domain/municipalities';
import { badUserInput } from '../errors';
import type { BBox } from '../geo/geometry';
import { isUuid, parseId } from '../ids';
import { decodeCursor } from '../pagination';

/**
 * Checks of arguments that several subgraphs take alike: anything wrong is a BAD_USER_INPUT naming
 * the argument. Every parser takes the argument's name first, then the value.
 */

const MAX_LIST = 500;

/** A GraphQL BoundingBoxInput (every subgraph that filters by area declares the same input). */
export interface BoundingBoxInput {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

function checkLength(argumentName: string, values: readonly unknown[]): void {
  if (values.length === 0) throw badUserInput(argumentName, 'must not be empty');
  if (values.length > MAX_LIST) {
    throw badUserInput(argumentName, `at most ${MAX_LIST} values, got ${values.length}`);
  }
}

export function parseMunicipalityCode(argumentName: string, code: string): string {
  if (!isMunicipalityCode(code)) {
    throw badUserInput(argumentName, `"${code}" is not ${MUNICIPALITY_CODE_EXAMPLE}`);
  }
  return code;
}

export function parseMunicipalityCodes(argumentName: string, codes: readonly string[]): string[] {
  checkLength(argumentName, codes);
  return [...new Set(codes.map((code) => parseMunicipalityCode(argumentName, code)))];
}

export function parseOperatorId(argumentName: string, id: string): string {
  if (!OPERATOR_ID_PATTERN.test(id)) {
    throw badUserInput(
      argumentName,
      `"${id}" is not an operator id (lowercase letters, digits, - and _)`,
    );
  }
  return id;
}

export function parseOperatorIds(argumentName: string, ids: readonly string[]): string[] {
  checkLength(argumentName, ids);
  return [...new Set(ids.map((id) => parseOperatorId(argumentName, id)))];
}

export function parseZoneIds(argumentName: string, ids: readonly string[]): string[] {
  checkLength(argumentName, ids);
  return [...new Set(ids.map((id) => parseId(id, argumentName, 'zone')))];
}

export function parseFormFactors(
  argumentName: string,
  formFactors: readonly FormFactor[],
): FormFactor[] {
  checkLength(argumentName, formFactors);
  return [...new Set(formFactors)];
}

export function checkCoordinate(argumentName: string, value: number, limit: number): void {
  if (!Number.isFinite(value) || value < -limit || value > limit) {
    throw badUserInput(argumentName, `must be between -${limit} and ${limit}, got ${value}`);
  }
}

export function parseBbox(argumentName: string, input: BoundingBoxInput): BBox {
  checkCoordinate(`${argumentName}.minLng`, input.minLng, 180);
  checkCoordinate(`${argumentName}.maxLng`, input.maxLng, 180);
  checkCoordinate(`${argumentName}.minLat`, input.minLat, 90);
  checkCoordinate(`${argumentName}.maxLat`, input.maxLat, 90);
  if (input.minLng > input.maxLng)
    throw badUserInput(argumentName, 'minLng is greater than maxLng');
  if (input.minLat > input.maxLat)
    throw badUserInput(argumentName, 'minLat is greater than maxLat');
  return [input.minLng, input.minLat, input.maxLng, input.maxLat];
}

/** A timestamptz as PostgreSQL prints it (DateStyle ISO): `2026-11-22 07:06:00.123456+00`. */
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

/**
 * A page cursor of (time as PostgreSQL prints it, row key), the key checked by `isKey` (a uuid by
 * default): anything else is BAD_USER_INPUT, never a database error.
 */
export function parseTimeKeyCursor(
  after: string | null | undefined,
  isKey: (key: string) => boolean = isUuid,
): [string, string] | undefined {
  if (after === null || after === undefined) return undefined;
  const [time, key] = decodeCursor(after, 2);
  if (
    typeof time !== 'string' ||
    !PG_TIMESTAMP.test(time) ||
    typeof key !== 'string' ||
    !isKey(key)
  ) {
    throw badUserInput('after', 'is not a cursor returned by this API');
  }
  return [time, key];
}
