import { DateTime, GeoJSON } from '../../../lib/graphql/scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Hub } from './Hub';
import { HubStatus, HubStatusChange, HubStatusEvent } from './HubStatus';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { Subscription } from './Subscription';
import { Zone } from './Zone';

export const resolvers: Resolvers = {
  DateTime,
  GeoJSON,
  Query,
  Mutation,
  Subscription,
  Hub,
  HubStatus,
  HubStatusChange,
  HubStatusEvent,
  Zone,
};
