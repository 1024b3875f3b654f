/* eslint-disable */
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OdFlowsResult } from '../resolvers/OdFlows';
import type { OdFlowRow, OdPlaceRow } from '../repository';
import type { ZoneReference } from '../resolvers/Zone';
import type { OdContext } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A GeoJSON geometry object (RFC 7946) in WGS84: for zones always a Polygon or MultiPolygon. */
  GeoJSON: { input: unknown; output: unknown; }
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

/** The four-hour blocks of a local day; trips count in the block they started in. */
export type OdBlock =
  | 'H02_06'
  | 'H06_10'
  | 'H10_14'
  | 'H14_18'
  | 'H18_22'
  /** 22:00 to 02:00 of the next day: it belongs to the day it starts on. */
  | 'H22_02';

/**
 * Which trips count: those that started on the local days from..to (both included, YYYY-MM-DD, in
 * the municipality's time zone), on these weekdays, in these blocks, of these form factors and
 * operators (all when left out).
 */
export type OdFilter = {
  blocks?: InputMaybe<Array<OdBlock>>;
  formFactors?: InputMaybe<Array<FormFactor>>;
  from: Scalars['String']['input'];
  operators?: InputMaybe<Array<Scalars['ID']['input']>>;
  to: Scalars['String']['input'];
  weekdays?: InputMaybe<Array<Weekday>>;
};

export type OdFlow = {
  __typename?: 'OdFlow';
  destination: OdPlace;
  /** Null when no trip of the flow has a distance. */
  meanDistanceMeters?: Maybe<Scalars['Float']['output']>;
  meanDurationSeconds: Scalars['Float']['output'];
  origin: OdPlace;
  trips: Scalars['Int']['output'];
};

export type OdFlows = {
  __typename?: 'OdFlows';
  flows: Array<OdFlow>;
  level: OdLevel;
  /** The minimum: no flow of fewer trips is ever returned, nor derivable from other answers. */
  minCount: Scalars['Int']['output'];
  /** The trips of the flows returned (and nothing else: no total of what is not shown). */
  trips: Scalars['Int']['output'];
  /**
   * Trips from the selected origins (all, when none were given) without a known end, left out of
   * every flow: rentals of feeds with rotating vehicle ids, and trips still open. Counted under the
   * same minimum as flows.
   */
  tripsWithoutEnd: Scalars['Int']['output'];
};

/** Where flows start and end. */
export type OdLevel =
  /** District zones; OUTSIDE is every place in no district. */
  | 'DISTRICT'
  /** H3 cells of resolution 7 (about 5 km²). */
  | 'H3_7'
  /** H3 cells of resolution 8 (about 0.7 km²). */
  | 'H3_8'
  /** Municipality zones; OUTSIDE is every place in no municipality. */
  | 'MUNICIPALITY';

/** An origin or destination: an H3 cell, a zone, or OUTSIDE (no zone of the level). */
export type OdPlace = {
  __typename?: 'OdPlace';
  /** The H3 index, the zone id, or OUTSIDE. */
  id: Scalars['ID']['output'];
  level: OdLevel;
  /** The outline of an H3 cell, a GeoJSON Polygon (null for zones: ask zone { geometry }). */
  outline?: Maybe<Scalars['GeoJSON']['output']>;
  /** The zone, at DISTRICT and MUNICIPALITY level (null for OUTSIDE and H3 cells). */
  zone?: Maybe<Zone>;
};

export type Operator = {
  __typename?: 'Operator';
  id: Scalars['ID']['output'];
};

export type Query = {
  __typename?: 'Query';
  /**
   * Origin-destination flows. With origins: where trips from there went (to destinations, when
   * given). With destinations only: where trips into them came from. With neither: the busiest
   * pairs. Busiest first; top (default 100, at most 1000) flows. Only published flows count: each
   * has at least minCount trips in every block, operator, form factor and municipality pair it sums.
   */
  odFlows?: Maybe<OdFlows>;
};


export type QueryOdFlowsArgs = {
  destinations?: InputMaybe<Array<Scalars['ID']['input']>>;
  filter: OdFilter;
  level: OdLevel;
  origins?: InputMaybe<Array<Scalars['ID']['input']>>;
  top?: InputMaybe<Scalars['Int']['input']>;
};

export type Weekday =
  | 'FRIDAY'
  | 'MONDAY'
  | 'SATURDAY'
  | 'SUNDAY'
  | 'THURSDAY'
  | 'TUESDAY'
  | 'WEDNESDAY';

