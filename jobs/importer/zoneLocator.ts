import type { Db } from '../../lib/db';
import type { IndexedZone } from '../../lib/domain/zones';
import { createZoneStore } from '../../lib/domain/zoneStore';
import { SpatialIndex } from '../../lib/geo/spatialIndex';
import type { ZoneAssignment } from './diff';

const NO_ZONES: ZoneAssignment = Object.freeze({
  zoneIds: Object.freeze([]),
  municipalityCode: null,
});

/**
 * The zones containing a point, from an in-memory R-tree of every zone (the same `SpatialIndex`
 * and zone repository as the zones subgraph's `LiveZoneIndex`). The importer checks the zones'
 * version at the start of every tick instead of subscribing to `zones.changed`: a tick runs every
 * 30 s anyway, and the version it saw is what each feed records to know when its vehicles and open
 * park events must be re-assigned.
 */
export class ZoneLocator {
  private index: SpatialIndex<IndexedZone> | undefined;
  private loadedVersion: string | undefined;
  /** One shared object per distinct answer: a million vehicles hold a few hundred of them. */
  private assignments = new Map<string, ZoneAssignment>();

  constructor(private readonly db: Db) {}

  /** The version of the zones in the index; rebuilds the index first if the zones changed. */
  async refresh(): Promise<string> {
    const repository = createZoneStore(this.db);
    const version = await repository.version();
    if (version !== this.loadedVersion || !this.index) {
      this.index = new SpatialIndex(await repository.forIndex());
      this.assignments = new Map();
      this.loadedVersion = version;
    }
    return version;
  }

  /** Every zone containing the point (smallest first) and the code of its municipality. */
  readonly locate = (lat: number, lng: number): ZoneAssignment => {
    if (!this.index) throw new Error('zone index not loaded: call refresh() first');
    const zones = this.index.containing(lng, lat);
    if (zones.length === 0) return NO_ZONES;
    const zoneIds = zones.map((zone) => zone.id);
    const key = zoneIds.join();
    let assignment = this.assignments.get(key);
    if (!assignment) {
      const municipality = zones.find((zone) => zone.kind === 'MUNICIPALITY');
      assignment = Object.freeze({
        zoneIds: Object.freeze(zoneIds),
        municipalityCode: municipality?.municipality_code ?? null,
      });
      this.assignments.set(key, assignment);
    }
    return assignment;
  };
}
