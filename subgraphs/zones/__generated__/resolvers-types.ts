/* eslint-disable */
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ZoneRow } from '../../../lib/domain/zones';
import type { ZonesContext } from '../context';
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
  /**
   * One column of a series as a single value: a JSON array with one number (or null where nothing
   * was counted) per bucket, in the order of `bucketStarts`, the same numbers as the list field of the
   * same name without `Column`. A list field costs GraphQL one item per bucket, in the subgraph and
   * again in the gateway: a year of days for 300 zones is ~110 000 items, which took longer than
   * reading them from the database. A column is one value however long. Ask the bucket starts once
   * per request with `Query.seriesBuckets` rather than `bucketStarts` in every zone.
   */
  SeriesColumn: { input: (number | null)[]; output: (number | null)[]; }
  _FieldSet: { input: string; output: string; }
};

export type AvailabilityGroup = {
  __typename?: 'AvailabilityGroup';
  /** Parked and not out of order (reserved vehicles included). */
  available: Array<Maybe<Scalars['Float']['output']>>;
  /** `available` as one value (see SeriesColumn): for many zones in one request. */
  availableColumn: Scalars['SeriesColumn']['output'];
  /** Set when grouped by FORM_FACTOR. */
  formFactor?: Maybe<FormFactor>;
  /** Set when grouped by OPERATOR. */
  operatorId?: Maybe<Scalars['String']['output']>;
  /** All parked vehicles: its MIN and MAX are of the sum, not sums of MIN and MAX. */
  total: Array<Maybe<Scalars['Float']['output']>>;
  /** `total` as one value (see SeriesColumn). */
  totalColumn: Scalars['SeriesColumn']['output'];
  /** Parked but out of order (disabled, non-operational). */
  unavailable: Array<Maybe<Scalars['Float']['output']>>;
  /** `unavailable` as one value (see SeriesColumn). */
  unavailableColumn: Scalars['SeriesColumn']['output'];
};

/**
 * A series in columns: value i of every list belongs to the bucket [bucketStarts[i],
 * bucketStarts[i + 1]) (the last one ends at `end`). Columns keep a year of days for 300 zones small.
 */
export type AvailabilitySeries = {
  __typename?: 'AvailabilitySeries';
  aggregate: SeriesAggregate;
  bucketStarts: Array<Scalars['DateTime']['output']>;
  end: Scalars['DateTime']['output'];
  /** One group without groupBy; otherwise one per operator and/or form factor seen in the range. */
  groups: Array<AvailabilityGroup>;
  resolution: SeriesResolution;
  timeZone: Scalars['String']['output'];
};

export type BoundingBox = {
  __typename?: 'BoundingBox';
  maxLat: Scalars['Float']['output'];
  maxLng: Scalars['Float']['output'];
  minLat: Scalars['Float']['output'];
  minLng: Scalars['Float']['output'];
};

export type BoundingBoxInput = {
  maxLat: Scalars['Float']['input'];
  maxLng: Scalars['Float']['input'];
  minLat: Scalars['Float']['input'];
  minLng: Scalars['Float']['input'];
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

/** The kinds of zone a city imports from a file. */
export type ImportableZoneKind =
  | 'DISTRICT'
  | 'NEIGHBOURHOOD';

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Imports districts or neighbourhoods: each feature's municipality follows from its CBS code, and
   * the zone must lie in it. Known codes are updated in place (ids stay), zones the file no longer
   * lists are retired. All or nothing: a bad file is refused (BAD_USER_INPUT naming the feature index
   * and the reason) and changes nothing. ADMIN, or ORGANISATION_ADMIN of an organisation that owns
   * every municipality in the file; audited.
   */
  importZones: ZoneImportResult;
};


