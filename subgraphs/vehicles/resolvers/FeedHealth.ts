import { parseTimeKeyCursor } from '../../../lib/graphql/input';
import { pageSize, toConnection } from '../../../lib/pagination';
import type { FeedHealthResolvers } from '../__generated__/resolvers-types';

const OUTAGE_PAGE = { defaultSize: 20, maxSize: 200 };
const OUTAGE_ID = /^\d{1,19}$/;

export const FeedHealth: FeedHealthResolvers = {
  lastSuccessAt: (health) => health.last_success_at,
  lastError(health) {
    if (!health.last_error_at || !health.last_error_kind) return null;
    return {
      kind: health.last_error_kind,
      message: health.last_error_message ?? '',
      path: health.last_error_path,
      url: health.last_error_url,
      at: health.last_error_at,
    };
  },
  consecutiveFailures: (health) => health.consecutive_failures,
  vehiclesInLastSnapshot: (health) => health.vehicles_in_last_snapshot,
  stations: (health) => health.stations_in_last_snapshot,
  lastDurationMs: (health) => health.last_duration_ms,
  updatedAt: (health) => health.updated_at,
  feedLastUpdated: (health) => health.feed_last_updated,
  feedTtlSeconds: (health) => health.feed_ttl_seconds,
  feedVersion: (health) => health.feed_version,
  dataAgeSeconds: (health) =>
    health.feed_last_updated
      ? Math.max(0, Math.round((Date.now() - health.feed_last_updated.getTime()) / 1000))
      : null,
  notices: (health) => health.notices.map((n) => ({ ...n, at: new Date(n.at) })),
  quarantinedVehicles: (health) => health.quarantined_vehicles,
  unknownTypeVehicles: (health) => health.unknown_type_vehicles,
  stationVehicles: (health) => health.station_vehicles,
  async outages(health, { first, after }, { reader }) {
    const size = pageSize(first, OUTAGE_PAGE);
    const keyset = parseTimeKeyCursor(after, (id) => OUTAGE_ID.test(id));
    const { rows, totalCount } = await reader.outagesPage(health.feed_id, size + 1, keyset);
    return toConnection(rows, size, (o) => [o.start_key, o.id], {
      totalCount,
      hasPreviousPage: keyset !== undefined,
    });
  },
};
