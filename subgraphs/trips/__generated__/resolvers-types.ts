/* eslint-disable */
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { TripRow, RentalCountRow } from '../repository';
import type { TripsContext } from '../context';
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
  _FieldSet: { input: string; output: string; }
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

export type Operator = {
  __typename?: 'Operator';
  id: Scalars['ID']['output'];
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
  /**
   * Rental starts and ends per hour or day (in timeZone, an IANA name, default Europe/Amsterdam,
   * daylight saving time included), optionally grouped. Buckets with neither are left out. These
   * count every rental, also of feeds with rotating vehicle ids, whose trips can't be paired.
   */
  rentalCounts: Array<RentalCount>;
  /** Where completed trips ended, in 100 m cells, busiest first: 1000 cells by default, at most 10000. */
  tripDestinations: Array<TripPoint>;
  /** Where trips started, in 100 m cells, busiest first: 1000 cells by default, at most 10000. */
  tripOrigins: Array<TripPoint>;
  /** Trips ordered by start time: 100 per page by default, at most 1000. */
  trips: TripConnection;
};


export type QueryRentalCountsArgs = {
  filter: RentalFilter;
  groupBy?: InputMaybe<Array<RentalGroupBy>>;
  interval: TimeInterval;
  timeZone?: InputMaybe<Scalars['String']['input']>;
};


