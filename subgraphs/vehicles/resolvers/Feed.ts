import type { FeedResolvers } from '../__generated__/resolvers-types';
import { effectiveRotatingIds } from '../../../lib/domain/fleet';
import { loadOperator } from '../loaders';

export const Feed: FeedResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.feedById.load(id),
  operator: (feed, _args, { loaders }) => loadOperator(loaders, feed.operator_id),
  authType: (feed) => feed.auth_type,
  defaultFormFactor: (feed) => feed.default_form_factor,
  defaultVehicleTypeId: (feed) => feed.default_vehicle_type_id,
  rotatingIds: (feed) => effectiveRotatingIds(feed.type, feed.rotating_ids),
  rotatingIdsDeclared: (feed) => feed.rotating_ids !== null,
  vehicleTypesUrl: (feed) => feed.vehicle_types_url,
  expectEmpty: (feed) => feed.expect_empty,
  createdAt: (feed) => feed.created_at,
  updatedAt: (feed) => feed.updated_at,
  health: (feed, _args, { loaders }) => loaders.feedHealthByFeedId.load(feed.id),
};