export type MutationImportZonesArgs = {
  input: ZoneImportInput;
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
   * The buckets `Zone.availability` and `Zone.rentals` answer with these arguments (same rounding,
   * limits and errors): ask once per request with the zones' `...Column` fields instead of
   * `bucketStarts` in every zone.
   */
  seriesBuckets: SeriesBuckets;
  /**
   * The zone with this id. An id no zone has, and the id of a zone the caller may not see (another
   * organisation's custom zone, a hub not in effect), are both BAD_USER_INPUT "no zone with id ...".
   */
  zone?: Maybe<Zone>;
  /**
   * The zone containing the point. With no kind, the smallest administrative zone (municipality,
   * district or neighbourhood) that contains it; ask for CUSTOM or HUB zones with `kind`. Null when
   * no such zone contains the point.
   */
  zoneAt?: Maybe<Zone>;
  /** Zones ordered by name, 50 per page by default, at most 500. */
  zones?: Maybe<ZoneConnection>;
};


export type QuerySeriesBucketsArgs = {
  from: Scalars['DateTime']['input'];
  resolution: SeriesResolution;
  timeZone?: Scalars['String']['input'];
  to: Scalars['DateTime']['input'];
};


export type QueryZoneArgs = {
  id: Scalars['ID']['input'];
};


export type QueryZoneAtArgs = {
  kind?: InputMaybe<ZoneKind>;
  lat: Scalars['Float']['input'];
  lng: Scalars['Float']['input'];
};


export type QueryZonesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ZoneFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type RentalGroup = {
  __typename?: 'RentalGroup';
  ended: Array<Maybe<Scalars['Int']['output']>>;
  /** `ended` as one value (see SeriesColumn). */
  endedColumn: Scalars['SeriesColumn']['output'];
  formFactor?: Maybe<FormFactor>;
  operatorId?: Maybe<Scalars['String']['output']>;
  started: Array<Maybe<Scalars['Int']['output']>>;
  /** `started` as one value (see SeriesColumn): for many zones in one request. */
  startedColumn: Scalars['SeriesColumn']['output'];
};

export type RentalSeries = {
  __typename?: 'RentalSeries';
  bucketStarts: Array<Scalars['DateTime']['output']>;
  end: Scalars['DateTime']['output'];
  groups: Array<RentalGroup>;
  resolution: SeriesResolution;
  timeZone: Scalars['String']['output'];
};

/** How the 5-minute counts within a bucket become the bucket's value (exact at every resolution). */
export type SeriesAggregate =
  | 'AVG'
  | 'MAX'
  | 'MIN';

/** The buckets of a series: the same for every zone asked with the same arguments. */
export type SeriesBuckets = {
  __typename?: 'SeriesBuckets';
  bucketStarts: Array<Scalars['DateTime']['output']>;
  /** The end of the last bucket. */
  end: Scalars['DateTime']['output'];
  resolution: SeriesResolution;
  timeZone: Scalars['String']['output'];
};

export type SeriesGroupBy =
  | 'FORM_FACTOR'
  | 'OPERATOR';

export type SeriesResolution =
  | 'DAY'
  | 'FIFTEEN_MINUTES'
  | 'FIVE_MINUTES'
  | 'HOUR'
  /** Calendar months in the time zone. */
  | 'MONTH'
  /** Calendar weeks, Monday 00:00 to Monday 00:00 in the time zone. */
  | 'WEEK';

/**
 * An area on the map: a municipality (code like GM0363), district (WK...), neighbourhood (BU...), a
 * custom area drawn by an organisation, or a microhub's area.
 */
