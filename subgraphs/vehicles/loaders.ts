import DataLoader from 'dataloader';
import { isUuid } from '../../lib/ids';
import { createByIdLoader } from '../../lib/loaders';
import type {
  FeedHealthRow,
  FeedRow,
  OperatorRow,
  ParkEventRow,
  VehicleRow,
  VehicleTypeRow,
  VehiclesReader,
} from './repository';

export interface VehicleKey {
  feedId: string;
  vehicleId: string;
}

export interface VehicleTypeKey {
  operatorId: string;
  id: string;
}

export interface ParkEventKey {
  id: string;
  startTime: Date;
}

export interface VehiclesLoaders {
  operatorById: DataLoader<string, OperatorRow | null>;
  vehicleTypeByKey: DataLoader<VehicleTypeKey, VehicleTypeRow | null, string>;
  vehicleTypesByOperator: DataLoader<string, VehicleTypeRow[]>;
  feedById: DataLoader<string, FeedRow | null>;
  feedsByOperator: DataLoader<string, FeedRow[]>;
  feedHealthByFeedId: DataLoader<string, FeedHealthRow | null>;
  vehicleByKey: DataLoader<VehicleKey, VehicleRow | null, string>;
  parkEventByKey: DataLoader<ParkEventKey, ParkEventRow | null, string>;
  /** Whether the caller may see a zone: entity lists only name zones the zones subgraph will resolve. */
  zoneVisible: DataLoader<string, boolean>;
}

/**
 * One query per batch for keys of any shape: `keyOf` names a key and the row that answers it, so
 * results come back in key order with null for keys no visible row answers.
 */
function createKeyedLoader<K, T>(
  fetch: (keys: K[]) => Promise<T[]>,
  keyOf: (key: K) => string,
  rowKeyOf: (row: T) => string,
): DataLoader<K, T | null, string> {
  return new DataLoader<K, T | null, string>(
    async (keys) => {
      const rows = await fetch([...keys]);
      const found = new Map(rows.map((row) => [rowKeyOf(row), row]));
      return keys.map((key) => found.get(keyOf(key)) ?? null);
    },
    { cacheKeyFn: keyOf },
  );
}

/** Rows grouped by one column, e.g. the vehicle types of each operator. */
function createGroupLoader<T>(
  fetch: (keys: string[]) => Promise<T[]>,
  groupOf: (row: T) => string,
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const row of await fetch([...keys])) {
      const group = groups.get(groupOf(row)) ?? [];
      group.push(row);
      groups.set(groupOf(row), group);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}

const pair = (a: string, b: string) => JSON.stringify([a, b]);

export function createLoaders(reader: VehiclesReader): VehiclesLoaders {
  return {
    operatorById: createKeyedLoader(
      (ids: string[]) => reader.operatorsByIds(ids),
      (id) => id,
      (row) => row.id,
    ),
    vehicleTypeByKey: createKeyedLoader(
      (keys: VehicleTypeKey[]) => reader.vehicleTypesByKeys(keys),
      (key) => pair(key.operatorId, key.id),
      (row) => pair(row.operator_id, row.id),
    ),
    vehicleTypesByOperator: createGroupLoader(
      (ids) => reader.vehicleTypes(ids),
      (row) => row.operator_id,
    ),
    feedById: createByIdLoader((ids) => reader.feedsByIds(ids)),
    feedsByOperator: createGroupLoader(
      (ids) => reader.listFeeds({ operatorIds: ids }),
      (row) => row.operator_id,
    ),
    feedHealthByFeedId: createKeyedLoader(
      (ids: string[]) => reader.feedHealthByFeedIds(ids.filter(isUuid)),
      (id) => id,
      (row) => row.feed_id,
    ),
    vehicleByKey: createKeyedLoader(
      (keys: VehicleKey[]) => reader.vehiclesByKeys(keys),
      (key) => pair(key.feedId, key.vehicleId),
      (row) => pair(row.feed_id, row.vehicle_id),
    ),
    parkEventByKey: createKeyedLoader(
      (keys: ParkEventKey[]) => reader.parkEventsByKeys(keys),
      (key) => `${key.id}@${key.startTime.getTime()}`,
      (row) => `${row.id}@${row.start_time.getTime()}`,
    ),
    zoneVisible: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const visible = valid.length > 0 ? await reader.visibleZoneIds(valid) : new Set<string>();
      return ids.map((id) => visible.has(id));
    }),
  };
}

/** Every fleet row names an operator that exists (the importer registers it): a miss is a bug. */
export async function loadOperator(loaders: VehiclesLoaders, id: string): Promise<OperatorRow> {
  const operator = await loaders.operatorById.load(id);
  if (!operator) throw new Error(`operator ${id} is not in the operators table`);
  return operator;
}

/** The zones of a row the caller may see, in the row's order (smallest first), as references. */
export async function visibleZones(
  loaders: VehiclesLoaders,
  zoneIds: readonly string[],
): Promise<{ id: string }[]> {
  const visible = await loaders.zoneVisible.loadMany(zoneIds);
  return zoneIds.filter((_id, i) => visible[i] === true).map((id) => ({ id }));
}
