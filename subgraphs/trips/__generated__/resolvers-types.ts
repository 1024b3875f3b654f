/* eslint-disable */
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { TripRow, RentalCountRow, DailyIndicatorsRow } from '../repository';
import type { ZoneRef } from '../resolvers/Zone';
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

export type DailyIndicatorGroupBy =
  | 'FORM_FACTOR'
  | 'OPERATOR';

/** One day's indicators of a zone (and group: the grouped-by fields are set, the others null). */
export type DailyIndicators = {
  __typename?: 'DailyIndicators';
  /** The calendar day, YYYY-MM-DD. */
  day: Scalars['String']['output'];
  formFactor?: Maybe<FormFactor>;
  nonOperationalLongerThan7Days?: Maybe<Scalars['Int']['output']>;
  /** At 03:30: vehicles non-operational (disabled) for longer than 24 hours and 7 days. */
  nonOperationalLongerThan24Hours?: Maybe<Scalars['Int']['output']>;
  operator?: Maybe<Operator>;
  /** At 03:30: vehicles parked (not moved by a trip or relocation) for longer than 1, 3, 7 and 14 days. */
  parkedLongerThan1Day?: Maybe<Scalars['Int']['output']>;
  parkedLongerThan3Days?: Maybe<Scalars['Int']['output']>;
  parkedLongerThan7Days?: Maybe<Scalars['Int']['output']>;
  parkedLongerThan14Days?: Maybe<Scalars['Int']['output']>;
  /** Null when no trip completed. */
  rentalDurationMeanSeconds?: Maybe<Scalars['Float']['output']>;
  rentalDurationTotalSeconds?: Maybe<Scalars['Float']['output']>;
  /** Completed trips started in the zone: what the durations are of. */
  rentalsCompleted?: Maybe<Scalars['Int']['output']>;
  /** tripsStarted / vehiclesInPublicSpace; null when no vehicle was there. */
  rentalsPerVehicle?: Maybe<Scalars['Float']['output']>;
  /** Whether the report has computed this day; when false, every figure is null. */
  reported: Scalars['Boolean']['output'];
  /** Trips (and rentals of feeds with rotating ids) ended in the zone. */
  tripsEnded?: Maybe<Scalars['Int']['output']>;
  /** Trips (and rentals of feeds with rotating ids) started in the zone. */
  tripsStarted?: Maybe<Scalars['Int']['output']>;
  /** At each of the six moments. */
  vehiclesAt: Array<MeasurementCount>;
  /** The day's figure: the largest of the six moments. */
  vehiclesInPublicSpace?: Maybe<Scalars['Int']['output']>;
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

/** Vehicles in public space at one of the day's measurement moments. */
export type MeasurementCount = {
  __typename?: 'MeasurementCount';
  at: Scalars['DateTime']['output'];
  /** Local time, HH:MM: 03:30, 08:00, 10:30, 14:00, 17:00 or 21:00. */
  moment: Scalars['String']['output'];
  vehicles?: Maybe<Scalars['Int']['output']>;
};

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
  rentalCounts?: Maybe<Array<RentalCount>>;
  /** Where completed trips ended, in 100 m cells, busiest first: 1000 cells by default, at most 10000. */
  tripDestinations?: Maybe<Array<TripPoint>>;
  /** Where trips started, in 100 m cells, busiest first: 1000 cells by default, at most 10000. */
  tripOrigins?: Maybe<Array<TripPoint>>;
  /** Trips ordered by start time: 100 per page by default, at most 1000. */
  trips?: Maybe<TripConnection>;
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
  /**
   * The nightly report's indicators of this zone per day (`from` to `to`, both included, YYYY-MM-DD,
   * Europe/Amsterdam calendar days, at most 366), optionally per operator and/or form factor. One
   * entry per day (and group seen in the range): a day the report has computed and that has no data
   * for a group gives zeros; a day not computed yet gives `reported: false` and null figures, so
   * "nothing happened" and "not known yet" differ. Counts only the operators and municipalities the
   * caller may see.
   */
  dailyIndicators: Array<DailyIndicators>;
  id: Scalars['ID']['output'];
};