export type Zone = {
  __typename?: 'Zone';
  /** Area on the ground in square kilometres. */
  areaKm2: Scalars['Float']['output'];
  /**
   * Vehicles parked in public space in this zone over time, from the 5-minute counts of the
   * zone_stats job (a count is taken at every 5-minute instant), as MIN, MAX or AVG of those counts
   * per bucket of `resolution`. Buckets start at calendar boundaries in `timeZone` (default
   * Europe/Amsterdam): `from` is rounded down and `to` up to whole buckets; DAY, WEEK (Monday to
   * Monday) and MONTH follow daylight saving time, so a day has 23, 24 or 25 hours.
   *
   * Gaps: a bucket in which no count was ever taken (before the history began, beyond the retention
   * of its resolution, in the future) is `null`; a measured bucket without vehicles is `0`. A chart
   * must tell "nothing parked" from "not measured", and a zero would draw the second as the first.
   *
   * Scope: ADMIN and the zone's municipality see every operator; an operator sees its own fleet (with
   * several operators and without OPERATOR in groupBy, only at FIVE_MINUTES or FIFTEEN_MINUTES, where
   * their fleets are added up per count). Anyone else gets `null`.
   *
   * Limits of from..to: FIVE_MINUTES 7 days, FIFTEEN_MINUTES 31 days, HOUR 92 days, DAY 1100 days,
   * WEEK and MONTH 3660 days. A time zone whose offset is not a whole number of hours is answered from
   * 5-minute data, up to 31 days.
   */
  availability?: Maybe<AvailabilitySeries>;
  bbox: BoundingBox;
  /** Official code: CBS code for municipalities (GM0363), districts (WK036300), neighbourhoods (BU03630000). */
  code: Scalars['String']['output'];
  /** The zone's outline as a GeoJSON Polygon or MultiPolygon (holes and islands included). */
  geometry: Scalars['GeoJSON']['output'];
  id: Scalars['ID']['output'];
  kind: ZoneKind;
  name: Scalars['String']['output'];
  /**
   * Rentals (trips) started and ended in this zone per bucket: the same buckets, gaps, scope and
   * limits as `availability`; a trip counts in the zone where it started (started) and where it
   * ended (ended).
   */
  rentals?: Maybe<RentalSeries>;
  /**
   * When a re-import stopped listing this zone. A retired zone keeps its history (reports, trips)
   * but is no longer assigned to new events and is left out of `zones` unless asked for.
   */
  retiredAt?: Maybe<Scalars['DateTime']['output']>;
};


/**
 * An area on the map: a municipality (code like GM0363), district (WK...), neighbourhood (BU...), a
 * custom area drawn by an organisation, or a microhub's area.
 */
export type ZoneAvailabilityArgs = {
  aggregate?: SeriesAggregate;
  from: Scalars['DateTime']['input'];
  groupBy?: InputMaybe<Array<SeriesGroupBy>>;
  resolution: SeriesResolution;
  timeZone?: Scalars['String']['input'];
  to: Scalars['DateTime']['input'];
};


/**
 * An area on the map: a municipality (code like GM0363), district (WK...), neighbourhood (BU...), a
 * custom area drawn by an organisation, or a microhub's area.
 */
export type ZoneRentalsArgs = {
  from: Scalars['DateTime']['input'];
  groupBy?: InputMaybe<Array<SeriesGroupBy>>;
  resolution: SeriesResolution;
  timeZone?: Scalars['String']['input'];
  to: Scalars['DateTime']['input'];
};

export type ZoneConnection = {
  __typename?: 'ZoneConnection';
  edges: Array<ZoneEdge>;
  pageInfo: PageInfo;
  /** Number of zones matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type ZoneEdge = {
  __typename?: 'ZoneEdge';
  cursor: Scalars['String']['output'];
  node: Zone;
};

export type ZoneFilter = {
  /** Zones whose bounding box intersects this box. */
  bbox?: InputMaybe<BoundingBoxInput>;
  /** Exact codes, e.g. ["GM0363", "GM0599"] (at most 1000). */
  codes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Also list retired zones (default false). */
  includeRetired?: InputMaybe<Scalars['Boolean']['input']>;
  kind?: InputMaybe<ZoneKind>;
  /** Zones in these municipalities (CBS codes, e.g. ["GM0363"]), the municipality included when of the kind asked. */
  municipalityCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Case-insensitive substring of the name. */
  nameContains?: InputMaybe<Scalars['String']['input']>;
};

