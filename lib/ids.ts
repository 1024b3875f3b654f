import { badUserInput } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Entity ids are UUIDs; anything else is a BAD_USER_INPUT naming the argument. */
export function parseId(value: string, argumentName: string, entity: string): string {
  if (!isUuid(value))
    throw badUserInput(argumentName, `"${value}" is not a valid ${entity} id (a UUID)`);
  return value.toLowerCase();
}