export type Zone = {
  __typename?: 'Zone';
  id: Scalars['ID']['output'];
  /**
   * Where trips that started in this zone (a district or a municipality) went, busiest first: top
   * flows (default 10, at most 1000) at the zone's own level. Empty for other kinds of zones.
   */
  topDestinations: Array<OdFlow>;
  /** Where trips that ended in this zone came from, busiest first, as topDestinations. */
  topOrigins: Array<OdFlow>;
};


export type ZoneTopDestinationsArgs = {
  filter: OdFilter;
  top?: InputMaybe<Scalars['Int']['input']>;
};


export type ZoneTopOriginsArgs = {
  filter: OdFilter;
  top?: InputMaybe<Scalars['Int']['input']>;
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
  FormFactor: FormFactor;
  GeoJSON: ResolverTypeWrapper<Scalars['GeoJSON']['output']>;
  OdBlock: OdBlock;
  OdFilter: OdFilter;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  OdFlow: ResolverTypeWrapper<OdFlowRow>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  OdFlows: ResolverTypeWrapper<OdFlowsResult>;
  OdLevel: OdLevel;
  OdPlace: ResolverTypeWrapper<OdPlaceRow>;
  Operator: ResolverTypeWrapper<Operator>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Weekday: Weekday;
  Zone: ResolverTypeWrapper<ZoneReference>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  GeoJSON: Scalars['GeoJSON']['output'];
  OdFilter: OdFilter;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  OdFlow: OdFlowRow;
  Float: Scalars['Float']['output'];
  Int: Scalars['Int']['output'];
  OdFlows: OdFlowsResult;
  OdPlace: OdPlaceRow;
  Operator: Operator;
  Query: Record<PropertyKey, never>;
  Zone: ZoneReference;
  Boolean: Scalars['Boolean']['output'];
}>;

export interface GeoJsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['GeoJSON'], any> {
  name: 'GeoJSON';
}

export type OdFlowResolvers<ContextType = OdContext, ParentType extends ResolversParentTypes['OdFlow'] = ResolversParentTypes['OdFlow']> = ResolversObject<{
  destination?: Resolver<ResolversTypes['OdPlace'], ParentType, ContextType>;
  meanDistanceMeters?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  meanDurationSeconds?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  origin?: Resolver<ResolversTypes['OdPlace'], ParentType, ContextType>;
  trips?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type OdFlowsResolvers<ContextType = OdContext, ParentType extends ResolversParentTypes['OdFlows'] = ResolversParentTypes['OdFlows']> = ResolversObject<{
  flows?: Resolver<Array<ResolversTypes['OdFlow']>, ParentType, ContextType>;
  level?: Resolver<ResolversTypes['OdLevel'], ParentType, ContextType>;
  minCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  trips?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tripsWithoutEnd?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type OdPlaceResolvers<ContextType = OdContext, ParentType extends ResolversParentTypes['OdPlace'] = ResolversParentTypes['OdPlace']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  level?: Resolver<ResolversTypes['OdLevel'], ParentType, ContextType>;
  outline?: Resolver<Maybe<ResolversTypes['GeoJSON']>, ParentType, ContextType>;
  zone?: Resolver<Maybe<ResolversTypes['Zone']>, ParentType, ContextType>;
}>;

export type OperatorResolvers<ContextType = OdContext, ParentType extends ResolversParentTypes['Operator'] = ResolversParentTypes['Operator']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = OdContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  odFlows?: Resolver<Maybe<ResolversTypes['OdFlows']>, ParentType, ContextType, RequireFields<QueryOdFlowsArgs, 'filter' | 'level'>>;
}>;

export type ZoneResolvers<ContextType = OdContext, ParentType extends ResolversParentTypes['Zone'] = ResolversParentTypes['Zone'], FederationReferenceType extends FederationReferenceTypes['Zone'] = FederationReferenceTypes['Zone']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Zone']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  topDestinations?: Resolver<Array<ResolversTypes['OdFlow']>, ParentType, ContextType, RequireFields<ZoneTopDestinationsArgs, 'filter'>>;
  topOrigins?: Resolver<Array<ResolversTypes['OdFlow']>, ParentType, ContextType, RequireFields<ZoneTopOriginsArgs, 'filter'>>;
}>;

export type Resolvers<ContextType = OdContext> = ResolversObject<{
  GeoJSON?: GraphQLScalarType;
  OdFlow?: OdFlowResolvers<ContextType>;
  OdFlows?: OdFlowsResolvers<ContextType>;
  OdPlace?: OdPlaceResolvers<ContextType>;
  Operator?: OperatorResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Zone?: ZoneResolvers<ContextType>;
}>;

