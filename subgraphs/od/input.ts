import { getResolution, isValidCell } from 'h3-js';
import { OD_BLOCKS, OUTSIDE, WEEKDAYS, dayMs, type OdLevel } from '../../lib/domain/od';
import { badUserInput } from '../../lib/errors';
import { isUuid } from '../../lib/ids';
import type { OdFilter } from './__generated__/resolvers-types';

/** A year and a day: "the whole of last year" from any first day. */
export const MAX_RANGE_DAYS = 366;
export const TOP_LIMITS = { defaultSize: 100, maxSize: 1000 };
const DAY_MS = 24 * 60 * 60 * 1000;

function parseDate(argumentName: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(dayMs(value))) {
    throw badUserInput(argumentName, `"${value}" is not a date like 2026-03-01`);
  }
  if (new Date(dayMs(value)).toISOString().slice(0, 10) !== value) {
    throw badUserInput(argumentName, `"${value}" is not a day of the calendar`);
  }
  return value;
}

function nonEmpty<T>(
  argumentName: string,
  values: readonly T[] | null | undefined,
): T[] | undefined {
  if (values === null || values === undefined) return undefined;
  if (values.length === 0)
    throw badUserInput(argumentName, 'must not be empty (leave it out for all)');
  return [...new Set(values)];
}

export function parseOdFilter(argumentName: string, filter: OdFilter) {
  const from = parseDate(`${argumentName}.from`, filter.from);
  const to = parseDate(`${argumentName}.to`, filter.to);
  if (dayMs(to) < dayMs(from)) {
    throw badUserInput(`${argumentName}.to`, `${to} is before from (${from})`);
  }
  if ((dayMs(to) - dayMs(from)) / DAY_MS + 1 > MAX_RANGE_DAYS) {
    throw badUserInput(`${argumentName}.to`, `the range is at most ${MAX_RANGE_DAYS} days`);
  }
  const operators = nonEmpty(`${argumentName}.operators`, filter.operators);
  operators?.forEach((id, i) => {
    if (!/^[a-z0-9_-]+$/.test(id)) {
      throw badUserInput(`${argumentName}.operators[${i}]`, `"${id}" is not an operator id`);
    }
  });
  return {
    from,
    to,
    weekdays: nonEmpty(`${argumentName}.weekdays`, filter.weekdays)?.map(
      (d) => WEEKDAYS.indexOf(d) + 1,
    ),
    blocks: nonEmpty(`${argumentName}.blocks`, filter.blocks)?.map((b) => OD_BLOCKS.indexOf(b)),
    formFactors: nonEmpty(`${argumentName}.formFactors`, filter.formFactors),
    operators,
  };
}

export function parseTop(
  argumentName: string,
  top: number | null | undefined,
  defaultSize: number,
) {
  if (top === null || top === undefined) return defaultSize;
  if (top < 1 || top > TOP_LIMITS.maxSize) {
    throw badUserInput(argumentName, `must be between 1 and ${TOP_LIMITS.maxSize}, got ${top}`);
  }
  return top;
}

/**
 * Origins or destinations of a level, checked for their form: H3 cells of the level's resolution,
 * zone ids (UUIDs; the resolver then checks that they are zones of the level the caller may see),
 * or OUTSIDE for zone levels.
 */
export function parsePlaces(
  argumentName: string,
  level: OdLevel,
  ids: readonly string[] | null | undefined,
): string[] | undefined {
  const places = nonEmpty(argumentName, ids);
  places?.forEach((id, i) => {
    const where = `${argumentName}[${i}]`;
    if (level === 'H3_7' || level === 'H3_8') {
      const resolution = level === 'H3_7' ? 7 : 8;
      if (!isValidCell(id) || getResolution(id) !== resolution) {
        throw badUserInput(where, `"${id}" is not an H3 cell of resolution ${resolution}`);
      }
    } else if (id !== OUTSIDE && !isUuid(id)) {
      throw badUserInput(where, `"${id}" is not a zone id (a UUID) or ${OUTSIDE}`);
    }
  });
  return places?.map((id) => (isUuid(id) ? id.toLowerCase() : id));
}

export type ParsedOdFilter = ReturnType<typeof parseOdFilter>;
