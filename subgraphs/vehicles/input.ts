import { assertNever, badUserInput } from '../../lib/errors';
import type { BBox } from '../../lib/geo/geometry';
import { isUuid, parseId } from '../../lib/ids';
import { decodeCursor } from '../../lib/pagination';
import type {
  BoundingBoxInput,
  FeedAuthInput,
  VehicleFilter,
} from './__generated__/resolvers-types';
import type { FleetFilter, FormFactor } from './repository';

/** Checks of arguments: anything wrong is a BAD_USER_INPUT naming the argument. */

const MAX_LIST = 500;
const MUNICIPALITY_CODE = /^GM\d{4}$/;
const OPERATOR_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** availableVehicles answers for a neighbourhood-to-city-sized box, not a country. */
export const MAX_OPEN_DATA_BBOX_DEGREES = 0.5;

function checkLength(argumentName: string, values: readonly unknown[]): void {
  if (values.length === 0) throw badUserInput(argumentName, 'must not be empty');
  if (values.length > MAX_LIST) {
    throw badUserInput(argumentName, `at most ${MAX_LIST} values, got ${values.length}`);
  }
}

export function parseMunicipalityCode(argumentName: string, code: string): string {
  if (!MUNICIPALITY_CODE.test(code)) {
    throw badUserInput(argumentName, `"${code}" is not a CBS municipality code like GM0363`);
  }
  return code;
}

export function parseMunicipalityCodes(argumentName: string, codes: readonly string[]): string[] {
  checkLength(argumentName, codes);
  return [...new Set(codes.map((code) => parseMunicipalityCode(argumentName, code)))];
}

export function parseOperatorId(argumentName: string, id: string): string {
  if (!OPERATOR_ID.test(id)) {
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

function checkCoordinate(argumentName: string, value: number, limit: number): void {
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

export function parseFleetFilter(
  argumentName: string,
  filter: VehicleFilter | null | undefined,
): FleetFilter {
  if (!filter) return {};
  return {
    municipalityCodes: filter.municipalityCodes
      ? parseMunicipalityCodes(`${argumentName}.municipalityCodes`, filter.municipalityCodes)
      : undefined,
    zoneIds: filter.zoneIds ? parseZoneIds(`${argumentName}.zoneIds`, filter.zoneIds) : undefined,
    bbox: filter.bbox ? parseBbox(`${argumentName}.bbox`, filter.bbox) : undefined,
    operatorIds: filter.operatorIds
      ? parseOperatorIds(`${argumentName}.operatorIds`, filter.operatorIds)
      : undefined,
    formFactors: filter.formFactors
      ? parseFormFactors(`${argumentName}.formFactors`, filter.formFactors)
      : undefined,
  };
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

/** A page cursor of vehiclesNow: (feed uuid, vehicle id). */
export function parseVehicleCursor(after: string | null | undefined): [string, string] | undefined {
  if (after === null || after === undefined) return undefined;
  const [feedId, vehicleId] = decodeCursor(after, 2);
  if (typeof feedId !== 'string' || !isUuid(feedId) || typeof vehicleId !== 'string') {
    throw badUserInput('after', 'is not a cursor returned by this API');
  }
  return [feedId, vehicleId];
}

const MAX_URL_LENGTH = 2048;
const MAX_TEXT_LENGTH = 200;
const MAX_SECRET_LENGTH = 4096;
/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

export function parseText(argumentName: string, text: string, maxLength = MAX_TEXT_LENGTH): string {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > maxLength) {
    throw badUserInput(argumentName, `must be 1 to ${maxLength} characters`);
  }
  return trimmed;
}

/** An absolute http(s) URL with no credentials in it (those belong in the feed's auth). */
export function parseHttpUrl(argumentName: string, url: string): string {
  const trimmed = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw badUserInput(argumentName, `"${trimmed}" is not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw badUserInput(
      argumentName,
      `must be http or https, got ${parsed.protocol.replace(':', '')}`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw badUserInput(argumentName, 'must not contain credentials: give them as auth');
  }
  if (trimmed.length > MAX_URL_LENGTH) {
    throw badUserInput(argumentName, `at most ${MAX_URL_LENGTH} characters`);
  }
  return trimmed;
}

function secret(argumentName: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') {
    throw badUserInput(argumentName, 'is required for this auth type');
  }
  if (value.length > MAX_SECRET_LENGTH || /[\r\n]/.test(value)) {
    throw badUserInput(argumentName, `must be one line of at most ${MAX_SECRET_LENGTH} characters`);
  }
  return value;
}

/**
 * The credentials as the importer reads them (importer/feeds/types.ts FeedAuth). A field the type
 * doesn't use is refused rather than silently dropped.
 */
export function parseFeedAuth(argumentName: string, auth: FeedAuthInput): Record<string, string> {
  const used: Record<FeedAuthInput['type'], (keyof FeedAuthInput)[]> = {
    NONE: [],
    HEADER: ['header', 'value'],
    OAUTH2_CLIENT_CREDENTIALS: ['tokenUrl', 'clientId', 'clientSecret', 'scope'],
  };
  const fields = ['header', 'value', 'tokenUrl', 'clientId', 'clientSecret', 'scope'] as const;
  const unused = fields.find(
    (field) =>
      auth[field] !== null && auth[field] !== undefined && !used[auth.type].includes(field),
  );
  if (unused)
    throw badUserInput(`${argumentName}.${unused}`, `is not used by auth type ${auth.type}`);
  switch (auth.type) {
    case 'NONE':
      return { type: 'NONE' };
    case 'HEADER': {
      const header = auth.header ?? '';
      if (!HEADER_NAME.test(header)) {
        throw badUserInput(
          `${argumentName}.header`,
          'must be an HTTP header name, e.g. Authorization',
        );
      }
      return { type: 'HEADER', header, value: secret(`${argumentName}.value`, auth.value) };
    }
    case 'OAUTH2_CLIENT_CREDENTIALS':
      return {
        type: 'OAUTH2_CLIENT_CREDENTIALS',
        tokenUrl: parseHttpUrl(`${argumentName}.tokenUrl`, auth.tokenUrl ?? ''),
        clientId: secret(`${argumentName}.clientId`, auth.clientId),
        clientSecret: secret(`${argumentName}.clientSecret`, auth.clientSecret),
        ...(auth.scope ? { scope: parseText(`${argumentName}.scope`, auth.scope, 1000) } : {}),
      };
    default:
      return assertNever(auth.type);
  }
}
