import { GeoJSON } from '../../../lib/graphql/scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { OdFlow } from './OdFlow';
import { OdPlace } from './OdPlace';
import { Query } from './Query';
import { Zone } from './Zone';

export const resolvers: Resolvers = { GeoJSON, Query, Zone, OdFlow, OdPlace };