export type ZoneDailyIndicatorsArgs = {
  from: Scalars['String']['input'];
  groupBy?: InputMaybe<Array<DailyIndicatorGroupBy>>;
  to: Scalars['String']['input'];
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
  Zone: Zone;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Trip:
    ( { __typename: 'Trip' }
    & GraphQLRecursivePick<FederationTypes['Trip'], {"id":true,"startTime":true}> );
  Zone:
    ( { __typename: 'Zone' }
    & GraphQLRecursivePick<FederationTypes['Zone'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  DailyIndicatorGroupBy: DailyIndicatorGroupBy;
  DailyIndicators: ResolverTypeWrapper<DailyIndicatorsRow>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FormFactor: FormFactor;
  MeasurementCount: ResolverTypeWrapper<MeasurementCount>;
  Operator: ResolverTypeWrapper<Operator>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RentalCount: ResolverTypeWrapper<RentalCountRow>;
  RentalFilter: RentalFilter;
  RentalGroupBy: RentalGroupBy;
  TimeInterval: TimeInterval;
  Trip: ResolverTypeWrapper<TripRow>;
  TripConnection: ResolverTypeWrapper<Omit<TripConnection, 'edges'> & { edges: Array<ResolversTypes['TripEdge']> }>;
  TripEdge: ResolverTypeWrapper<Omit<TripEdge, 'node'> & { node: ResolversTypes['Trip'] }>;
  TripFilter: TripFilter;
  TripPoint: ResolverTypeWrapper<TripPoint>;
  TripSource: TripSource;
  TripStatus: TripStatus;
  TripZoneMatch: TripZoneMatch;
  Zone: ResolverTypeWrapper<ZoneRef>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  DailyIndicators: DailyIndicatorsRow;
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
  Float: Scalars['Float']['output'];
  Boolean: Scalars['Boolean']['output'];
  DateTime: Scalars['DateTime']['output'];
  MeasurementCount: MeasurementCount;
  Operator: Operator;
  ID: Scalars['ID']['output'];
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  RentalCount: RentalCountRow;
  RentalFilter: RentalFilter;
  Trip: TripRow;
  TripConnection: Omit<TripConnection, 'edges'> & { edges: Array<ResolversParentTypes['TripEdge']> };
  TripEdge: Omit<TripEdge, 'node'> & { node: ResolversParentTypes['Trip'] };
  TripFilter: TripFilter;
  TripPoint: TripPoint;
  Zone: ZoneRef;
}>;

export type DailyIndicatorsResolvers<ContextType = TripsContext, ParentType extends ResolversParentTypes['DailyIndicators'] = ResolversParentTypes['DailyIndicators']> = ResolversObject<{
  day?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  formFactor?: Resolver<Maybe<ResolversTypes['FormFactor']>, ParentType, ContextType>;
  nonOperationalLongerThan7Days?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  nonOperationalLongerThan24Hours?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  operator?: Resolver<Maybe<ResolversTypes['Operator']>, ParentType, ContextType>;
  parkedLongerThan1Day?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  parkedLongerThan3Days?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  parkedLongerThan7Days?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  parkedLongerThan14Days?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  rentalDurationMeanSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  rentalDurationTotalSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  rentalsCompleted?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  rentalsPerVehicle?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  reported?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  tripsEnded?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  tripsStarted?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  vehiclesAt?: Resolver<Array<ResolversTypes['MeasurementCount']>, ParentType, ContextType>;
  vehiclesInPublicSpace?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MeasurementCountResolvers<ContextType = TripsContext, ParentType extends ResolversParentTypes['MeasurementCount'] = ResolversParentTypes['MeasurementCount']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  moment?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  vehicles?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

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
  rentalCounts?: Resolver<Maybe<Array<ResolversTypes['RentalCount']>>, ParentType, ContextType, RequireFields<QueryRentalCountsArgs, 'filter' | 'interval'>>;
  tripDestinations?: Resolver<Maybe<Array<ResolversTypes['TripPoint']>>, ParentType, ContextType, RequireFields<QueryTripDestinationsArgs, 'filter'>>;
  tripOrigins?: Resolver<Maybe<Array<ResolversTypes['TripPoint']>>, ParentType, ContextType, RequireFields<QueryTripOriginsArgs, 'filter'>>;
  trips?: Resolver<Maybe<ResolversTypes['TripConnection']>, ParentType, ContextType, RequireFields<QueryTripsArgs, 'filter'>>;
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

export type ZoneResolvers<ContextType = TripsContext, ParentType extends ResolversParentTypes['Zone'] = ResolversParentTypes['Zone'], FederationReferenceType extends FederationReferenceTypes['Zone'] = FederationReferenceTypes['Zone']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Zone']> | FederationReferenceType, FederationReferenceType, ContextType>;
  dailyIndicators?: Resolver<Array<ResolversTypes['DailyIndicators']>, ParentType, ContextType, RequireFields<ZoneDailyIndicatorsArgs, 'from' | 'to'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = TripsContext> = ResolversObject<{
  DailyIndicators?: DailyIndicatorsResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  MeasurementCount?: MeasurementCountResolvers<ContextType>;
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

