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
  lastDurationMs: (health) => health.last_duration_ms,
  updatedAt: (health) => health.updated_at,
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