export type QueryTripDestinationsArgs = {
  filter: TripFilter;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryTripOriginsArgs = {
  filter: TripFilter;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryTripsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter: TripFilter;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Rentals started and ended in one time bucket (and group: the grouped-by fields are set, the others null). */
export type RentalCount = {
  __typename?: 'RentalCount';
  ends: Scalars['Int']['output'];
  formFactor?: Maybe<FormFactor>;
  municipalityCode?: Maybe<Scalars['String']['output']>;
  operator?: Maybe<Operator>;
  /** Start of the bucket. */
  start: Scalars['DateTime']['output'];
  starts: Scalars['Int']['output'];
  zone?: Maybe<Zone>;
};

/** Rental starts and ends at [from, to) (at most 31 days), in the caller's scope. */
export type RentalFilter = {
  formFactors?: InputMaybe<Array<FormFactor>>;
  from: Scalars['DateTime']['input'];
  municipalityCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  operatorIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  to: Scalars['DateTime']['input'];
  /** Rentals starting or ending in any of these zones (at most 500). */
  zoneIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type RentalGroupBy =
  | 'FORM_FACTOR'
  | 'MUNICIPALITY'
  | 'OPERATOR'
  /** Per zone of filter.zoneIds (which is then required). */
  | 'ZONE';

export type TimeInterval =
  | 'DAY'
  | 'HOUR';

/** A rental: a vehicle taken at one place and left at another. */
export type Trip = {
  __typename?: 'Trip';
  distanceMeters?: Maybe<Scalars['Int']['output']>;
  durationSeconds?: Maybe<Scalars['Int']['output']>;
  endLat?: Maybe<Scalars['Float']['output']>;
  endLng?: Maybe<Scalars['Float']['output']>;
  endMunicipalityCode?: Maybe<Scalars['String']['output']>;
  /** Null while the trip is open. */
  endTime?: Maybe<Scalars['DateTime']['output']>;
  endZone?: Maybe<Zone>;
  endZones: Array<Zone>;
  formFactor: FormFactor;
  id: Scalars['ID']['output'];
  /** CBS code of the municipality it started in, e.g. GM0363. */
  municipalityCode?: Maybe<Scalars['String']['output']>;
  operator: Operator;
  source: TripSource;
  startLat: Scalars['Float']['output'];
  startLng: Scalars['Float']['output'];
  startTime: Scalars['DateTime']['output'];
  /** The most specific administrative zone it started in: neighbourhood, else district, else municipality. */
  startZone?: Maybe<Zone>;
  /** Every zone it started in that the caller may see, smallest first. */
  startZones: Array<Zone>;
  status: TripStatus;
  /** The id in the operator's feed; null for MDS trips of vehicles with rotating ids. */
  vehicleId?: Maybe<Scalars['String']['output']>;
  vehicleTypeId?: Maybe<Scalars['String']['output']>;
};

export type TripConnection = {
  __typename?: 'TripConnection';
  edges: Array<TripEdge>;
  pageInfo: PageInfo;
  /** Trips matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type TripEdge = {
  __typename?: 'TripEdge';
  cursor: Scalars['String']['output'];
  node: Trip;
};

/**
 * Trips that started in [from, to) (at most 31 days); every other condition given must hold too, and a
 * list matches any of its values. Results are always limited to the caller's scope.
 */
export type TripFilter = {
  formFactors?: InputMaybe<Array<FormFactor>>;
  from: Scalars['DateTime']['input'];
  /** CBS codes where the trip started and/or ended, per zoneMatch (at most 500). */
  municipalityCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  operatorIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Default: COMPLETED and OPEN (not the cancelled, expired or superseded ones). */
  statuses?: InputMaybe<Array<TripStatus>>;
  to: Scalars['DateTime']['input'];
  /** Zones where the trip started and/or ended, per zoneMatch (at most 500). */
  zoneIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Default START_OR_END. */
  zoneMatch?: InputMaybe<TripZoneMatch>;
};

/**
 * A cell of about 100 m by 100 m: 0.001 degree of latitude (111 m) by the longitude that spans 111 m
 * at the cell's latitude. lat/lng is the cell's centre, never a trip's own position.
 */
export type TripPoint = {
  __typename?: 'TripPoint';
  count: Scalars['Int']['output'];
  lat: Scalars['Float']['output'];
  lng: Scalars['Float']['output'];
};

export type TripSource =
  /** Paired from a vehicle's disappearance and reappearance in the feed. */
  | 'INFERRED'
  /** Published by the operator (MDS /trips). */
  | 'MDS_EXACT';

export type TripStatus =
  /** The vehicle came back within minutes at the same place: a reservation or a glitch, not a trip. */
  | 'CANCELLED'
  | 'COMPLETED'
  /** Never ended within the maximum trip duration. */
  | 'EXPIRED'
  /** Started, not ended yet. */
  | 'OPEN'
  /** Replaced by the operator's own (MDS) record of the same trip. */
  | 'SUPERSEDED';

/** Where zoneIds and municipalityCodes must match a trip. */
export type TripZoneMatch =
  | 'END'
  | 'START'
  | 'START_OR_END';

export type Zone = {
  __typename?: 'Zone';
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
  Trip: Trip;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Trip:
    ( { __typename: 'Trip' }
    & GraphQLRecursivePick<FederationTypes['Trip'], {"id":true,"startTime":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FormFactor: FormFactor;
  Operator: ResolverTypeWrapper<Operator>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  RentalCount: ResolverTypeWrapper<RentalCountRow>;
  RentalFilter: RentalFilter;
  RentalGroupBy: RentalGroupBy;
  TimeInterval: TimeInterval;
  Trip: ResolverTypeWrapper<TripRow>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  TripConnection: ResolverTypeWrapper<Omit<TripConnection, 'edges'> & { edges: Array<ResolversTypes['TripEdge']> }>;
  TripEdge: ResolverTypeWrapper<Omit<TripEdge, 'node'> & { node: ResolversTypes['Trip'] }>;
  TripFilter: TripFilter;
  TripPoint: ResolverTypeWrapper<TripPoint>;
  TripSource: TripSource;
  TripStatus: TripStatus;
  TripZoneMatch: TripZoneMatch;
  Zone: ResolverTypeWrapper<Zone>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  DateTime: Scalars['DateTime']['output'];
  Operator: Operator;
  ID: Scalars['ID']['output'];
  PageInfo: PageInfo;
  String: Scalars['String']['output'];
  Boolean: Scalars['Boolean']['output'];
  Query: Record<PropertyKey, never>;
  Int: Scalars['Int']['output'];
  RentalCount: RentalCountRow;
  RentalFilter: RentalFilter;
  Trip: TripRow;
  Float: Scalars['Float']['output'];
  TripConnection: Omit<TripConnection, 'edges'> & { edges: Array<ResolversParentTypes['TripEdge']> };
  TripEdge: Omit<TripEdge, 'node'> & { node: ResolversParentTypes['Trip'] };
  TripFilter: TripFilter;
  TripPoint: TripPoint;
  Zone: Zone;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type OperatorResolvers<ContextType = TripsContext, ParentType extends ResolversParentTypes['Operator'] = ResolversParentTypes['Operator']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = TripsContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = TripsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  rentalCounts?: Resolver<Array<ResolversTypes['RentalCount']>, ParentType, ContextType, RequireFields<QueryRentalCountsArgs, 'filter' | 'interval'>>;
  tripDestinations?: Resolver<Array<ResolversTypes['TripPoint']>, ParentType, ContextType, RequireFields<QueryTripDestinationsArgs, 'filter'>>;
  tripOrigins?: Resolver<Array<ResolversTypes['TripPoint']>, ParentType, ContextType, RequireFields<QueryTripOriginsArgs, 'filter'>>;
  trips?: Resolver<ResolversTypes['TripConnection'], ParentType, ContextType, RequireFields<QueryTripsArgs, 'filter'>>;
}>;

export type RentalCountResolvers<ContextType = TripsContext, ParentType extends ResolversParentTypes['RentalCount'] = ResolversParentTypes['RentalCount']> = ResolversObject<{
  ends?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  formFactor?: Resolver<Maybe<ResolversTypes['FormFactor']>, ParentType, ContextType>;
  municipalityCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  operator?: Resolver<Maybe<ResolversTypes['Operator']>, ParentType, ContextType>;
  start?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  starts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  zone?: Resolver<Maybe<ResolversTypes['Zone']>, ParentType, ContextType>;
}>;

export type TripResolvers<ContextType = TripsContext, ParentType extends ResolversParentTypes['Trip'] = ResolversParentTypes['Trip'], FederationReferenceType extends FederationReferenceTypes['Trip'] = FederationReferenceTypes['Trip']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Trip']> | FederationReferenceType, FederationReferenceType, ContextType>;
  distanceMeters?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  durationSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  endLat?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  endLng?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  endMunicipalityCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  endTime?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  endZone?: Resolver<Maybe<ResolversTypes['Zone']>, ParentType, ContextType>;
  endZones?: Resolver<Array<ResolversTypes['Zone']>, ParentType, ContextType>;
  formFactor?: Resolver<ResolversTypes['FormFactor'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  municipalityCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  operator?: Resolver<ResolversTypes['Operator'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['TripSource'], ParentType, ContextType>;
  startLat?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  startLng?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  startTime?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  startZone?: Resolver<Maybe<ResolversTypes['Zone']>, ParentType, ContextType>;
  startZones?: Resolver<Array<ResolversTypes['Zone']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['TripStatus'], ParentType, ContextType>;
  vehicleId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vehicleTypeId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type TripConnectionResolvers<ContextType = TripsContext, ParentType extends ResolversParentTypes['TripConnection'] = ResolversParentTypes['TripConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['TripEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type TripEdgeResolvers<ContextType = TripsContext, ParentType extends ResolversParentTypes['TripEdge'] = ResolversParentTypes['TripEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Trip'], ParentType, ContextType>;
}>;

export type TripPointResolvers<ContextType = TripsContext, ParentType extends ResolversParentTypes['TripPoint'] = ResolversParentTypes['TripPoint']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lat?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lng?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type ZoneResolvers<ContextType = TripsContext, ParentType extends ResolversParentTypes['Zone'] = ResolversParentTypes['Zone']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = TripsContext> = ResolversObject<{
  DateTime?: GraphQLScalarType;
  Operator?: OperatorResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RentalCount?: RentalCountResolvers<ContextType>;
  Trip?: TripResolvers<ContextType>;
  TripConnection?: TripConnectionResolvers<ContextType>;
  TripEdge?: TripEdgeResolvers<ContextType>;
  TripPoint?: TripPointResolvers<ContextType>;
  Zone?: ZoneResolvers<ContextType>;
}>;

