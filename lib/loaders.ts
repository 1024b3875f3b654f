import DataLoader from 'dataloader';
import { isUuid } from './ids';

/**
 * A per-request loader by UUID: one query per batch, results in key order, null for ids that are
 * malformed, unknown, or outside the caller's scope.
 */
export function createByIdLoader<T extends { id: string }>(
  fetch: (ids: string[]) => Promise<T[]>,
): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const valid = ids.filter(isUuid);
    const rows = valid.length > 0 ? await fetch(valid) : [];
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}