export type ZoneImportInput = {
  /** Feature property with the CBS code (WK036300 / BU03630000); default statcode. */
  codeProperty?: InputMaybe<Scalars['String']['input']>;
  /** The file's text: a GeoJSON FeatureCollection of Polygons / MultiPolygons in WGS84 [lng, lat]. */
  geojson: Scalars['String']['input'];
  kind: ImportableZoneKind;
  /** Feature property with the name; default statnaam (the code when absent). */
  nameProperty?: InputMaybe<Scalars['String']['input']>;
};

export type ZoneImportResult = {
  __typename?: 'ZoneImportResult';
  inserted: Scalars['Int']['output'];
  /** The municipalities (CBS codes) the file's zones lie in. */
  municipalityCodes: Array<Scalars['String']['output']>;
  /** Zones of this kind in the file's municipalities that the file no longer lists. */
  retired: Scalars['Int']['output'];
  unchanged: Scalars['Int']['output'];
  updated: Scalars['Int']['output'];
};

export type ZoneKind =
  | 'CUSTOM'
  | 'DISTRICT'
  /** A microhub's area (the microhubs subgraph's Hub with the same id). */
  | 'HUB'
  | 'MUNICIPALITY'
  | 'NEIGHBOURHOOD';

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
  Zone: Zone;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Zone:
    ( { __typename: 'Zone' }
    & GraphQLRecursivePick<FederationTypes['Zone'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AvailabilityGroup: ResolverTypeWrapper<AvailabilityGroup>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AvailabilitySeries: ResolverTypeWrapper<AvailabilitySeries>;
  BoundingBox: ResolverTypeWrapper<BoundingBox>;
  BoundingBoxInput: BoundingBoxInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FormFactor: FormFactor;
  GeoJSON: ResolverTypeWrapper<Scalars['GeoJSON']['output']>;
  ImportableZoneKind: ImportableZoneKind;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  RentalGroup: ResolverTypeWrapper<RentalGroup>;
  RentalSeries: ResolverTypeWrapper<RentalSeries>;
  SeriesAggregate: SeriesAggregate;
  SeriesBuckets: ResolverTypeWrapper<SeriesBuckets>;
  SeriesColumn: ResolverTypeWrapper<Scalars['SeriesColumn']['output']>;
  SeriesGroupBy: SeriesGroupBy;
  SeriesResolution: SeriesResolution;
  Zone: ResolverTypeWrapper<ZoneRow>;
  ZoneConnection: ResolverTypeWrapper<Omit<ZoneConnection, 'edges'> & { edges: Array<ResolversTypes['ZoneEdge']> }>;
  ZoneEdge: ResolverTypeWrapper<Omit<ZoneEdge, 'node'> & { node: ResolversTypes['Zone'] }>;
  ZoneFilter: ZoneFilter;
  ZoneImportInput: ZoneImportInput;
  ZoneImportResult: ResolverTypeWrapper<ZoneImportResult>;
  ZoneKind: ZoneKind;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AvailabilityGroup: AvailabilityGroup;
  Float: Scalars['Float']['output'];
  String: Scalars['String']['output'];
  AvailabilitySeries: AvailabilitySeries;
  BoundingBox: BoundingBox;
  BoundingBoxInput: BoundingBoxInput;
  DateTime: Scalars['DateTime']['output'];
  GeoJSON: Scalars['GeoJSON']['output'];
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Query: Record<PropertyKey, never>;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  RentalGroup: RentalGroup;
  RentalSeries: RentalSeries;
  SeriesBuckets: SeriesBuckets;
  SeriesColumn: Scalars['SeriesColumn']['output'];
  Zone: ZoneRow;
  ZoneConnection: Omit<ZoneConnection, 'edges'> & { edges: Array<ResolversParentTypes['ZoneEdge']> };
  ZoneEdge: Omit<ZoneEdge, 'node'> & { node: ResolversParentTypes['Zone'] };
  ZoneFilter: ZoneFilter;
  ZoneImportInput: ZoneImportInput;
  ZoneImportResult: ZoneImportResult;
}>;

export type AvailabilityGroupResolvers<ContextType = ZonesContext, ParentType extends ResolversParentTypes['AvailabilityGroup'] = ResolversParentTypes['AvailabilityGroup']> = ResolversObject<{
  available?: Resolver<Array<Maybe<ResolversTypes['Float']>>, ParentType, ContextType>;
  availableColumn?: Resolver<ResolversTypes['SeriesColumn'], ParentType, ContextType>;
  formFactor?: Resolver<Maybe<ResolversTypes['FormFactor']>, ParentType, ContextType>;
  operatorId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  total?: Resolver<Array<Maybe<ResolversTypes['Float']>>, ParentType, ContextType>;
  totalColumn?: Resolver<ResolversTypes['SeriesColumn'], ParentType, ContextType>;
  unavailable?: Resolver<Array<Maybe<ResolversTypes['Float']>>, ParentType, ContextType>;
  unavailableColumn?: Resolver<ResolversTypes['SeriesColumn'], ParentType, ContextType>;
}>;

export type AvailabilitySeriesResolvers<ContextType = ZonesContext, ParentType extends ResolversParentTypes['AvailabilitySeries'] = ResolversParentTypes['AvailabilitySeries']> = ResolversObject<{
  aggregate?: Resolver<ResolversTypes['SeriesAggregate'], ParentType, ContextType>;
  bucketStarts?: Resolver<Array<ResolversTypes['DateTime']>, ParentType, ContextType>;
  end?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  groups?: Resolver<Array<ResolversTypes['AvailabilityGroup']>, ParentType, ContextType>;
  resolution?: Resolver<ResolversTypes['SeriesResolution'], ParentType, ContextType>;
  timeZone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type BoundingBoxResolvers<ContextType = ZonesContext, ParentType extends ResolversParentTypes['BoundingBox'] = ResolversParentTypes['BoundingBox']> = ResolversObject<{
  maxLat?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  maxLng?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  minLat?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  minLng?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface GeoJsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['GeoJSON'], any> {
  name: 'GeoJSON';
}

export type MutationResolvers<ContextType = ZonesContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  importZones?: Resolver<ResolversTypes['ZoneImportResult'], ParentType, ContextType, RequireFields<MutationImportZonesArgs, 'input'>>;
}>;

export type PageInfoResolvers<ContextType = ZonesContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = ZonesContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  seriesBuckets?: Resolver<ResolversTypes['SeriesBuckets'], ParentType, ContextType, RequireFields<QuerySeriesBucketsArgs, 'from' | 'resolution' | 'timeZone' | 'to'>>;
  zone?: Resolver<Maybe<ResolversTypes['Zone']>, ParentType, ContextType, RequireFields<QueryZoneArgs, 'id'>>;
  zoneAt?: Resolver<Maybe<ResolversTypes['Zone']>, ParentType, ContextType, RequireFields<QueryZoneAtArgs, 'lat' | 'lng'>>;
  zones?: Resolver<Maybe<ResolversTypes['ZoneConnection']>, ParentType, ContextType, Partial<QueryZonesArgs>>;
}>;

export type RentalGroupResolvers<ContextType = ZonesContext, ParentType extends ResolversParentTypes['RentalGroup'] = ResolversParentTypes['RentalGroup']> = ResolversObject<{
  ended?: Resolver<Array<Maybe<ResolversTypes['Int']>>, ParentType, ContextType>;
  endedColumn?: Resolver<ResolversTypes['SeriesColumn'], ParentType, ContextType>;
  formFactor?: Resolver<Maybe<ResolversTypes['FormFactor']>, ParentType, ContextType>;
  operatorId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  started?: Resolver<Array<Maybe<ResolversTypes['Int']>>, ParentType, ContextType>;
  startedColumn?: Resolver<ResolversTypes['SeriesColumn'], ParentType, ContextType>;
}>;

export type RentalSeriesResolvers<ContextType = ZonesContext, ParentType extends ResolversParentTypes['RentalSeries'] = ResolversParentTypes['RentalSeries']> = ResolversObject<{
  bucketStarts?: Resolver<Array<ResolversTypes['DateTime']>, ParentType, ContextType>;
  end?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  groups?: Resolver<Array<ResolversTypes['RentalGroup']>, ParentType, ContextType>;
  resolution?: Resolver<ResolversTypes['SeriesResolution'], ParentType, ContextType>;
  timeZone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type SeriesBucketsResolvers<ContextType = ZonesContext, ParentType extends ResolversParentTypes['SeriesBuckets'] = ResolversParentTypes['SeriesBuckets']> = ResolversObject<{
  bucketStarts?: Resolver<Array<ResolversTypes['DateTime']>, ParentType, ContextType>;
  end?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  resolution?: Resolver<ResolversTypes['SeriesResolution'], ParentType, ContextType>;
  timeZone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface SeriesColumnScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['SeriesColumn'], any> {
  name: 'SeriesColumn';
}

export type ZoneResolvers<ContextType = ZonesContext, ParentType extends ResolversParentTypes['Zone'] = ResolversParentTypes['Zone'], FederationReferenceType extends FederationReferenceTypes['Zone'] = FederationReferenceTypes['Zone']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Zone']> | FederationReferenceType, FederationReferenceType, ContextType>;
  areaKm2?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  availability?: Resolver<Maybe<ResolversTypes['AvailabilitySeries']>, ParentType, ContextType, RequireFields<ZoneAvailabilityArgs, 'aggregate' | 'from' | 'resolution' | 'timeZone' | 'to'>>;
  bbox?: Resolver<ResolversTypes['BoundingBox'], ParentType, ContextType>;
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  geometry?: Resolver<ResolversTypes['GeoJSON'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ZoneKind'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rentals?: Resolver<Maybe<ResolversTypes['RentalSeries']>, ParentType, ContextType, RequireFields<ZoneRentalsArgs, 'from' | 'resolution' | 'timeZone' | 'to'>>;
  retiredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type ZoneConnectionResolvers<ContextType = ZonesContext, ParentType extends ResolversParentTypes['ZoneConnection'] = ResolversParentTypes['ZoneConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ZoneEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ZoneEdgeResolvers<ContextType = ZonesContext, ParentType extends ResolversParentTypes['ZoneEdge'] = ResolversParentTypes['ZoneEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Zone'], ParentType, ContextType>;
}>;

export type ZoneImportResultResolvers<ContextType = ZonesContext, ParentType extends ResolversParentTypes['ZoneImportResult'] = ResolversParentTypes['ZoneImportResult']> = ResolversObject<{
  inserted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  municipalityCodes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  retired?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unchanged?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  updated?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = ZonesContext> = ResolversObject<{
  AvailabilityGroup?: AvailabilityGroupResolvers<ContextType>;
  AvailabilitySeries?: AvailabilitySeriesResolvers<ContextType>;
  BoundingBox?: BoundingBoxResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  GeoJSON?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RentalGroup?: RentalGroupResolvers<ContextType>;
  RentalSeries?: RentalSeriesResolvers<ContextType>;
  SeriesBuckets?: SeriesBucketsResolvers<ContextType>;
  SeriesColumn?: GraphQLScalarType;
  Zone?: ZoneResolvers<ContextType>;
  ZoneConnection?: ZoneConnectionResolvers<ContextType>;
  ZoneEdge?: ZoneEdgeResolvers<ContextType>;
  ZoneImportResult?: ZoneImportResultResolvers<ContextType>;
}>;

