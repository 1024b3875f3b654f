import { DateTime, GeoJSON } from '../../../lib/graphql/scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { SeriesColumn } from './SeriesColumn';
import { Zone } from './Zone';

export const resolvers: Resolvers = { DateTime, GeoJSON, Mutation, Query, SeriesColumn, Zone };
