import { badUserInput } from '../../lib/errors';
import { parseMunicipalityCode, parseOperatorId } from '../../lib/graphql/input';
import type { ScheduleChange } from '../../lib/domain/jobSchedules';
import type { DashboardInput, JobScheduleInput } from './__generated__/resolvers-types';
import type { DashboardWidgetRow } from './repository';

/** Checks of this subgraph's arguments: anything wrong is a BAD_USER_INPUT naming the argument. */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 200;
export const MAX_WIDGETS = 100;

export function parseName(argumentName: string, name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > MAX_NAME) {
    throw badUserInput(argumentName, `must be 1 to ${MAX_NAME} characters`);
  }
  return trimmed;
}

export function parseEmail(argumentName: string, email: string): string {
  const trimmed = email.trim();
  if (!EMAIL.test(trimmed)) throw badUserInput(argumentName, `"${email}" is not an email address`);
  return trimmed;
}

/**
 * What an organisation owns: an empty list is allowed (an organisation that owns nothing yet),
 * repeats are dropped and the order is fixed so the stored row compares equal after a rewrite.
 */
function parseOwned(
  argumentName: string,
  values: readonly string[] | null | undefined,
  parseOne: (argumentName: string, value: string) => string,
): string[] | undefined {
  if (!values) return undefined;
  return [...new Set(values.map((value) => parseOne(argumentName, value)))].sort();
}

export const parseOwnedMunicipalities = (
  argumentName: string,
  codes: readonly string[] | null | undefined,
) => parseOwned(argumentName, codes, parseMunicipalityCode);

export const parseOwnedOperators = (
  argumentName: string,
  ids: readonly string[] | null | undefined,
) => parseOwned(argumentName, ids, parseOperatorId);

export function parseApiKeyExpiry(
  argumentName: string,
  expiresAt: Date | null | undefined,
): Date | null {
  if (!expiresAt) return null;
  if (expiresAt <= new Date()) throw badUserInput(argumentName, 'must be in the future');
  return expiresAt;
}

export function parseDashboard(
  argumentName: string,
  input: DashboardInput,
): { name: string; widgets: DashboardWidgetRow[] } {
  const name = parseName(`${argumentName}.name`, input.name);
  if (input.widgets.length > MAX_WIDGETS) {
    throw badUserInput(`${argumentName}.widgets`, `at most ${MAX_WIDGETS} widgets`);
  }
  const widgets = input.widgets.map((w, i) => {
    if (w.width < 1 || w.height < 1 || w.x < 0 || w.y < 0) {
      throw badUserInput(`${argumentName}.widgets[${i}]`, 'position must be >= 0 and size >= 1');
    }
    return { ...w, variables: w.variables ?? {} };
  });
  return { name, widgets };
}

/** A schedule is either an interval or a cron expression (with the time zone it is read in). */
export function parseScheduleInput(argumentName: string, input: JobScheduleInput): ScheduleChange {
  const given = [input.intervalMs, input.cron].filter((v) => v !== null && v !== undefined);
  if (given.length !== 1 && !(given.length === 0 && input.timeZone)) {
    throw badUserInput(argumentName, 'give either intervalMs or cron (with an optional timeZone)');
  }
  if (input.intervalMs !== null && input.intervalMs !== undefined && input.timeZone) {
    throw badUserInput(`${argumentName}.timeZone`, 'applies to a cron expression only');
  }
  return {
    intervalMs: input.intervalMs ?? undefined,
    cron: input.cron ?? undefined,
    timeZone: input.timeZone ?? undefined,
  };
}
