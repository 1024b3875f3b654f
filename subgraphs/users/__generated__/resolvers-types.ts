/* eslint-disable */
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OrganisationRow, UserRow, GrantRow, ApiKeyRow, DashboardRow, AuditRow, HistoryRow } from '../repository';
import type { JobScheduleRow, JobRunRow } from '../../../lib/domain/jobSchedules';
import type { Scope } from '../../../lib/auth/scope';
import type { UsersContext } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 instant, e.g. 2026-11-22T07:06:00Z. */
  DateTime: { input: Date; output: Date; }
  /** Arbitrary JSON: organisation details, dashboard widget layouts and variables, audit details. */
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: string; output: string; }
};

export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  owner: User;
  /** The first characters of the key, to recognise it; the key itself is shown once, at creation. */
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type ApiKeyInput = {
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  name: Scalars['String']['input'];
};

export type AuditLogEntry = {
  __typename?: 'AuditLogEntry';
  action: Scalars['String']['output'];
  actorId?: Maybe<Scalars['String']['output']>;
  actorType: Scalars['String']['output'];
  at: Scalars['DateTime']['output'];
  details: Scalars['JSON']['output'];
  id: Scalars['ID']['output'];
  targetId?: Maybe<Scalars['String']['output']>;
  targetType?: Maybe<Scalars['String']['output']>;
};

export type AuditLogFilter = {
  action?: InputMaybe<Scalars['String']['input']>;
  organisationId?: InputMaybe<Scalars['ID']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
};

/** What the caller may see and do. */
export type CallerScope = {
  __typename?: 'CallerScope';
  admin: Scalars['Boolean']['output'];
  municipalityCodes: Array<Scalars['String']['output']>;
  operatorIds: Array<Scalars['String']['output']>;
  organisation?: Maybe<Organisation>;
  principalType: Scalars['String']['output'];
  privileges: Array<Privilege>;
  user?: Maybe<User>;
};

export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  apiKey: ApiKey;
  /** Send as the X-API-Key header. Shown only now: it is stored hashed. */
  secret: Scalars['String']['output'];
};

export type Dashboard = {
  __typename?: 'Dashboard';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  widgets: Array<DashboardWidget>;
};

export type DashboardInput = {
  name: Scalars['String']['input'];
  widgets: Array<DashboardWidgetInput>;
};

export type DashboardWidget = {
  __typename?: 'DashboardWidget';
  height: Scalars['Int']['output'];
  /** The GraphQL document the widget shows, and its variables. */
  query: Scalars['String']['output'];
  type: Scalars['String']['output'];
  variables: Scalars['JSON']['output'];
  width: Scalars['Int']['output'];
  x: Scalars['Int']['output'];
  y: Scalars['Int']['output'];
};

export type DashboardWidgetInput = {
  height: Scalars['Int']['input'];
  query: Scalars['String']['input'];
  type: Scalars['String']['input'];
  variables?: InputMaybe<Scalars['JSON']['input']>;
  width: Scalars['Int']['input'];
  x: Scalars['Int']['input'];
  y: Scalars['Int']['input'];
};

