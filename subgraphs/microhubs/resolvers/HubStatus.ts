import { GraphQLError } from 'graphql';
import { COMBINED, type HubRow } from '../../../lib/domain/hubs/model';
import type {
  HubStatusChangeResolvers,
  HubStatusEventResolvers,
  HubStatusResolvers,
} from '../__generated__/resolvers-types';

export const HubStatus: HubStatusResolvers = {
  formFactor: (status) => (status.form_factor === COMBINED ? null : status.form_factor),
  vehiclesAvailable: (status) => status.vehicles_available,
  placesAvailable: (status) => status.places_available,
  updatedAt: (status) => status.updated_at,
};

export const HubStatusChange: HubStatusChangeResolvers = {
  id: (change) => String(change.id),
  formFactor: (change) => (change.form_factor === COMBINED ? null : change.form_factor),
  placesAvailable: (change) => change.places_available,
  async hub(change, _args, { loaders }): Promise<HubRow> {
    // The change was read through its hub, so the hub is visible to the caller.
    const hub = await loaders.hubById.load(change.hub_id);
    if (!hub) throw new GraphQLError(`hub ${change.hub_id} of a status change is gone`);
    return hub;
  },
};

export const HubStatusEvent: HubStatusEventResolvers = {
  hub: (event, _args, { loaders }) => loaders.hubById.load(event.hubId),
  placesAvailable: (event) => event.available,
  since: (event) => new Date(event.since),
  at: (event) => new Date(event.at),
};
