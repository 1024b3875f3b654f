import { DateTime } from '../../../lib/graphql/scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { DailyIndicators } from './DailyIndicators';
import { Query } from './Query';
import { RentalCount } from './RentalCount';
import { Trip } from './Trip';
import { Zone } from './Zone';

export const resolvers: Resolvers = { DateTime, DailyIndicators, Query, Trip, RentalCount, Zone };
