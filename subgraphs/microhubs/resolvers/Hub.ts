import { FORM_FACTORS } from '../../../lib/domain/formFactors';
import { acceptedFormFactors, COMBINED, type HubStatusRow } from '../../../lib/domain/hubs/model';
import { decodeCursor, pageSize, toConnection } from '../../../lib/pagination';
import type { HubResolvers } from '../__generated__/resolvers-types';

function openState(statuses: HubStatusRow[]): 'OPEN' | 'CLOSED' | 'PARTLY_OPEN' | null {
  if (statuses.length === 0) return null;
  const open = statuses.filter((s) => s.open).length;
  if (open === statuses.length) return 'OPEN';
  return open === 0 ? 'CLOSED' : 'PARTLY_OPEN';
}

export const Hub: HubResolvers = {
  __resolveReference({ id }, { loaders }) {
    return loaders.hubById.load(id);
  },

  municipalityCode: (hub) => hub.municipality_code,
  zone: (hub) => ({ id: hub.id }),
  async municipality(hub, _args, { loaders }) {
    const id = await loaders.municipalityZoneId.load(hub.municipality_code);
    if (!id) throw new Error(`hub ${hub.id}: no zone for municipality ${hub.municipality_code}`);
    return { id };
  },
  location: (hub) => ({ lat: hub.center_lat, lng: hub.center_lng }),
  radiusMeters: (hub) => hub.radius_meters,
  bufferMeters: (hub) => hub.buffer_meters,
  effectiveFrom: (hub) => hub.effective_from,
  retireAt: (hub) => hub.retire_at,
  updatedAt: (hub) => hub.updated_at,

  capacity(hub) {
    const combined = hub.capacity[COMBINED];
    const perFormFactor = FORM_FACTORS.flatMap((formFactor) => {
      const places = hub.capacity[formFactor];
      return places === undefined ? [] : [{ formFactor, places }];
    });
    return {
      combined: combined ?? null,
      combinedFormFactors: combined === undefined ? null : acceptedFormFactors(hub),
      perFormFactor,
      total: combined ?? perFormFactor.reduce((sum, entry) => sum + entry.places, 0),
    };
  },

  status(hub, _args, { loaders }) {
    return loaders.statusesByHubId.load(hub.id);
  },

  async openState(hub, _args, { loaders }) {
    return openState(await loaders.statusesByHubId.load(hub.id));
  },

  async vehicles(hub, _args, { loaders }) {
    const statuses = await loaders.statusesByHubId.load(hub.id);
    return statuses.reduce((sum, s) => sum + s.vehicles, 0);
  },

  async placesAvailable(hub, _args, { loaders }) {
    const statuses = await loaders.statusesByHubId.load(hub.id);
    return statuses.reduce((sum, s) => sum + s.places_available, 0);
  },

  async history(hub, { since, first, after }, { reader }) {
    const size = pageSize(first, { defaultSize: 50, maxSize: 500 });
    const keyset = after ? decodeCursor(after, 2) : undefined;
    const { rows, totalCount } = await reader.history(hub.id, size + 1, keyset, since ?? undefined);
    return toConnection(rows, size, (row) => [row.at.toISOString(), row.id], {
      totalCount,
      hasPreviousPage: keyset !== undefined,
    });
  },
};
