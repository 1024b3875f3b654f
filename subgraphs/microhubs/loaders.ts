import DataLoader from 'dataloader';
import type { HubRow, HubStatusRow } from '../../lib/domain/hubs/model';
import { isUuid } from '../../lib/ids';
import type { HubReader } from './repository';

export interface MicrohubsLoaders {
  hubById: DataLoader<string, HubRow | null>;
  statusesByHubId: DataLoader<string, HubStatusRow[]>;
  hubsByZoneId: DataLoader<string, HubRow[]>;
  /** Municipality code -> the id of its zone. */
  municipalityZoneId: DataLoader<string, string | null>;
}

/**
 * One query per batch, results in key order. The loaders batch but do not cache: a subscription's
 * context lives as long as the subscription, and each event must show the hub as it is now.
 */
export function createLoaders(hubs: HubReader): MicrohubsLoaders {
  const options = { cache: false };
  return {
    hubById: new DataLoader(async (ids) => {
      const valid = [...new Set(ids.filter(isUuid))];
      const rows = valid.length > 0 ? await hubs.byIds(valid) : [];
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    }, options),
    statusesByHubId: new DataLoader(async (ids) => {
      const rows = await hubs.statusesByHubIds([...new Set(ids)]);
      const byHub = new Map<string, HubStatusRow[]>();
      for (const row of rows) byHub.set(row.hub_id, [...(byHub.get(row.hub_id) ?? []), row]);
      return ids.map((id) => byHub.get(id) ?? []);
    }, options),
    hubsByZoneId: new DataLoader(async (ids) => {
      const valid = [...new Set(ids.filter(isUuid))];
      const found = valid.length > 0 ? await hubs.hubsInZones(valid) : new Map<string, HubRow[]>();
      return ids.map((id) => found.get(id) ?? []);
    }, options),
    municipalityZoneId: new DataLoader(async (codes) => {
      const found = await hubs.municipalityZoneIds([...new Set(codes)]);
      return codes.map((code) => found.get(code) ?? null);
    }, options),
  };
}
