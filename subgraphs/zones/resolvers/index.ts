import { DateTime, GeoJSON } from '../../../lib/graphql/scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Query } from './Query';
import { Zone } from './Zone';

export const resolvers: Resolvers = { DateTime, GeoJSON, Query, Zone };
