/* eslint-disable */
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { HubRow, HubStatusRow, HubHistoryRow } from '../../../lib/domain/hubs/model';
import type { HubEvent } from '../../../lib/domain/hubs/events';
import type { ZoneReference } from '../resolvers/Zone';
import type { MicrohubsContext } from '../context';
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
  /** A GeoJSON geometry object (RFC 7946) in WGS84: for zones always a Polygon or MultiPolygon. */
  GeoJSON: { input: unknown; output: unknown; }
  _FieldSet: { input: string; output: string; }
};

/** Exactly one of `geometry` and `point`. */
export type CreateHubInput = {
  /** 0 to 200 metres; default MICROHUB_DEFAULT_BUFFER_METERS (30). */
  bufferMeters?: InputMaybe<Scalars['Float']['input']>;
  capacity: HubCapacityInput;
  /** Unique among hubs; default HUB- and the first characters of the id. */
  code?: InputMaybe<Scalars['String']['input']>;
  /** Default AUTOMATIC. */
  control?: InputMaybe<HubControl>;
  /** Default now. Before it, the hub is closed and seen only by its municipality. */
  effectiveFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** A GeoJSON Polygon or MultiPolygon (pass it as a variable), at most 1 km across. */
  geometry?: InputMaybe<Scalars['GeoJSON']['input']>;
  name: Scalars['String']['input'];
  point?: InputMaybe<HubPointInput>;
  /** From then on the hub no longer counts, shows or takes vehicles. */
  retireAt?: InputMaybe<Scalars['DateTime']['input']>;
};

/** The kind of vehicle, as GBFS 3.0 `form_factor` (GBFS 2.x and MDS values are mapped onto it). */
export type FormFactor =
  | 'BICYCLE'
  | 'CAR'
  | 'CARGO_BICYCLE'
  | 'MOPED'
  | 'OTHER'
  | 'SCOOTER_SEATED'
  | 'SCOOTER_STANDING';

export type FormFactorCapacity = {
  __typename?: 'FormFactorCapacity';
  formFactor: FormFactor;
  places: Scalars['Int']['output'];
};

export type FormFactorCapacityInput = {
  formFactor: FormFactor;
  /** 0 to 10000 places. */
  places: Scalars['Int']['input'];
};

/**
 * A microhub (an MDS stop, a GBFS virtual station): an area where shared vehicles are parked, with
 * a capacity. When it is full, operators must stop ending rentals there until places free up.
 */
export type Hub = {
  __typename?: 'Hub';
  /** Vehicles parked within this distance of the area count for the hub. */
  bufferMeters: Scalars['Float']['output'];
  capacity: HubCapacity;
  code: Scalars['String']['output'];
  control: HubControl;
  effectiveFrom: Scalars['DateTime']['output'];
  geometry: Scalars['GeoJSON']['output'];
  /** Status changes, newest first, 50 per page by default (at most 500). */
  history: HubStatusChangeConnection;
  /** Also the id of its zone (kind HUB) and its MDS stop_id / GBFS station_id. */
  id: Scalars['ID']['output'];
  /** The point of a point hub; the centre of a polygon hub's bounding box. */
  location: LatLng;
  /** The municipality the hub lies in, as a zone (kind MUNICIPALITY). */
  municipality: Zone;
  municipalityCode: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** Over all statuses; null until the hub has been counted. */
  openState?: Maybe<HubOpenState>;
  /** All free places, over all statuses. */
  placesAvailable: Scalars['Int']['output'];
  /** Point hubs only: the radius of the circle around `location`. */
  radiusMeters?: Maybe<Scalars['Float']['output']>;
  retireAt?: Maybe<Scalars['DateTime']['output']>;
  /** One status per form factor of the capacity, or one for a combined capacity. */
  status: Array<HubStatus>;
  updatedAt: Scalars['DateTime']['output'];
  /** All vehicles counted, over all statuses. */
  vehicles: Scalars['Int']['output'];
  /** The hub's area as a zone (kind HUB): its polygon, or the circle around a point hub. */
  zone: Zone;
};


