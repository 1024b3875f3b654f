import type { Resolvers } from '../__generated__/resolvers-types';
import { GeoJSON } from './GeoJSON';
import { Query } from './Query';
import { Zone } from './Zone';

export const resolvers: Resolvers = { GeoJSON, Query, Zone };
