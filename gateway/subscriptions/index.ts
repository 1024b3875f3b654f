export { createDataSourceRegistry, type DataSourceRegistry } from './dataSources';
export { SubscriptionErrorCode } from './errors';
export type { SubscriptionStats } from './fanOut';
export type { ValidateDocument } from './planner';
export {
  createSubscriptionServer,
  DEFAULT_SUBSCRIPTION_SETTINGS,
  type SubscriptionServer,
  type SubscriptionServerOptions,
  type SubscriptionSettings,
} from './subscriptionServer';
