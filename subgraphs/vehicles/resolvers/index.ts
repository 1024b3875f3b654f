import { DateTime } from '../../../lib/graphql/scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { AvailableVehicle } from './AvailableVehicle';
import { Feed } from './Feed';
import { FeedHealth } from './FeedHealth';
import { FeedOutage } from './FeedOutage';
import { Mutation } from './Mutation';
import { Operator } from './Operator';
import { ParkEvent } from './ParkEvent';
import { ParkingDurations } from './ParkingDurations';
import { Query } from './Query';
import { Station } from './Station';
import { Vehicle } from './Vehicle';
import { VehicleCount } from './VehicleCount';
import { VehicleType } from './VehicleType';
import { Zone } from './Zone';

export const resolvers: Resolvers = {
  DateTime,
  Query,
  Mutation,
  Operator,
  VehicleType,
  Feed,
  FeedHealth,
  FeedOutage,
  Vehicle,
  ParkEvent,
  AvailableVehicle,
  VehicleCount,
  ParkingDurations,
  Station,
  Zone,
};
