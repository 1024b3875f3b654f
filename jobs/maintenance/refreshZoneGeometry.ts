import { channels } from '../../lib/domain/channels';
import { createZoneStore } from '../../lib/domain/zoneStore';
import { MINUTE } from '../../lib/units';
import type { JobDefinition } from '../types';

/** Recomputes bounding boxes and areas of zones whose geometry changed; tells subgraphs if any did. */
export const refreshZoneGeometry: JobDefinition = {
  task: 'refresh_zone_geometry',
  description: 'Recompute bbox and area (km²) of zones whose geometry changed',
  defaultIntervalMs: MINUTE,
  maxAttempts: 3,
  async run({ db, pubsub }) {
    const rows = await createZoneStore(db).refreshDerived();
    if (rows > 0)
      await pubsub.publish(channels.zonesChanged, { reason: 'geometry refreshed', rows });
    return { rows };
  },
};
