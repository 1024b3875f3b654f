import { DateTime } from '../../../lib/graphql/scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Query } from './Query';
import { RentalCount } from './RentalCount';
import { Trip } from './Trip';

export const resolvers: Resolvers = { DateTime, Query, Trip, RentalCount };