/**
 * A microhub (an MDS stop, a GBFS virtual station): an area where shared vehicles are parked, with
 * a capacity. When it is full, operators must stop ending rentals there until places free up.
 */
export type HubHistoryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
};

/** Places for each form factor, or one number of places shared by several form factors. */
export type HubCapacity = {
  __typename?: 'HubCapacity';
  /** The shared capacity; null when the capacity is per form factor. */
  combined?: Maybe<Scalars['Int']['output']>;
  /** The form factors that count towards the shared capacity (all when the hub was given none). */
  combinedFormFactors?: Maybe<Array<FormFactor>>;
  /** Places per form factor; empty when the capacity is combined. */
  perFormFactor: Array<FormFactorCapacity>;
  /** All places together. */
  total: Scalars['Int']['output'];
};

/** Exactly one of `combined` and `perFormFactor`. */
export type HubCapacityInput = {
  /** One number of places shared by every form factor (or by `combinedFormFactors`). */
  combined?: InputMaybe<Scalars['Int']['input']>;
  /** With `combined`: the form factors that count (default: all). */
  combinedFormFactors?: InputMaybe<Array<FormFactor>>;
  /** Places per form factor: vehicles of other form factors don't count. */
  perFormFactor?: InputMaybe<Array<FormFactorCapacityInput>>;
};

