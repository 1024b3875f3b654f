import { daysBetween, isDay } from '../../lib/domain/calendar';
import { badUserInput } from '../../lib/errors';
import {
  parseFormFactors,
  parseMunicipalityCodes,
  parseOperatorIds,
  parseZoneIds,
} from '../../lib/graphql/input';
import { HOUR } from '../../lib/units';
import type { RentalFilter, TripFilter } from './__generated__/resolvers-types';
import type { RentalQuery, TripQuery, TripStatus } from './repository';

/** Long enough for a month of a city, short enough to answer from a few partitions. */
export const MAX_RANGE_DAYS = 31;
const DEFAULT_STATUSES: TripStatus[] = ['COMPLETED', 'OPEN'];

function parseRange(argumentName: string, from: Date, to: Date): { from: Date; to: Date } {
  if (to <= from) throw badUserInput(`${argumentName}.to`, 'must be after from');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 24 * HOUR) {
    throw badUserInput(`${argumentName}.to`, `the range is at most ${MAX_RANGE_DAYS} days`);
  }
  return { from, to };
}

function common(argumentName: string, filter: TripFilter | RentalFilter) {
  return {
    ...parseRange(argumentName, filter.from, filter.to),
    zoneIds: filter.zoneIds ? parseZoneIds(`${argumentName}.zoneIds`, filter.zoneIds) : undefined,
    municipalityCodes: filter.municipalityCodes
      ? parseMunicipalityCodes(`${argumentName}.municipalityCodes`, filter.municipalityCodes)
      : undefined,
    operatorIds: filter.operatorIds
      ? parseOperatorIds(`${argumentName}.operatorIds`, filter.operatorIds)
      : undefined,
    formFactors: filter.formFactors
      ? parseFormFactors(`${argumentName}.formFactors`, filter.formFactors)
      : undefined,
  };
}

export function parseTripFilter(argumentName: string, filter: TripFilter): TripQuery {
  if (filter.statuses && filter.statuses.length === 0) {
    throw badUserInput(`${argumentName}.statuses`, 'must not be empty');
  }
  return {
    ...common(argumentName, filter),
    zoneMatch: filter.zoneMatch ?? 'START_OR_END',
    statuses: filter.statuses ? [...new Set(filter.statuses)] : DEFAULT_STATUSES,
  };
}

export function parseRentalFilter(argumentName: string, filter: RentalFilter): RentalQuery {
  return common(argumentName, filter);
}

/** An IANA time zone name both Node and PostgreSQL know, e.g. Europe/Amsterdam. */
export function parseTimeZone(argumentName: string, timeZone: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(timeZone)) {
    throw badUserInput(
      argumentName,
      `"${timeZone}" is not an IANA time zone like Europe/Amsterdam`,
    );
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw badUserInput(
      argumentName,
      `"${timeZone}" is not an IANA time zone like Europe/Amsterdam`,
    );
  }
  return timeZone;
}

/** The longest `dailyIndicators` range, in days. */
export const MAX_DAILY_INDICATOR_DAYS = 366;

/** `from` / `to` of dailyIndicators: calendar days, both included, at most a year apart. */
export function parseDayRange(from: string, to: string): { from: string; to: string } {
  if (!isDay(from)) throw badUserInput('from', `"${from}" is not a date (YYYY-MM-DD)`);
  if (!isDay(to)) throw badUserInput('to', `"${to}" is not a date (YYYY-MM-DD)`);
  if (to < from) throw badUserInput('to', `${to} is before from (${from})`);
  const days = daysBetween(from, to).length;
  if (days > MAX_DAILY_INDICATOR_DAYS) {
    throw badUserInput('to', `the range is at most ${MAX_DAILY_INDICATOR_DAYS} days, got ${days}`);
  }
  return { from, to };
}