/** View access to an owning organisation's data, for another organisation or for one user. */
export type DataAccessGrant = {
  __typename?: 'DataAccessGrant';
  createdAt: Scalars['DateTime']['output'];
  createdBy: Scalars['String']['output'];
  granteeOrganisation?: Maybe<Organisation>;
  granteeUser?: Maybe<User>;
  id: Scalars['ID']['output'];
  owner: Organisation;
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type GrantInput = {
  granteeOrganisationId?: InputMaybe<Scalars['ID']['input']>;
  granteeUserId?: InputMaybe<Scalars['ID']['input']>;
  /** Defaults to the caller's own organisation. */
  ownerOrganisationId?: InputMaybe<Scalars['ID']['input']>;
};

/** One attempt of a job. */
export type JobRun = {
  __typename?: 'JobRun';
  attempt: Scalars['Int']['output'];
  durationMs?: Maybe<Scalars['Int']['output']>;
  error?: Maybe<Scalars['String']['output']>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** Rows the job wrote or changed. */
  rows?: Maybe<Scalars['Int']['output']>;
  /** The schedule that enqueued it. */
  scheduleName?: Maybe<Scalars['String']['output']>;
  startedAt: Scalars['DateTime']['output'];
  status: JobRunStatus;
  task: Scalars['String']['output'];
  /** The schedule slot it ran for. */
  tickAt?: Maybe<Scalars['DateTime']['output']>;
  /** host:pid of the runner. */
  workerId: Scalars['String']['output'];
};

export type JobRunConnection = {
  __typename?: 'JobRunConnection';
  edges: Array<JobRunEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type JobRunEdge = {
  __typename?: 'JobRunEdge';
  cursor: Scalars['String']['output'];
  node: JobRun;
};

export type JobRunStatus =
  | 'FAILED'
  | 'RUNNING'
  | 'SUCCEEDED';

/** A job's schedule (jobs run on graphile-worker; each tick runs exactly once across runners). */
export type JobSchedule = {
  __typename?: 'JobSchedule';
  /** Who last changed it through the API. */
  changedBy?: Maybe<Scalars['String']['output']>;
  /** A 5-field cron expression (minute hour day-of-month month day-of-week) in `timeZone`, or null. */
  cron?: Maybe<Scalars['String']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  /** The fixed interval between runs; not used while `cron` is set. */
  intervalMs: Scalars['Int']['output'];
  /** The latest attempt, running or finished. */
  lastRun?: Maybe<JobRun>;
  /** The slot of the last scheduled run. */
  lastTickAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  /** When it runs next; null while paused. */
  nextRunAt?: Maybe<Scalars['DateTime']['output']>;
  paused: Scalars['Boolean']['output'];
  /** A run-now request waits for the scheduler (within a second). */
  runRequested: Scalars['Boolean']['output'];
  /** The job it runs, e.g. daily_report. */
  task: Scalars['String']['output'];
  timeZone: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

/** Give either intervalMs (drops the cron expression) or cron (optionally with timeZone). */
export type JobScheduleInput = {
  /** e.g. "30 4 * * *": every day at 04:30. */
  cron?: InputMaybe<Scalars['String']['input']>;
  /** 1000 ms to 366 days. */
  intervalMs?: InputMaybe<Scalars['Int']['input']>;
  /** IANA time zone of the cron expression (default: the schedule's, Europe/Amsterdam). */
  timeZone?: InputMaybe<Scalars['String']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  createApiKey: CreatedApiKey;
  createOrganisation: Organisation;
  createUser: User;
  deleteDashboard: Scalars['Boolean']['output'];
  grantDataAccess: DataAccessGrant;
  /** A paused schedule does not run until resumed (ADMIN, audited). */
  pauseJobSchedule: JobSchedule;
  /** Resumes at the next slot; missed slots are not replayed (ADMIN, audited). */
  resumeJobSchedule: JobSchedule;
  revokeApiKey: ApiKey;
  revokeDataAccess: DataAccessGrant;
  /** One extra run now, paused or not (ADMIN, audited). */
  runJobNow: JobSchedule;
  saveDashboard: Dashboard;
  /** Change a schedule's cadence (ADMIN, audited); the next run follows from the new cadence. */
  updateJobSchedule: JobSchedule;
  updateOrganisation: Organisation;
  updateUser: User;
};


export type MutationCreateApiKeyArgs = {
  input: ApiKeyInput;
};


export type MutationCreateOrganisationArgs = {
  input: OrganisationInput;
};


export type MutationCreateUserArgs = {
  input: UserInput;
};


export type MutationDeleteDashboardArgs = {
  name: Scalars['String']['input'];
};


export type MutationGrantDataAccessArgs = {
  input: GrantInput;
};


export type MutationPauseJobScheduleArgs = {
  name: Scalars['String']['input'];
};


export type MutationResumeJobScheduleArgs = {
  name: Scalars['String']['input'];
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeDataAccessArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRunJobNowArgs = {
  name: Scalars['String']['input'];
};


export type MutationSaveDashboardArgs = {
  input: DashboardInput;
};


export type MutationUpdateJobScheduleArgs = {
  input: JobScheduleInput;
  name: Scalars['String']['input'];
};


export type MutationUpdateOrganisationArgs = {
  id: Scalars['ID']['input'];
  patch: OrganisationPatch;
};


export type MutationUpdateUserArgs = {
  id: Scalars['ID']['input'];
  patch: UserPatch;
};

export type Organisation = {
  __typename?: 'Organisation';
  createdAt: Scalars['DateTime']['output'];
  /** Free-form details: contact, address, notes. */
  details: Scalars['JSON']['output'];
  /** Earlier versions of this organisation, newest first. */
  history: Array<OrganisationChange>;
  id: Scalars['ID']['output'];
  /** CBS codes (GM0363) of the municipalities whose data the organisation owns. */
  municipalityCodes: Array<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  /** Operator ids whose fleet data the organisation owns. */
  operatorIds: Array<Scalars['String']['output']>;
  type: OrganisationType;
  updatedAt: Scalars['DateTime']['output'];
  users: Array<User>;
};

export type OrganisationChange = {
  __typename?: 'OrganisationChange';
  after: Scalars['JSON']['output'];
  before?: Maybe<Scalars['JSON']['output']>;
  changedAt: Scalars['DateTime']['output'];
  changedBy: Scalars['String']['output'];
};

export type OrganisationInput = {
  details?: InputMaybe<Scalars['JSON']['input']>;
  municipalityCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  name: Scalars['String']['input'];
  operatorIds?: InputMaybe<Array<Scalars['String']['input']>>;
  type: OrganisationType;
};

export type OrganisationPatch = {
  details?: InputMaybe<Scalars['JSON']['input']>;
  municipalityCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  name?: InputMaybe<Scalars['String']['input']>;
  operatorIds?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type OrganisationType =
  | 'ADMIN'
  | 'MUNICIPALITY'
  | 'OPERATOR'
  | 'OTHER_COMPANY'
  | 'OTHER_GOVERNMENT';

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type Privilege =
  /** Download raw (per-vehicle) data; every download is audited. */
  | 'DOWNLOAD_RAW_DATA'
  /** Create and edit microhubs within the organisation's municipalities. */
  | 'MICROHUB_EDIT'
  /** Manage the users, grants and API keys of one's own organisation. */
  | 'ORGANISATION_ADMIN';

export type Query = {
  __typename?: 'Query';
  /** Gateway only: the scope of a user (by email) or an API key. Requires the gateway's service scope. */
  _resolveScope: ResolvedScope;
  /** The caller's API keys (an ORGANISATION_ADMIN sees its organisation's). */
  apiKeys?: Maybe<Array<ApiKey>>;
  /** Newest first; ADMIN sees all, ORGANISATION_ADMIN its own organisation. */
  auditLog?: Maybe<Array<AuditLogEntry>>;
  dashboard?: Maybe<Dashboard>;
  /** The caller's saved dashboards. */
  dashboards?: Maybe<Array<Dashboard>>;
  /** Grants given by or to the caller's organisation (all for ADMIN). */
  dataAccessGrants?: Maybe<Array<DataAccessGrant>>;
  /** Run history, newest first: 50 per page by default, at most 500 (ADMIN). */
  jobRuns?: Maybe<JobRunConnection>;
  jobSchedule?: Maybe<JobSchedule>;
  /** Every job schedule, by name (ADMIN). */
  jobSchedules?: Maybe<Array<JobSchedule>>;
  /** The caller: who, which organisation, and what they may see. */
  me?: Maybe<CallerScope>;
  organisation?: Maybe<Organisation>;
  organisations?: Maybe<Array<Organisation>>;
  user?: Maybe<User>;
  /** Users of an organisation (default: the caller's). */
  users?: Maybe<Array<User>>;
};


export type Query_ResolveScopeArgs = {
  apiKey?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAuditLogArgs = {
  filter?: InputMaybe<AuditLogFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryDashboardArgs = {
  name: Scalars['String']['input'];
};


export type QueryDataAccessGrantsArgs = {
  includeRevoked?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryJobRunsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  schedule?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<JobRunStatus>;
};


export type QueryJobScheduleArgs = {
  name: Scalars['String']['input'];
};


export type QueryOrganisationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUsersArgs = {
  organisationId?: InputMaybe<Scalars['ID']['input']>;
};

/** The scope of a set of credentials, for the gateway only (never exposed through it). */
export type ResolvedScope = {
  __typename?: 'ResolvedScope';
  /** Why the credentials were refused. */
  reason?: Maybe<Scalars['String']['output']>;
  /** JSON of lib/auth/scope.ts Scope, or null when the credentials name no active user or key. */
  scope?: Maybe<Scalars['JSON']['output']>;
};

export type User = {
  __typename?: 'User';
  active: Scalars['Boolean']['output'];
  createdAt: Scalars['DateTime']['output'];
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  organisation: Organisation;
  privileges: Array<Privilege>;
};

export type UserInput = {
  email: Scalars['String']['input'];
  organisationId: Scalars['ID']['input'];
  privileges?: InputMaybe<Array<Privilege>>;
};

export type UserPatch = {
  active?: InputMaybe<Scalars['Boolean']['input']>;
  privileges?: InputMaybe<Array<Privilege>>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Organisation: Organisation;
  User: User;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Organisation:
    ( { __typename: 'Organisation' }
    & GraphQLRecursivePick<FederationTypes['Organisation'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  ApiKey: ResolverTypeWrapper<ApiKeyRow>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ApiKeyInput: ApiKeyInput;
  AuditLogEntry: ResolverTypeWrapper<AuditRow>;
  AuditLogFilter: AuditLogFilter;
  CallerScope: ResolverTypeWrapper<Scope>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CreatedApiKey: ResolverTypeWrapper<Omit<CreatedApiKey, 'apiKey'> & { apiKey: ResolversTypes['ApiKey'] }>;
  Dashboard: ResolverTypeWrapper<DashboardRow>;
  DashboardInput: DashboardInput;
  DashboardWidget: ResolverTypeWrapper<DashboardWidget>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  DashboardWidgetInput: DashboardWidgetInput;
  DataAccessGrant: ResolverTypeWrapper<GrantRow>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  GrantInput: GrantInput;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  JobRun: ResolverTypeWrapper<JobRunRow>;
  JobRunConnection: ResolverTypeWrapper<Omit<JobRunConnection, 'edges'> & { edges: Array<ResolversTypes['JobRunEdge']> }>;
  JobRunEdge: ResolverTypeWrapper<Omit<JobRunEdge, 'node'> & { node: ResolversTypes['JobRun'] }>;
  JobRunStatus: JobRunStatus;
  JobSchedule: ResolverTypeWrapper<JobScheduleRow>;
  JobScheduleInput: JobScheduleInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Organisation: ResolverTypeWrapper<OrganisationRow>;
  OrganisationChange: ResolverTypeWrapper<HistoryRow>;
  OrganisationInput: OrganisationInput;
  OrganisationPatch: OrganisationPatch;
  OrganisationType: OrganisationType;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Privilege: Privilege;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ResolvedScope: ResolverTypeWrapper<ResolvedScope>;
  User: ResolverTypeWrapper<UserRow>;
  UserInput: UserInput;
  UserPatch: UserPatch;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  ApiKey: ApiKeyRow;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  ApiKeyInput: ApiKeyInput;
  AuditLogEntry: AuditRow;
  AuditLogFilter: AuditLogFilter;
  CallerScope: Scope;
  Boolean: Scalars['Boolean']['output'];
  CreatedApiKey: Omit<CreatedApiKey, 'apiKey'> & { apiKey: ResolversParentTypes['ApiKey'] };
  Dashboard: DashboardRow;
  DashboardInput: DashboardInput;
  DashboardWidget: DashboardWidget;
  Int: Scalars['Int']['output'];
  DashboardWidgetInput: DashboardWidgetInput;
  DataAccessGrant: GrantRow;
  DateTime: Scalars['DateTime']['output'];
  GrantInput: GrantInput;
  JSON: Scalars['JSON']['output'];
  JobRun: JobRunRow;
  JobRunConnection: Omit<JobRunConnection, 'edges'> & { edges: Array<ResolversParentTypes['JobRunEdge']> };
  JobRunEdge: Omit<JobRunEdge, 'node'> & { node: ResolversParentTypes['JobRun'] };
  JobSchedule: JobScheduleRow;
  JobScheduleInput: JobScheduleInput;
  Mutation: Record<PropertyKey, never>;
  Organisation: OrganisationRow;
  OrganisationChange: HistoryRow;
  OrganisationInput: OrganisationInput;
  OrganisationPatch: OrganisationPatch;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  ResolvedScope: ResolvedScope;
  User: UserRow;
  UserInput: UserInput;
  UserPatch: UserPatch;
}>;

export type ApiKeyResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['ApiKey'] = ResolversParentTypes['ApiKey']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  owner?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type AuditLogEntryResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['AuditLogEntry'] = ResolversParentTypes['AuditLogEntry']> = ResolversObject<{
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  actorType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  details?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  targetId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  targetType?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type CallerScopeResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['CallerScope'] = ResolversParentTypes['CallerScope']> = ResolversObject<{
  admin?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  municipalityCodes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  operatorIds?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  organisation?: Resolver<Maybe<ResolversTypes['Organisation']>, ParentType, ContextType>;
  principalType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  privileges?: Resolver<Array<ResolversTypes['Privilege']>, ParentType, ContextType>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
}>;

export type CreatedApiKeyResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['CreatedApiKey'] = ResolversParentTypes['CreatedApiKey']> = ResolversObject<{
  apiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType>;
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type DashboardResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['Dashboard'] = ResolversParentTypes['Dashboard']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  widgets?: Resolver<Array<ResolversTypes['DashboardWidget']>, ParentType, ContextType>;
}>;

export type DashboardWidgetResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['DashboardWidget'] = ResolversParentTypes['DashboardWidget']> = ResolversObject<{
  height?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  query?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  variables?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  width?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  x?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  y?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type DataAccessGrantResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['DataAccessGrant'] = ResolversParentTypes['DataAccessGrant']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  granteeOrganisation?: Resolver<Maybe<ResolversTypes['Organisation']>, ParentType, ContextType>;
  granteeUser?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  owner?: Resolver<ResolversTypes['Organisation'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type JobRunResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['JobRun'] = ResolversParentTypes['JobRun']> = ResolversObject<{
  attempt?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  durationMs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  rows?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  scheduleName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['JobRunStatus'], ParentType, ContextType>;
  task?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tickAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  workerId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type JobRunConnectionResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['JobRunConnection'] = ResolversParentTypes['JobRunConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['JobRunEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type JobRunEdgeResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['JobRunEdge'] = ResolversParentTypes['JobRunEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['JobRun'], ParentType, ContextType>;
}>;

export type JobScheduleResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['JobSchedule'] = ResolversParentTypes['JobSchedule']> = ResolversObject<{
  changedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  cron?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  intervalMs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lastRun?: Resolver<Maybe<ResolversTypes['JobRun']>, ParentType, ContextType>;
  lastTickAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nextRunAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  paused?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  runRequested?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  task?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  timeZone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  createApiKey?: Resolver<ResolversTypes['CreatedApiKey'], ParentType, ContextType, RequireFields<MutationCreateApiKeyArgs, 'input'>>;
  createOrganisation?: Resolver<ResolversTypes['Organisation'], ParentType, ContextType, RequireFields<MutationCreateOrganisationArgs, 'input'>>;
  createUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationCreateUserArgs, 'input'>>;
  deleteDashboard?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteDashboardArgs, 'name'>>;
  grantDataAccess?: Resolver<ResolversTypes['DataAccessGrant'], ParentType, ContextType, RequireFields<MutationGrantDataAccessArgs, 'input'>>;
  pauseJobSchedule?: Resolver<ResolversTypes['JobSchedule'], ParentType, ContextType, RequireFields<MutationPauseJobScheduleArgs, 'name'>>;
  resumeJobSchedule?: Resolver<ResolversTypes['JobSchedule'], ParentType, ContextType, RequireFields<MutationResumeJobScheduleArgs, 'name'>>;
  revokeApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'id'>>;
  revokeDataAccess?: Resolver<ResolversTypes['DataAccessGrant'], ParentType, ContextType, RequireFields<MutationRevokeDataAccessArgs, 'id'>>;
  runJobNow?: Resolver<ResolversTypes['JobSchedule'], ParentType, ContextType, RequireFields<MutationRunJobNowArgs, 'name'>>;
  saveDashboard?: Resolver<ResolversTypes['Dashboard'], ParentType, ContextType, RequireFields<MutationSaveDashboardArgs, 'input'>>;
  updateJobSchedule?: Resolver<ResolversTypes['JobSchedule'], ParentType, ContextType, RequireFields<MutationUpdateJobScheduleArgs, 'input' | 'name'>>;
  updateOrganisation?: Resolver<ResolversTypes['Organisation'], ParentType, ContextType, RequireFields<MutationUpdateOrganisationArgs, 'id' | 'patch'>>;
  updateUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationUpdateUserArgs, 'id' | 'patch'>>;
}>;

export type OrganisationResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['Organisation'] = ResolversParentTypes['Organisation'], FederationReferenceType extends FederationReferenceTypes['Organisation'] = FederationReferenceTypes['Organisation']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organisation']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  details?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  history?: Resolver<Array<ResolversTypes['OrganisationChange']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  municipalityCodes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  operatorIds?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['OrganisationType'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  users?: Resolver<Array<ResolversTypes['User']>, ParentType, ContextType>;
}>;

export type OrganisationChangeResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['OrganisationChange'] = ResolversParentTypes['OrganisationChange']> = ResolversObject<{
  after?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  before?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  changedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  changedBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  _resolveScope?: Resolver<ResolversTypes['ResolvedScope'], ParentType, ContextType, Partial<Query_ResolveScopeArgs>>;
  apiKeys?: Resolver<Maybe<Array<ResolversTypes['ApiKey']>>, ParentType, ContextType>;
  auditLog?: Resolver<Maybe<Array<ResolversTypes['AuditLogEntry']>>, ParentType, ContextType, RequireFields<QueryAuditLogArgs, 'first'>>;
  dashboard?: Resolver<Maybe<ResolversTypes['Dashboard']>, ParentType, ContextType, RequireFields<QueryDashboardArgs, 'name'>>;
  dashboards?: Resolver<Maybe<Array<ResolversTypes['Dashboard']>>, ParentType, ContextType>;
  dataAccessGrants?: Resolver<Maybe<Array<ResolversTypes['DataAccessGrant']>>, ParentType, ContextType, RequireFields<QueryDataAccessGrantsArgs, 'includeRevoked'>>;
  jobRuns?: Resolver<Maybe<ResolversTypes['JobRunConnection']>, ParentType, ContextType, Partial<QueryJobRunsArgs>>;
  jobSchedule?: Resolver<Maybe<ResolversTypes['JobSchedule']>, ParentType, ContextType, RequireFields<QueryJobScheduleArgs, 'name'>>;
  jobSchedules?: Resolver<Maybe<Array<ResolversTypes['JobSchedule']>>, ParentType, ContextType>;
  me?: Resolver<Maybe<ResolversTypes['CallerScope']>, ParentType, ContextType>;
  organisation?: Resolver<Maybe<ResolversTypes['Organisation']>, ParentType, ContextType, RequireFields<QueryOrganisationArgs, 'id'>>;
  organisations?: Resolver<Maybe<Array<ResolversTypes['Organisation']>>, ParentType, ContextType>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType, RequireFields<QueryUserArgs, 'id'>>;
  users?: Resolver<Maybe<Array<ResolversTypes['User']>>, ParentType, ContextType, Partial<QueryUsersArgs>>;
}>;

export type ResolvedScopeResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['ResolvedScope'] = ResolversParentTypes['ResolvedScope']> = ResolversObject<{
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  scope?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
}>;

export type UserResolvers<ContextType = UsersContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  active?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  organisation?: Resolver<ResolversTypes['Organisation'], ParentType, ContextType>;
  privileges?: Resolver<Array<ResolversTypes['Privilege']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = UsersContext> = ResolversObject<{
  ApiKey?: ApiKeyResolvers<ContextType>;
  AuditLogEntry?: AuditLogEntryResolvers<ContextType>;
  CallerScope?: CallerScopeResolvers<ContextType>;
  CreatedApiKey?: CreatedApiKeyResolvers<ContextType>;
  Dashboard?: DashboardResolvers<ContextType>;
  DashboardWidget?: DashboardWidgetResolvers<ContextType>;
  DataAccessGrant?: DataAccessGrantResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  JSON?: GraphQLScalarType;
  JobRun?: JobRunResolvers<ContextType>;
  JobRunConnection?: JobRunConnectionResolvers<ContextType>;
  JobRunEdge?: JobRunEdgeResolvers<ContextType>;
  JobSchedule?: JobScheduleResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Organisation?: OrganisationResolvers<ContextType>;
  OrganisationChange?: OrganisationChangeResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ResolvedScope?: ResolvedScopeResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
}>;