export type HubConnection = {
  __typename?: 'HubConnection';
  edges: Array<HubEdge>;
  pageInfo: PageInfo;
  /** Number of hubs matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** Who decides whether a hub is open. */
export type HubControl =
  /** The controller: closes the hub when full, reopens it once enough places are free. */
  | 'AUTOMATIC'
  /** Closed whatever the count. */
  | 'MANUAL_CLOSED'
  /** Open whatever the count (from its effective date on). */
  | 'MANUAL_OPEN';

export type HubEdge = {
  __typename?: 'HubEdge';
  cursor: Scalars['String']['output'];
  node: Hub;
};

export type HubFilter = {
  /** Hubs that take this form factor. */
  formFactor?: InputMaybe<FormFactor>;
  /** Include hubs past their retire date (default false). */
  includeRetired?: InputMaybe<Scalars['Boolean']['input']>;
  /** CBS municipality codes, e.g. ["GM0363"] (at most 1000). */
  municipalityCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** With `formFactor`, the status for that form factor (OPEN or CLOSED); else the hub's state. */
  state?: InputMaybe<HubOpenState>;
};

/** A hub's state over all its form factors. */
export type HubOpenState =
  | 'CLOSED'
  | 'OPEN'
  /** Open for some form factors, closed for others. */
  | 'PARTLY_OPEN';

/** A hub given as a point and a radius (a circle). */
export type HubPointInput = {
  lat: Scalars['Float']['input'];
  lng: Scalars['Float']['input'];
  /** 1 to 500 metres. */
  radiusMeters: Scalars['Float']['input'];
};

/** The live status of a hub for one form factor, or for its combined capacity. */
export type HubStatus = {
  __typename?: 'HubStatus';
  capacity: Scalars['Int']['output'];
  /** null: the hub's combined capacity. */
  formFactor?: Maybe<FormFactor>;
  /** Operators may end rentals here. */
  open: Scalars['Boolean']['output'];
  placesAvailable: Scalars['Int']['output'];
  reason: HubStatusReason;
  /** When `open` last changed. */
  since: Scalars['DateTime']['output'];
  /** When these figures were recorded (they are written when they change). */
  updatedAt: Scalars['DateTime']['output'];
  /** Vehicles parked in the hub or within its buffer, reserved and disabled ones included. */
  vehicles: Scalars['Int']['output'];
  /** Of those, the ones that can be rented now (neither reserved nor disabled). */
  vehiclesAvailable: Scalars['Int']['output'];
};

/** One change of a hub's status: it opened, closed, appeared or was removed. */
export type HubStatusChange = {
  __typename?: 'HubStatusChange';
  at: Scalars['DateTime']['output'];
  capacity: Scalars['Int']['output'];
  /** null: the hub's combined capacity. */
  formFactor?: Maybe<FormFactor>;
  hub: Hub;
  id: Scalars['ID']['output'];
  open: Scalars['Boolean']['output'];
  placesAvailable: Scalars['Int']['output'];
  reason: HubStatusReason;
  vehicles: Scalars['Int']['output'];
};

export type HubStatusChangeConnection = {
  __typename?: 'HubStatusChangeConnection';
  edges: Array<HubStatusChangeEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type HubStatusChangeEdge = {
  __typename?: 'HubStatusChangeEdge';
  cursor: Scalars['String']['output'];
  node: HubStatusChange;
};

/** An event: a hub's status, or its counts, changed. */
export type HubStatusEvent = {
  __typename?: 'HubStatusEvent';
  /** When the hub was counted. */
  at: Scalars['DateTime']['output'];
  capacity: Scalars['Int']['output'];
  /** null: the hub's combined capacity. */
  formFactor?: Maybe<FormFactor>;
  /** null when you may not see the hub any more (it retired). */
  hub?: Maybe<Hub>;
  hubId: Scalars['ID']['output'];
  municipalityCode: Scalars['String']['output'];
  open: Scalars['Boolean']['output'];
  placesAvailable: Scalars['Int']['output'];
  reason: HubStatusReason;
  /** When `open` last changed. */
  since: Scalars['DateTime']['output'];
  vehicles: Scalars['Int']['output'];
  vehiclesAvailable: Scalars['Int']['output'];
};

/** Why a status is open or closed. */
export type HubStatusReason =
  /** Closed: some places are free, but fewer than the share a closed hub needs to reopen (5 %). */
  | 'BELOW_REOPEN_THRESHOLD'
  /** Closed: no place is free. */
  | 'FULL'
  | 'MANUAL_CLOSED'
  | 'MANUAL_OPEN'
  /** Closed: the hub's effective date has not come yet. */
  | 'NOT_YET_EFFECTIVE'
  /** Open: places are free. */
  | 'PLACES_AVAILABLE'
  /** The hub's capacity no longer names this form factor (history and events only). */
  | 'REMOVED'
  /** The hub reached its retire date (history and events only). */
  | 'RETIRED';

export type LatLng = {
  __typename?: 'LatLng';
  lat: Scalars['Float']['output'];
  lng: Scalars['Float']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * A new hub in the municipality containing its location. Like every hub mutation: needs
   * MICROHUB_EDIT in that municipality (or ADMIN), is audited, and counts the hub at once.
   */
  createHub: Hub;
  /** Replace a hub's capacity (MICROHUB_EDIT in its municipality); audited, recounted. */
  setHubCapacity: Hub;
  /**
   * Override the controller (MANUAL_OPEN, MANUAL_CLOSED) or hand the hub back to it (AUTOMATIC);
   * MICROHUB_EDIT in its municipality; audited; the status follows at once.
   */
  setHubControl: Hub;
  /** Edit a hub (MICROHUB_EDIT in its municipality, before and after a move); audited, recounted. */
  updateHub: Hub;
};


export type MutationCreateHubArgs = {
  input: CreateHubInput;
};


export type MutationSetHubCapacityArgs = {
  capacity: HubCapacityInput;
  id: Scalars['ID']['input'];
};


export type MutationSetHubControlArgs = {
  control: HubControl;
  id: Scalars['ID']['input'];
};


export type MutationUpdateHubArgs = {
  id: Scalars['ID']['input'];
  input: UpdateHubInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  hub?: Maybe<Hub>;
  /** Hubs ordered by name, 50 per page by default, at most 500. */
  hubs?: Maybe<HubConnection>;
};


export type QueryHubArgs = {
  id: Scalars['ID']['input'];
};


export type QueryHubsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<HubFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Each time the counts of one of these hubs (at most 500) change. */
  hubOccupancy: HubStatusEvent;
  /**
   * Each time a hub opens, closes, appears or is removed, once per change; optionally only in some
   * municipalities and/or for some hubs. Hubs before their effective date are seen by their
   * municipality only.
   */
  hubStatusChanged: HubStatusEvent;
};


export type SubscriptionHubOccupancyArgs = {
  hubIds: Array<Scalars['ID']['input']>;
};


export type SubscriptionHubStatusChangedArgs = {
  hubIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  municipalities?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** Fields left out stay as they are; `retireAt: null` clears the retire date. */
export type UpdateHubInput = {
  bufferMeters?: InputMaybe<Scalars['Float']['input']>;
  code?: InputMaybe<Scalars['String']['input']>;
  effectiveFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Replaces the area (the hub becomes a polygon hub). */
  geometry?: InputMaybe<Scalars['GeoJSON']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  /** Replaces the area (the hub becomes a point hub). */
  point?: InputMaybe<HubPointInput>;
  retireAt?: InputMaybe<Scalars['DateTime']['input']>;
};

export type Zone = {
  __typename?: 'Zone';
  /**
   * The hubs (not retired) in this zone: for a HUB zone its hub, for a municipality its hubs, for
   * any other zone the hubs whose location lies inside it.
   */
  hubs: Array<Hub>;
  id: Scalars['ID']['output'];
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
  Hub: Hub;
  Zone: Zone;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Hub:
    ( { __typename: 'Hub' }
    & GraphQLRecursivePick<FederationTypes['Hub'], {"id":true}> );
  Zone:
    ( { __typename: 'Zone' }
    & GraphQLRecursivePick<FederationTypes['Zone'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CreateHubInput: CreateHubInput;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FormFactor: FormFactor;
  FormFactorCapacity: ResolverTypeWrapper<FormFactorCapacity>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  FormFactorCapacityInput: FormFactorCapacityInput;
  GeoJSON: ResolverTypeWrapper<Scalars['GeoJSON']['output']>;
  Hub: ResolverTypeWrapper<HubRow>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  HubCapacity: ResolverTypeWrapper<HubCapacity>;
  HubCapacityInput: HubCapacityInput;
  HubConnection: ResolverTypeWrapper<Omit<HubConnection, 'edges'> & { edges: Array<ResolversTypes['HubEdge']> }>;
  HubControl: HubControl;
  HubEdge: ResolverTypeWrapper<Omit<HubEdge, 'node'> & { node: ResolversTypes['Hub'] }>;
  HubFilter: HubFilter;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  HubOpenState: HubOpenState;
  HubPointInput: HubPointInput;
  HubStatus: ResolverTypeWrapper<HubStatusRow>;
  HubStatusChange: ResolverTypeWrapper<HubHistoryRow>;
  HubStatusChangeConnection: ResolverTypeWrapper<Omit<HubStatusChangeConnection, 'edges'> & { edges: Array<ResolversTypes['HubStatusChangeEdge']> }>;
  HubStatusChangeEdge: ResolverTypeWrapper<Omit<HubStatusChangeEdge, 'node'> & { node: ResolversTypes['HubStatusChange'] }>;
  HubStatusEvent: ResolverTypeWrapper<HubEvent>;
  HubStatusReason: HubStatusReason;
  LatLng: ResolverTypeWrapper<LatLng>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UpdateHubInput: UpdateHubInput;
  Zone: ResolverTypeWrapper<ZoneReference>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  CreateHubInput: CreateHubInput;
  Float: Scalars['Float']['output'];
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  FormFactorCapacity: FormFactorCapacity;
  Int: Scalars['Int']['output'];
  FormFactorCapacityInput: FormFactorCapacityInput;
  GeoJSON: Scalars['GeoJSON']['output'];
  Hub: HubRow;
  ID: Scalars['ID']['output'];
  HubCapacity: HubCapacity;
  HubCapacityInput: HubCapacityInput;
  HubConnection: Omit<HubConnection, 'edges'> & { edges: Array<ResolversParentTypes['HubEdge']> };
  HubEdge: Omit<HubEdge, 'node'> & { node: ResolversParentTypes['Hub'] };
  HubFilter: HubFilter;
  Boolean: Scalars['Boolean']['output'];
  HubPointInput: HubPointInput;
  HubStatus: HubStatusRow;
  HubStatusChange: HubHistoryRow;
  HubStatusChangeConnection: Omit<HubStatusChangeConnection, 'edges'> & { edges: Array<ResolversParentTypes['HubStatusChangeEdge']> };
  HubStatusChangeEdge: Omit<HubStatusChangeEdge, 'node'> & { node: ResolversParentTypes['HubStatusChange'] };
  HubStatusEvent: HubEvent;
  LatLng: LatLng;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
  UpdateHubInput: UpdateHubInput;
  Zone: ZoneReference;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type FormFactorCapacityResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['FormFactorCapacity'] = ResolversParentTypes['FormFactorCapacity']> = ResolversObject<{
  formFactor?: Resolver<ResolversTypes['FormFactor'], ParentType, ContextType>;
  places?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export interface GeoJsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['GeoJSON'], any> {
  name: 'GeoJSON';
}

export type HubResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['Hub'] = ResolversParentTypes['Hub'], FederationReferenceType extends FederationReferenceTypes['Hub'] = FederationReferenceTypes['Hub']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Hub']> | FederationReferenceType, FederationReferenceType, ContextType>;
  bufferMeters?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  capacity?: Resolver<ResolversTypes['HubCapacity'], ParentType, ContextType>;
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  control?: Resolver<ResolversTypes['HubControl'], ParentType, ContextType>;
  effectiveFrom?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  geometry?: Resolver<ResolversTypes['GeoJSON'], ParentType, ContextType>;
  history?: Resolver<ResolversTypes['HubStatusChangeConnection'], ParentType, ContextType, Partial<HubHistoryArgs>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  location?: Resolver<ResolversTypes['LatLng'], ParentType, ContextType>;
  municipality?: Resolver<ResolversTypes['Zone'], ParentType, ContextType>;
  municipalityCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  openState?: Resolver<Maybe<ResolversTypes['HubOpenState']>, ParentType, ContextType>;
  placesAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  radiusMeters?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  retireAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<Array<ResolversTypes['HubStatus']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  vehicles?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  zone?: Resolver<ResolversTypes['Zone'], ParentType, ContextType>;
}>;

export type HubCapacityResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['HubCapacity'] = ResolversParentTypes['HubCapacity']> = ResolversObject<{
  combined?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  combinedFormFactors?: Resolver<Maybe<Array<ResolversTypes['FormFactor']>>, ParentType, ContextType>;
  perFormFactor?: Resolver<Array<ResolversTypes['FormFactorCapacity']>, ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type HubConnectionResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['HubConnection'] = ResolversParentTypes['HubConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['HubEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type HubEdgeResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['HubEdge'] = ResolversParentTypes['HubEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Hub'], ParentType, ContextType>;
}>;

export type HubStatusResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['HubStatus'] = ResolversParentTypes['HubStatus']> = ResolversObject<{
  capacity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  formFactor?: Resolver<Maybe<ResolversTypes['FormFactor']>, ParentType, ContextType>;
  open?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  placesAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['HubStatusReason'], ParentType, ContextType>;
  since?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  vehicles?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  vehiclesAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type HubStatusChangeResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['HubStatusChange'] = ResolversParentTypes['HubStatusChange']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  capacity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  formFactor?: Resolver<Maybe<ResolversTypes['FormFactor']>, ParentType, ContextType>;
  hub?: Resolver<ResolversTypes['Hub'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  open?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  placesAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['HubStatusReason'], ParentType, ContextType>;
  vehicles?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type HubStatusChangeConnectionResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['HubStatusChangeConnection'] = ResolversParentTypes['HubStatusChangeConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['HubStatusChangeEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type HubStatusChangeEdgeResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['HubStatusChangeEdge'] = ResolversParentTypes['HubStatusChangeEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['HubStatusChange'], ParentType, ContextType>;
}>;

export type HubStatusEventResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['HubStatusEvent'] = ResolversParentTypes['HubStatusEvent']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  capacity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  formFactor?: Resolver<Maybe<ResolversTypes['FormFactor']>, ParentType, ContextType>;
  hub?: Resolver<Maybe<ResolversTypes['Hub']>, ParentType, ContextType>;
  hubId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  municipalityCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  open?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  placesAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['HubStatusReason'], ParentType, ContextType>;
  since?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  vehicles?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  vehiclesAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type LatLngResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['LatLng'] = ResolversParentTypes['LatLng']> = ResolversObject<{
  lat?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lng?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  createHub?: Resolver<ResolversTypes['Hub'], ParentType, ContextType, RequireFields<MutationCreateHubArgs, 'input'>>;
  setHubCapacity?: Resolver<ResolversTypes['Hub'], ParentType, ContextType, RequireFields<MutationSetHubCapacityArgs, 'capacity' | 'id'>>;
  setHubControl?: Resolver<ResolversTypes['Hub'], ParentType, ContextType, RequireFields<MutationSetHubControlArgs, 'control' | 'id'>>;
  updateHub?: Resolver<ResolversTypes['Hub'], ParentType, ContextType, RequireFields<MutationUpdateHubArgs, 'id' | 'input'>>;
}>;

export type PageInfoResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  hub?: Resolver<Maybe<ResolversTypes['Hub']>, ParentType, ContextType, RequireFields<QueryHubArgs, 'id'>>;
  hubs?: Resolver<Maybe<ResolversTypes['HubConnection']>, ParentType, ContextType, Partial<QueryHubsArgs>>;
}>;

export type SubscriptionResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  hubOccupancy?: SubscriptionResolver<ResolversTypes['HubStatusEvent'], "hubOccupancy", ParentType, ContextType, RequireFields<SubscriptionHubOccupancyArgs, 'hubIds'>>;
  hubStatusChanged?: SubscriptionResolver<ResolversTypes['HubStatusEvent'], "hubStatusChanged", ParentType, ContextType, Partial<SubscriptionHubStatusChangedArgs>>;
}>;

export type ZoneResolvers<ContextType = MicrohubsContext, ParentType extends ResolversParentTypes['Zone'] = ResolversParentTypes['Zone'], FederationReferenceType extends FederationReferenceTypes['Zone'] = FederationReferenceTypes['Zone']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Zone']> | FederationReferenceType, FederationReferenceType, ContextType>;
  hubs?: Resolver<Array<ResolversTypes['Hub']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = MicrohubsContext> = ResolversObject<{
  DateTime?: GraphQLScalarType;
  FormFactorCapacity?: FormFactorCapacityResolvers<ContextType>;
  GeoJSON?: GraphQLScalarType;
  Hub?: HubResolvers<ContextType>;
  HubCapacity?: HubCapacityResolvers<ContextType>;
  HubConnection?: HubConnectionResolvers<ContextType>;
  HubEdge?: HubEdgeResolvers<ContextType>;
  HubStatus?: HubStatusResolvers<ContextType>;
  HubStatusChange?: HubStatusChangeResolvers<ContextType>;
  HubStatusChangeConnection?: HubStatusChangeConnectionResolvers<ContextType>;
  HubStatusChangeEdge?: HubStatusChangeEdgeResolvers<ContextType>;
  HubStatusEvent?: HubStatusEventResolvers<ContextType>;
  LatLng?: LatLngResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Zone?: ZoneResolvers<ContextType>;
}>;

