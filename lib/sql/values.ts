/** `'A', 'B', 'C'`: constant text values quoted for a CHECK list in a migration. */
export function quotedList(values: readonly string[]): string {
  return values.map((value) => `'${value.replace(/'/g, "''")}'`).join(', ');
}
