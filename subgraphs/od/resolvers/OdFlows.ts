import type { OdFlowRow } from '../repository';
import type { OdLevel } from '../../../lib/domain/od';

/** The answer of odFlows: every field is its own, so the type needs no resolvers of its own. */
export interface OdFlowsResult {
  level: OdLevel;
  flows: OdFlowRow[];
  trips: number;
  tripsWithoutEnd: number;
  minCount: number;
}
