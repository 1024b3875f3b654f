/* eslint-disable */
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OperatorRow, VehicleTypeRow, FeedRow, FeedHealthRow, FeedOutageRow, VehicleRow, ParkEventRow, AvailableVehicleRow, VehicleCountRow, ParkingDurationsRow, ZoneRef } from '../repository';
import type { StationRow, StationSeriesRow } from '../stations';
import type { VehiclesContext } from '../context';
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

/** A vehicle available for rent, as open data: no vehicle id, no history. */
export type AvailableVehicle = {
  __typename?: 'AvailableVehicle';
  formFactor: FormFactor;
  /** Changes with every park event and can't be linked to the vehicle or to its other park events. */
  id: Scalars['ID']['output'];
  lat: Scalars['Float']['output'];
  lng: Scalars['Float']['output'];
  operator: Operator;
  /** True when the operator's feed has not confirmed this position in its last read. */
  stale: Scalars['Boolean']['output'];
};

export type AvailableVehicleConnection = {
  __typename?: 'AvailableVehicleConnection';
  edges: Array<AvailableVehicleEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type AvailableVehicleEdge = {
  __typename?: 'AvailableVehicleEdge';
  cursor: Scalars['String']['output'];
  node: AvailableVehicle;
};

export type BoundingBoxInput = {
  maxLat: Scalars['Float']['input'];
  maxLng: Scalars['Float']['input'];
  minLat: Scalars['Float']['input'];
  minLng: Scalars['Float']['input'];
};

/** An operator's data feed, read by the importer every 30 s. Seen by ADMIN and the operator's own organisation. */
export type Feed = {
  __typename?: 'Feed';
  /** Only active feeds are read. */
  active: Scalars['Boolean']['output'];
  /** How the importer authenticates. The credentials themselves are write-only: never returned. */
  authType: FeedAuthType;
  createdAt: Scalars['DateTime']['output'];
  /** Used when the feed publishes no vehicle types (a bare GBFS 2.x `free_bike_status`). */
  defaultFormFactor?: Maybe<FormFactor>;
  /** Used for vehicles that name no vehicle type. */
  defaultVehicleTypeId?: Maybe<Scalars['String']['output']>;
  /** The administrator said the feed is empty on purpose: an empty snapshot is believed at once. */
  expectEmpty: Scalars['Boolean']['output'];
  /** How the last reads went; null until the importer has read the feed once. */
  health?: Maybe<FeedHealth>;
  id: Scalars['ID']['output'];
  operator: Operator;
  /**
   * Vehicle ids that change after every rental (GBFS 2.0+ requires it): rental starts and ends are
   * counted, trips are not paired. Unless the administrator says otherwise, GBFS feeds rotate and
   * MDS feeds are stable. On a rotating feed a rental end is a vehicle listed under a new id that
   * is not the renaming of a vanished one (within 15 m), not disabled, and not one of a batch put
   * down together (a deployment); a rental start is a vehicle that vanished alone, or away from the
   * compact group a van took in the same snapshot. Both are counts, uncertain by about one percent
   * (npm run bench:truth): an operator's van taking vehicles one by one reads as rentals.
   */
  rotatingIds: Scalars['Boolean']['output'];
  /** Whether rotatingIds is the administrator's word (false: it follows the feed type). */
  rotatingIdsDeclared: Scalars['Boolean']['output'];
  type: FeedType;
  updatedAt: Scalars['DateTime']['output'];
  url: Scalars['String']['output'];
  /** A vehicle file registered directly: where its vehicle_types (form factors) are read from. */
  vehicleTypesUrl?: Maybe<Scalars['String']['output']>;
};

export type FeedAuthInput = {
  /** OAUTH2_CLIENT_CREDENTIALS */
  clientId?: InputMaybe<Scalars['String']['input']>;
  /** OAUTH2_CLIENT_CREDENTIALS */
  clientSecret?: InputMaybe<Scalars['String']['input']>;
  /** HEADER: the header's name, e.g. `Authorization`. */
  header?: InputMaybe<Scalars['String']['input']>;
  /** OAUTH2_CLIENT_CREDENTIALS: optional scope to ask for. */
  scope?: InputMaybe<Scalars['String']['input']>;
  /** OAUTH2_CLIENT_CREDENTIALS: the token endpoint (http or https). */
  tokenUrl?: InputMaybe<Scalars['String']['input']>;
  type: FeedAuthType;
  /** HEADER: the header's value, e.g. `Bearer abc123`. */
  value?: InputMaybe<Scalars['String']['input']>;
};

export type FeedAuthType =
  /** A fixed request header, e.g. `Authorization: Bearer ...` or `X-Api-Key: ...`. */
  | 'HEADER'
  | 'NONE'
  /** OAuth 2.0 client credentials: a token is fetched from the token URL and renewed before expiry. */
  | 'OAUTH2_CLIENT_CREDENTIALS';

/** What deleteFeed did. */
export type FeedDeletion = {
  __typename?: 'FeedDeletion';
  deletedAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  mode: FeedDeletionMode;
  nonOperationalPeriodsRemoved: Scalars['Int']['output'];
  /** PURGE: rows removed; 0 with KEEP_HISTORY. */
  parkEventsRemoved: Scalars['Int']['output'];
  /** PURGE: the period whose zone series are recounted (null when the feed had recorded nothing). */
  recountFrom?: Maybe<Scalars['DateTime']['output']>;
  recountTo?: Maybe<Scalars['DateTime']['output']>;
  rentalsRemoved: Scalars['Int']['output'];
  tripsRemoved: Scalars['Int']['output'];
  /** Its vehicles that were listed now (removed from vehiclesNow in both modes). */
  vehiclesRemoved: Scalars['Int']['output'];
};

export type FeedDeletionMode =
  /** Park events, trips, rentals, non-operational periods and zone series stay, attributed to the operator. */
  | 'KEEP_HISTORY'
  /**
   * Everything the feed recorded is removed in one transaction (park events, trips, rentals,
   * non-operational periods, its vehicles, health, outages and held records), and the zone series
   * of the period it covered are recounted by the next zone_stats runs.
   */
  | 'PURGE';

export type FeedError = {
  __typename?: 'FeedError';
  at: Scalars['DateTime']['output'];
  /** TIMEOUT, NETWORK, HTTP_STATUS, TOO_LARGE, REDIRECT_LOOP, AUTH, INVALID_JSON, SCHEMA, INVALID_DATA or VEHICLE_DROP. */
  kind: Scalars['String']['output'];
  message: Scalars['String']['output'];
  /** JSON path of the offending value, e.g. `data.bikes[3].lat`, when the error has one. */
  path?: Maybe<Scalars['String']['output']>;
  /** The document that failed (the discovery file, a sub-feed, the token endpoint). */
  url?: Maybe<Scalars['String']['output']>;
};

export type FeedHealth = {
  __typename?: 'FeedHealth';
  /** Failed reads since the last success. */
  consecutiveFailures: Scalars['Int']['output'];
  /** Seconds from feedLastUpdated to now. */
  dataAgeSeconds?: Maybe<Scalars['Int']['output']>;
  /** The feed's own last_updated in its last readable document: data as of this time. */
  feedLastUpdated?: Maybe<Scalars['DateTime']['output']>;
  /** The feed's own ttl, seconds. */
  feedTtlSeconds?: Maybe<Scalars['Int']['output']>;
  /** The specification version the feed declares. */
  feedVersion?: Maybe<Scalars['String']['output']>;
  /** How long the last read took. */
  lastDurationMs?: Maybe<Scalars['Int']['output']>;
  /** The last failed read, also when the feed has recovered since. */
  lastError?: Maybe<FeedError>;
  lastSuccessAt?: Maybe<Scalars['DateTime']['output']>;
  /** What the importer noticed: partial outages, changed ids, bad records, unknown types. */
  notices: Array<FeedNotice>;
  /** Downtime periods, newest first: 20 per page by default, at most 200. */
  outages: FeedOutageConnection;
  /** Vehicles of the last accepted snapshot left out for a bad record. */
  quarantinedVehicles?: Maybe<Scalars['Int']['output']>;
  /** Vehicles of the last accepted snapshot standing at a station (station_id). */
  stationVehicles?: Maybe<Scalars['Int']['output']>;
  /** Stations of the last accepted snapshot (a docked system); null when the feed publishes none. */
  stations?: Maybe<Scalars['Int']['output']>;
  status: FeedHealthStatus;
  /** Vehicles of the last accepted snapshot whose vehicle type (form factor) is unknown. */
  unknownTypeVehicles?: Maybe<Scalars['Int']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  vehiclesInLastSnapshot?: Maybe<Scalars['Int']['output']>;
};


export type FeedHealthOutagesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type FeedHealthStatus =
  | 'DOWN'
  | 'OK'
  /** The feed answers, but its own last_updated is older than IMPORTER_STALE_AFTER_MS: nothing in it is taken as current. */
  | 'STALE';

export type FeedInput = {
  /** Default: true. */
  active?: InputMaybe<Scalars['Boolean']['input']>;
  /** Default: no authentication. */
  auth?: InputMaybe<FeedAuthInput>;
  defaultFormFactor?: InputMaybe<FormFactor>;
  defaultVehicleTypeId?: InputMaybe<Scalars['String']['input']>;
  operatorId: Scalars['ID']['input'];
  /** Default: follows the type (GBFS rotating, MDS stable). */
  rotatingIds?: InputMaybe<Scalars['Boolean']['input']>;
  /** Left out: the type that reads the document found at the URL (required with verify: false). */
  type?: InputMaybe<FeedType>;
  /** http or https, without credentials in it (those go in auth). */
  url: Scalars['String']['input'];
  /**
   * For a GBFS vehicle file registered directly (free_bike_status / vehicle_status): the URL of its
   * vehicle_types.json, so its vehicles get their form factors. Not needed with a gbfs.json. Left
   * out (and no defaultFormFactor), it is found where the operator publishes it (a gbfs.json in the
   * same folder listing vehicle_types, or a vehicle_types.json beside the file); if it can't be
   * found, the feed is refused.
   */
  vehicleTypesUrl?: InputMaybe<Scalars['String']['input']>;
  /**
   * Default true: the URL is fetched once (with the credentials) and read as the importer would.
   * The feed is refused, with a message saying what the document is (gbfs.json, free_bike_status,
   * vehicle_status, station_status, ..., its version; an MDS response) and what to register
   * instead, when its type does not read it, it lists nothing the importer counts (no vehicles, no
   * stations), or it can't be read. false: registered unseen (a feed not reachable yet).
   */
  verify?: InputMaybe<Scalars['Boolean']['input']>;
};

/** Something the importer noticed in the feed's accepted snapshots. */
export type FeedNotice = {
  __typename?: 'FeedNotice';
  at: Scalars['DateTime']['output'];
  /** PARTIAL_OUTAGE, IDS_CHANGED, ROTATING_IDS_DETECTED, QUARANTINED_RECORDS, UNKNOWN_VEHICLE_TYPES, EMPTY_FEED or STATIONS_LEFT_OUT. */
  kind: Scalars['String']['output'];
  message: Scalars['String']['output'];
  vehicles: Scalars['Int']['output'];
};

/** A period in which a feed failed (or lost most of its vehicles at once): no events were recorded. */
export type FeedOutage = {
  __typename?: 'FeedOutage';
  /** Null while the outage lasts. */
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  message?: Maybe<Scalars['String']['output']>;
  path?: Maybe<Scalars['String']['output']>;
  /** The kind of the error that started it (see FeedError.kind). */
  reason: Scalars['String']['output'];
  startedAt: Scalars['DateTime']['output'];
};

export type FeedOutageConnection = {
  __typename?: 'FeedOutageConnection';
  edges: Array<FeedOutageEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type FeedOutageEdge = {
  __typename?: 'FeedOutageEdge';
  cursor: Scalars['String']['output'];
  node: FeedOutage;
};

/** Only the fields given change; `auth` replaces the stored credentials as a whole. */
export type FeedPatch = {
  auth?: InputMaybe<FeedAuthInput>;
  defaultFormFactor?: InputMaybe<FormFactor>;
  defaultVehicleTypeId?: InputMaybe<Scalars['String']['input']>;
  /** True: an empty feed (a seasonal shutdown) is believed at once instead of after 30 minutes. */
  expectEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** null: the id mode follows the feed's type again. */
  rotatingIds?: InputMaybe<Scalars['Boolean']['input']>;
  type?: InputMaybe<FeedType>;
  url?: InputMaybe<Scalars['String']['input']>;
  /** null removes it. */
  vehicleTypesUrl?: InputMaybe<Scalars['String']['input']>;
  /** Default true when url, type, auth or vehicleTypesUrl change: the feed is checked as by createFeed. */
  verify?: InputMaybe<Scalars['Boolean']['input']>;
};

export type FeedType =
  /** The URL of a GBFS 3.0 `gbfs.json`, or directly of its `vehicle_status.json`. */
  | 'GBFS3_VEHICLE_STATUS'
  /**
   * The URL of a GBFS `gbfs.json` discovery file (1.x, 2.x; a 3.0 one is recognised by its version):
   * its free-floating vehicles (`free_bike_status` / `vehicle_status`), its stations
   * (`station_information` + `station_status`: a docked system), or both.
   */
  | 'GBFS_DISCOVERY'
  /** The URL of a GBFS 2.x `free_bike_status.json`. */
  | 'GBFS_FREE_BIKE_STATUS'
  /** The base URL of an MDS 2.0 Provider API (`/vehicles`, `/vehicles/status`, `/trips`). */
  | 'MDS_VEHICLES';

/** The kind of vehicle, as GBFS 3.0 `form_factor` (GBFS 2.x and MDS values are mapped onto it). */
export type FormFactor =
  | 'BICYCLE'
  | 'CAR'
  | 'CARGO_BICYCLE'
  | 'MOPED'
  | 'OTHER'
  | 'SCOOTER_SEATED'
  | 'SCOOTER_STANDING';

export type FormFactorCount = {
  __typename?: 'FormFactorCount';
  count: Scalars['Int']['output'];
  formFactor: FormFactor;
};

/** ADMIN only; every change is written to the audit log. */
export type Mutation = {
  __typename?: 'Mutation';
  createFeed: Feed;
  createOperator: Operator;
  /**
   * Deletes a feed: it is no longer read or listed, and its vehicles leave vehiclesNow at once.
   * The mode says what happens to what it recorded. Its URL can be registered again afterwards.
   */
  deleteFeed: FeedDeletion;
  renameOperator: Operator;
  /** Deactivating stops the importer from reading the feed; its history stays. */
  setFeedActive: Feed;
  updateFeed: Feed;
};


/** ADMIN only; every change is written to the audit log. */
export type MutationCreateFeedArgs = {
  input: FeedInput;
};


/** ADMIN only; every change is written to the audit log. */
export type MutationCreateOperatorArgs = {
  input: OperatorInput;
};


/** ADMIN only; every change is written to the audit log. */
export type MutationDeleteFeedArgs = {
  id: Scalars['ID']['input'];
  mode: FeedDeletionMode;
};


/** ADMIN only; every change is written to the audit log. */
export type MutationRenameOperatorArgs = {
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


/** ADMIN only; every change is written to the audit log. */
export type MutationSetFeedActiveArgs = {
  active: Scalars['Boolean']['input'];
  id: Scalars['ID']['input'];
};


/** ADMIN only; every change is written to the audit log. */
export type MutationUpdateFeedArgs = {
  id: Scalars['ID']['input'];
  patch: FeedPatch;
};

/** A shared-mobility operator: public reference data. */
export type Operator = {
  __typename?: 'Operator';
  /** Its feeds: for ADMIN and the operator's own organisation, empty for everyone else. */
  feeds: Array<Feed>;
  /** Short lowercase id, e.g. `demo-bikes`. */
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** What the operator's feed calls its system (GBFS `system_information.name`). */
  systemName?: Maybe<Scalars['String']['output']>;
  /** The vehicle types its feeds publish. */
  vehicleTypes: Array<VehicleType>;
};

export type OperatorInput = {
  /** Lowercase letters, digits, - and _, e.g. `demo-bikes`: the id organisations' operatorIds name. */
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** A vehicle standing at one place from startTime until endTime. */
export type ParkEvent = {
  __typename?: 'ParkEvent';
  /** Seconds from startTime to endTime, or to now while it lasts. */
  durationSeconds: Scalars['Int']['output'];
  endReason?: Maybe<ParkEventEndReason>;
  /** Null while the vehicle is still parked. */
  endTime?: Maybe<Scalars['DateTime']['output']>;
  formFactor: FormFactor;
  id: Scalars['ID']['output'];
  lat: Scalars['Float']['output'];
  lng: Scalars['Float']['output'];
  municipalityCode?: Maybe<Scalars['String']['output']>;
  operator: Operator;
  /**
   * True when the importer saw the vehicle arrive (or first read it then); false when the start is
   * the feed's own last_reported of a vehicle seen for the first time, which had been standing there
   * since (within IMPORTER_PARK_START_HORIZON_MS).
   */
  startObserved: Scalars['Boolean']['output'];
  startTime: Scalars['DateTime']['output'];
  vehicleId: Scalars['String']['output'];
  vehicleType?: Maybe<VehicleType>;
  /** The zones it stood in that the caller may see, smallest first. */
  zones: Array<Zone>;
};

export type ParkEventConnection = {
  __typename?: 'ParkEventConnection';
  edges: Array<ParkEventEdge>;
  pageInfo: PageInfo;
  /** Park events matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type ParkEventEdge = {
  __typename?: 'ParkEventEdge';
  cursor: Scalars['String']['output'];
  node: ParkEvent;
};

export type ParkEventEndReason =
  /** Closed because the feed was down too long to tell. */
  | 'OUTAGE'
  /** Moved more than 500 m while present: the operator relocated it. */
  | 'RELOCATION'
  /** Gone from the feed without a trip. */
  | 'REMOVED'
  /** Rented: the vehicle left its place on a trip. */
  | 'RENTAL';

/** Vehicles parked for at least minDays and less than maxDays (no upper bound when null). */
export type ParkingDurationBucket = {
  __typename?: 'ParkingDurationBucket';
  count: Scalars['Int']['output'];
  maxDays?: Maybe<Scalars['Int']['output']>;
  minDays: Scalars['Int']['output'];
};

/** How many vehicles had been parked for how long, in one zone or municipality. */
export type ParkingDurations = {
  __typename?: 'ParkingDurations';
  at: Scalars['DateTime']['output'];
  /** Always five, in order: under 2 days, 2-4, 4-7, 7-14 days, 14 days and more. */
  buckets: Array<ParkingDurationBucket>;
  /** Set when asked by municipalityCodes. */
  municipalityCode?: Maybe<Scalars['String']['output']>;
  total: Scalars['Int']['output'];
  /** Set when asked by zoneIds. */
  zone?: Maybe<Zone>;
};

export type Query = {
  __typename?: 'Query';
  /**
   * Open data for anyone, no sign-in needed: vehicles available for rent now in a bounding box (at
   * most 0.5 degree on a side) or a municipality, without persistent ids. 500 per page by default,
   * at most 1000. Give exactly one of bbox and municipalityCode.
   */
  availableVehicles?: Maybe<AvailableVehicleConnection>;
  feed?: Maybe<Feed>;
  /** Feeds the caller may see (ADMIN all, an operator's organisation its own), by operator and URL. */
  feeds?: Maybe<Array<Feed>>;
  operator?: Maybe<Operator>;
  operators?: Maybe<Array<Operator>>;
  /**
   * Park events going on at `at` (started at or before it, not yet ended), ordered by start time:
   * 100 per page by default, at most 1000.
   */
  parkEventsAt?: Maybe<ParkEventConnection>;
  /**
   * For each zone (or municipality) asked for, the vehicles parked there at `at` (default now) by how
   * long they had been parked. Give exactly one of zoneIds and municipalityCodes (at most 500).
   */
  parkingDurations?: Maybe<Array<ParkingDurations>>;
  /** Stations of docked systems now, ordered by feed and station id: 100 per page by default, at most 1000. */
  stations?: Maybe<StationConnection>;
  vehicle?: Maybe<Vehicle>;
  /** Counts of vehicles in public space now, grouped; with no groupBy, one total. */
  vehicleCountsNow?: Maybe<Array<VehicleCount>>;
  vehicleTypes?: Maybe<Array<VehicleType>>;
  /** Vehicles in public space now, ordered by feed and vehicle id: 100 per page by default, at most 1000. */
  vehiclesNow?: Maybe<VehicleConnection>;
};


export type QueryAvailableVehiclesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  bbox?: InputMaybe<BoundingBoxInput>;
  first?: InputMaybe<Scalars['Int']['input']>;
  formFactors?: InputMaybe<Array<FormFactor>>;
  municipalityCode?: InputMaybe<Scalars['String']['input']>;
  placements?: InputMaybe<Array<VehiclePlacement>>;
};


export type QueryFeedArgs = {
  id: Scalars['ID']['input'];
};


export type QueryFeedsArgs = {
  active?: InputMaybe<Scalars['Boolean']['input']>;
  operatorId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryOperatorArgs = {
  id: Scalars['ID']['input'];
};


export type QueryParkEventsAtArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  at: Scalars['DateTime']['input'];
  filter?: InputMaybe<VehicleFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryParkingDurationsArgs = {
  at?: InputMaybe<Scalars['DateTime']['input']>;
  formFactors?: InputMaybe<Array<FormFactor>>;
  municipalityCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  operatorIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  zoneIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type QueryStationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<StationFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryVehicleArgs = {
  id: Scalars['ID']['input'];
};


export type QueryVehicleCountsNowArgs = {
  filter?: InputMaybe<VehicleFilter>;
  groupBy?: InputMaybe<Array<VehicleGroupBy>>;
};


export type QueryVehicleTypesArgs = {
  operatorId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryVehiclesNowArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<VehicleFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/**
 * A station of a docked system (GBFS `station_information` + `station_status`) as its feed last
 * listed it. Seen like vehicles: by the municipality it stands in and by its operator. Its docked
 * vehicles are counted here, apart from vehicles in public space.
 */
export type Station = {
  __typename?: 'Station';
  /** Docks (or places) in total, when the feed says. */
  capacity?: Maybe<Scalars['Int']['output']>;
  /** Free docks (`num_docks_available`), when the feed says. */
  docksAvailable?: Maybe<Scalars['Int']['output']>;
  /** Opaque and stable: the feed and the feed's station id. */
  id: Scalars['ID']['output'];
  isInstalled: Scalars['Boolean']['output'];
  isRenting: Scalars['Boolean']['output'];
  isReturning: Scalars['Boolean']['output'];
  /** The feed's own last_reported of the station. */
  lastReportedAt?: Maybe<Scalars['DateTime']['output']>;
  lat: Scalars['Float']['output'];
  lng: Scalars['Float']['output'];
  /** CBS code of the municipality it stands in; null outside every municipality. */
  municipalityCode?: Maybe<Scalars['String']['output']>;
  name?: Maybe<Scalars['String']['output']>;
  operator: Operator;
  /** When the feed last listed the station. */
  seenAt: Scalars['DateTime']['output'];
  /** The feed's own `station_id`. */
  stationId: Scalars['String']['output'];
  /** Since when the status (installed, renting, returning, vehicles, docks) is as it is now. */
  statusSince: Scalars['DateTime']['output'];
  /** Vehicles available for rent at the station (`num_bikes_available` / `num_vehicles_available`). */
  vehiclesAvailable: Scalars['Int']['output'];
  /** vehiclesAvailable per form factor (only those with any): by `vehicle_types_available`, else the feed's default form factor. */
  vehiclesAvailableByFormFactor: Array<FormFactorCount>;
  /** The zones it stands in that the caller may see, smallest first. */
  zones: Array<Zone>;
};

export type StationConnection = {
  __typename?: 'StationConnection';
  edges: Array<StationEdge>;
  pageInfo: PageInfo;
  /** Stations matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type StationEdge = {
  __typename?: 'StationEdge';
  cursor: Scalars['String']['output'];
  node: Station;
};

/** Every condition given must hold; a list matches any of its values. Results are always limited to the caller's scope. */
export type StationFilter = {
  bbox?: InputMaybe<BoundingBoxInput>;
  /** CBS codes (at most 500). */
  municipalityCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  operatorIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Stations standing in any of these zones (at most 500). */
  zoneIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/**
 * The stations of a zone at each bucket start (an instant: the state then, as the feed last said
 * before it), as columns: value i of each list belongs to bucketStarts[i]. Built from each station's
 * status changes; a station not listed by its feed, or not installed, counts nothing.
 */
export type StationSeries = {
  __typename?: 'StationSeries';
  bucketStarts: Array<Scalars['DateTime']['output']>;
  /** Free docks at the zone's stations. */
  docksAvailable: Array<Scalars['Int']['output']>;
  /** Installed stations listed by their feed. */
  stations: Array<Scalars['Int']['output']>;
  /** Installed stations that were renting. */
  stationsRenting: Array<Scalars['Int']['output']>;
  /** Vehicles available at the zone's stations (of formFactors when given). */
  vehiclesAvailable: Array<Scalars['Int']['output']>;
};

/** The step of a station series, in UTC. */
export type StationSeriesInterval =
  | 'DAY'
  | 'FIFTEEN_MINUTES'
  | 'FIVE_MINUTES'
  | 'HOUR';

/** A vehicle in public space now, as the operator's feed last reported it. */
export type Vehicle = {
  __typename?: 'Vehicle';
  formFactor: FormFactor;
  /** Opaque and stable while the feed keeps the vehicle's id (feeds with rotating ids change it per rental). */
  id: Scalars['ID']['output'];
  isDisabled: Scalars['Boolean']['output'];
  isReserved: Scalars['Boolean']['output'];
  lastReportedAt?: Maybe<Scalars['DateTime']['output']>;
  lat: Scalars['Float']['output'];
  lng: Scalars['Float']['output'];
  /** CBS code of the municipality it stands in, e.g. GM0363; null outside every municipality. */
  municipalityCode?: Maybe<Scalars['String']['output']>;
  operator: Operator;
  /** Its current park event. */
  parkEvent?: Maybe<ParkEvent>;
  /** Start of its current park event. */
  parkedSince?: Maybe<Scalars['DateTime']['output']>;
  /** When the position was last confirmed by the feed. */
  seenAt?: Maybe<Scalars['DateTime']['output']>;
  /**
   * True when the feed's last read did not confirm this position: the feed is down or STALE, or
   * this vehicle was left out of the last snapshot (a bad record, a partial outage) and is kept
   * as it was last seen.
   */
  stale: Scalars['Boolean']['output'];
  /** The station it stands at (GBFS station_id: a car-share bay, a dock), null in public space. */
  stationId?: Maybe<Scalars['String']['output']>;
  /** The id in the operator's feed. */
  vehicleId: Scalars['String']['output'];
  vehicleType?: Maybe<VehicleType>;
  /** The zones it stands in that the caller may see, smallest first. */
  zones: Array<Zone>;
};

export type VehicleConnection = {
  __typename?: 'VehicleConnection';
  edges: Array<VehicleEdge>;
  pageInfo: PageInfo;
  /** Vehicles matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** One group of vehicleCountsNow: the grouped-by fields are set, the others null. */
export type VehicleCount = {
  __typename?: 'VehicleCount';
  count: Scalars['Int']['output'];
  formFactor?: Maybe<FormFactor>;
  municipalityCode?: Maybe<Scalars['String']['output']>;
  operator?: Maybe<Operator>;
  placement?: Maybe<VehiclePlacement>;
  zone?: Maybe<Zone>;
};

export type VehicleEdge = {
  __typename?: 'VehicleEdge';
  cursor: Scalars['String']['output'];
  node: Vehicle;
};

/** Every condition given must hold; a list matches any of its values. Results are always limited to the caller's scope. */
export type VehicleFilter = {
  bbox?: InputMaybe<BoundingBoxInput>;
  formFactors?: InputMaybe<Array<FormFactor>>;
  /** CBS codes, e.g. ["GM0363"] (at most 500). */
  municipalityCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  operatorIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Default [FREE_FLOATING]: vehicles in public space; AT_STATION: those standing at a station. */
  placements?: InputMaybe<Array<VehiclePlacement>>;
  /** Vehicles standing in any of these zones (at most 500). */
  zoneIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type VehicleGroupBy =
  | 'FORM_FACTOR'
  | 'MUNICIPALITY'
  | 'OPERATOR'
  | 'PLACEMENT'
  /** Per zone of filter.zoneIds (which is then required). */
  | 'ZONE';

/**
 * Where a vehicle stands: in public space, or at a station (it reports a GBFS `station_id`: a dock,
 * a car-share bay). Counts of public space leave vehicles at a station out unless asked.
 */
export type VehiclePlacement =
  | 'AT_STATION'
  | 'FREE_FLOATING';

/** A vehicle type an operator's feed publishes (GBFS `vehicle_types`, MDS vehicles): public reference data. */
export type VehicleType = {
  __typename?: 'VehicleType';
  formFactor: FormFactor;
  /** The feed's own id of the type, unique per operator. */
  id: Scalars['ID']['output'];
  name?: Maybe<Scalars['String']['output']>;
  operator: Operator;
  operatorId: Scalars['ID']['output'];
  /** GBFS `propulsion_type` (`human`, `electric_assist`, ...), `unknown` when not published. */
  propulsionType: Scalars['String']['output'];
};

export type Zone = {
  __typename?: 'Zone';
  id: Scalars['ID']['output'];
  /** Vehicles standing in the zone now, within the caller's scope: 100 per page by default, at most 1000. */
  parkedVehicles: VehicleConnection;
  /**
   * Availability at the zone's stations over time, within the caller's scope, apart from vehicles in
   * public space: from (inclusive) to (exclusive) in steps of interval, at most 2000 buckets.
   */
  stationAvailability: StationSeries;
  /** Stations of docked systems in the zone now, within the caller's scope: 100 per page by default, at most 1000. */
  stations: StationConnection;
};


export type ZoneParkedVehiclesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  formFactors?: InputMaybe<Array<FormFactor>>;
  operatorIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type ZoneStationAvailabilityArgs = {
  formFactors?: InputMaybe<Array<FormFactor>>;
  from: Scalars['DateTime']['input'];
  interval: StationSeriesInterval;
  operatorIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  to: Scalars['DateTime']['input'];
};


export type ZoneStationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  operatorIds?: InputMaybe<Array<Scalars['ID']['input']>>;
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
  Feed: Feed;
  Operator: Operator;
  ParkEvent: ParkEvent;
  Vehicle: Vehicle;
  VehicleType: VehicleType;
  Zone: Zone;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Feed:
    ( { __typename: 'Feed' }
    & GraphQLRecursivePick<FederationTypes['Feed'], {"id":true}> );
  Operator:
    ( { __typename: 'Operator' }
    & GraphQLRecursivePick<FederationTypes['Operator'], {"id":true}> );
  ParkEvent:
    ( { __typename: 'ParkEvent' }
    & GraphQLRecursivePick<FederationTypes['ParkEvent'], {"id":true,"startTime":true}> );
  Vehicle:
    ( { __typename: 'Vehicle' }
    & GraphQLRecursivePick<FederationTypes['Vehicle'], {"id":true}> );
  VehicleType:
    ( { __typename: 'VehicleType' }
    & GraphQLRecursivePick<FederationTypes['VehicleType'], {"operatorId":true,"id":true}> );
  Zone:
    ( { __typename: 'Zone' }
    & GraphQLRecursivePick<FederationTypes['Zone'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AvailableVehicle: ResolverTypeWrapper<AvailableVehicleRow>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  AvailableVehicleConnection: ResolverTypeWrapper<Omit<AvailableVehicleConnection, 'edges'> & { edges: Array<ResolversTypes['AvailableVehicleEdge']> }>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  AvailableVehicleEdge: ResolverTypeWrapper<Omit<AvailableVehicleEdge, 'node'> & { node: ResolversTypes['AvailableVehicle'] }>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  BoundingBoxInput: BoundingBoxInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Feed: ResolverTypeWrapper<FeedRow>;
  FeedAuthInput: FeedAuthInput;
  FeedAuthType: FeedAuthType;
  FeedDeletion: ResolverTypeWrapper<FeedDeletion>;
  FeedDeletionMode: FeedDeletionMode;
  FeedError: ResolverTypeWrapper<FeedError>;
  FeedHealth: ResolverTypeWrapper<FeedHealthRow>;
  FeedHealthStatus: FeedHealthStatus;
  FeedInput: FeedInput;
  FeedNotice: ResolverTypeWrapper<FeedNotice>;
  FeedOutage: ResolverTypeWrapper<FeedOutageRow>;
  FeedOutageConnection: ResolverTypeWrapper<Omit<FeedOutageConnection, 'edges'> & { edges: Array<ResolversTypes['FeedOutageEdge']> }>;
  FeedOutageEdge: ResolverTypeWrapper<Omit<FeedOutageEdge, 'node'> & { node: ResolversTypes['FeedOutage'] }>;
  FeedPatch: FeedPatch;
  FeedType: FeedType;
  FormFactor: FormFactor;
  FormFactorCount: ResolverTypeWrapper<FormFactorCount>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Operator: ResolverTypeWrapper<OperatorRow>;
  OperatorInput: OperatorInput;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  ParkEvent: ResolverTypeWrapper<ParkEventRow>;
  ParkEventConnection: ResolverTypeWrapper<Omit<ParkEventConnection, 'edges'> & { edges: Array<ResolversTypes['ParkEventEdge']> }>;
  ParkEventEdge: ResolverTypeWrapper<Omit<ParkEventEdge, 'node'> & { node: ResolversTypes['ParkEvent'] }>;
  ParkEventEndReason: ParkEventEndReason;
  ParkingDurationBucket: ResolverTypeWrapper<ParkingDurationBucket>;
  ParkingDurations: ResolverTypeWrapper<ParkingDurationsRow>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Station: ResolverTypeWrapper<StationRow>;
  StationConnection: ResolverTypeWrapper<Omit<StationConnection, 'edges'> & { edges: Array<ResolversTypes['StationEdge']> }>;
  StationEdge: ResolverTypeWrapper<Omit<StationEdge, 'node'> & { node: ResolversTypes['Station'] }>;
  StationFilter: StationFilter;
  StationSeries: ResolverTypeWrapper<StationSeriesRow>;
  StationSeriesInterval: StationSeriesInterval;
  Vehicle: ResolverTypeWrapper<VehicleRow>;
  VehicleConnection: ResolverTypeWrapper<Omit<VehicleConnection, 'edges'> & { edges: Array<ResolversTypes['VehicleEdge']> }>;
  VehicleCount: ResolverTypeWrapper<VehicleCountRow>;
  VehicleEdge: ResolverTypeWrapper<Omit<VehicleEdge, 'node'> & { node: ResolversTypes['Vehicle'] }>;
  VehicleFilter: VehicleFilter;
  VehicleGroupBy: VehicleGroupBy;
  VehiclePlacement: VehiclePlacement;
  VehicleType: ResolverTypeWrapper<VehicleTypeRow>;
  Zone: ResolverTypeWrapper<ZoneRef>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AvailableVehicle: AvailableVehicleRow;
  ID: Scalars['ID']['output'];
  Float: Scalars['Float']['output'];
  Boolean: Scalars['Boolean']['output'];
  AvailableVehicleConnection: Omit<AvailableVehicleConnection, 'edges'> & { edges: Array<ResolversParentTypes['AvailableVehicleEdge']> };
  Int: Scalars['Int']['output'];
  AvailableVehicleEdge: Omit<AvailableVehicleEdge, 'node'> & { node: ResolversParentTypes['AvailableVehicle'] };
  String: Scalars['String']['output'];
  BoundingBoxInput: BoundingBoxInput;
  DateTime: Scalars['DateTime']['output'];
  Feed: FeedRow;
  FeedAuthInput: FeedAuthInput;
  FeedDeletion: FeedDeletion;
  FeedError: FeedError;
  FeedHealth: FeedHealthRow;
  FeedInput: FeedInput;
  FeedNotice: FeedNotice;
  FeedOutage: FeedOutageRow;
  FeedOutageConnection: Omit<FeedOutageConnection, 'edges'> & { edges: Array<ResolversParentTypes['FeedOutageEdge']> };
  FeedOutageEdge: Omit<FeedOutageEdge, 'node'> & { node: ResolversParentTypes['FeedOutage'] };
  FeedPatch: FeedPatch;
  FormFactorCount: FormFactorCount;
  Mutation: Record<PropertyKey, never>;
  Operator: OperatorRow;
  OperatorInput: OperatorInput;
  PageInfo: PageInfo;
  ParkEvent: ParkEventRow;
  ParkEventConnection: Omit<ParkEventConnection, 'edges'> & { edges: Array<ResolversParentTypes['ParkEventEdge']> };
  ParkEventEdge: Omit<ParkEventEdge, 'node'> & { node: ResolversParentTypes['ParkEvent'] };
  ParkingDurationBucket: ParkingDurationBucket;
  ParkingDurations: ParkingDurationsRow;
  Query: Record<PropertyKey, never>;
  Station: StationRow;
  StationConnection: Omit<StationConnection, 'edges'> & { edges: Array<ResolversParentTypes['StationEdge']> };
  StationEdge: Omit<StationEdge, 'node'> & { node: ResolversParentTypes['Station'] };
  StationFilter: StationFilter;
  StationSeries: StationSeriesRow;
  Vehicle: VehicleRow;
  VehicleConnection: Omit<VehicleConnection, 'edges'> & { edges: Array<ResolversParentTypes['VehicleEdge']> };
  VehicleCount: VehicleCountRow;
  VehicleEdge: Omit<VehicleEdge, 'node'> & { node: ResolversParentTypes['Vehicle'] };
  VehicleFilter: VehicleFilter;
  VehicleType: VehicleTypeRow;
  Zone: ZoneRef;
}>;

export type AvailableVehicleResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['AvailableVehicle'] = ResolversParentTypes['AvailableVehicle']> = ResolversObject<{
  formFactor?: Resolver<ResolversTypes['FormFactor'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lat?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lng?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  operator?: Resolver<ResolversTypes['Operator'], ParentType, ContextType>;
  stale?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type AvailableVehicleConnectionResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['AvailableVehicleConnection'] = ResolversParentTypes['AvailableVehicleConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['AvailableVehicleEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type AvailableVehicleEdgeResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['AvailableVehicleEdge'] = ResolversParentTypes['AvailableVehicleEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['AvailableVehicle'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type FeedResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['Feed'] = ResolversParentTypes['Feed'], FederationReferenceType extends FederationReferenceTypes['Feed'] = FederationReferenceTypes['Feed']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Feed']> | FederationReferenceType, FederationReferenceType, ContextType>;
  active?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  authType?: Resolver<ResolversTypes['FeedAuthType'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  defaultFormFactor?: Resolver<Maybe<ResolversTypes['FormFactor']>, ParentType, ContextType>;
  defaultVehicleTypeId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  expectEmpty?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  health?: Resolver<Maybe<ResolversTypes['FeedHealth']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  operator?: Resolver<ResolversTypes['Operator'], ParentType, ContextType>;
  rotatingIds?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  rotatingIdsDeclared?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['FeedType'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  vehicleTypesUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type FeedDeletionResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['FeedDeletion'] = ResolversParentTypes['FeedDeletion']> = ResolversObject<{
  deletedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mode?: Resolver<ResolversTypes['FeedDeletionMode'], ParentType, ContextType>;
  nonOperationalPeriodsRemoved?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  parkEventsRemoved?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  recountFrom?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  recountTo?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  rentalsRemoved?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tripsRemoved?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  vehiclesRemoved?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type FeedErrorResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['FeedError'] = ResolversParentTypes['FeedError']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  path?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  url?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type FeedHealthResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['FeedHealth'] = ResolversParentTypes['FeedHealth']> = ResolversObject<{
  consecutiveFailures?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  dataAgeSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  feedLastUpdated?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  feedTtlSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  feedVersion?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastDurationMs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['FeedError']>, ParentType, ContextType>;
  lastSuccessAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  notices?: Resolver<Array<ResolversTypes['FeedNotice']>, ParentType, ContextType>;
  outages?: Resolver<ResolversTypes['FeedOutageConnection'], ParentType, ContextType, Partial<FeedHealthOutagesArgs>>;
  quarantinedVehicles?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  stationVehicles?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  stations?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['FeedHealthStatus'], ParentType, ContextType>;
  unknownTypeVehicles?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  vehiclesInLastSnapshot?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type FeedNoticeResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['FeedNotice'] = ResolversParentTypes['FeedNotice']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  vehicles?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type FeedOutageResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['FeedOutage'] = ResolversParentTypes['FeedOutage']> = ResolversObject<{
  endedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  path?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type FeedOutageConnectionResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['FeedOutageConnection'] = ResolversParentTypes['FeedOutageConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['FeedOutageEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type FeedOutageEdgeResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['FeedOutageEdge'] = ResolversParentTypes['FeedOutageEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['FeedOutage'], ParentType, ContextType>;
}>;

export type FormFactorCountResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['FormFactorCount'] = ResolversParentTypes['FormFactorCount']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  formFactor?: Resolver<ResolversTypes['FormFactor'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  createFeed?: Resolver<ResolversTypes['Feed'], ParentType, ContextType, RequireFields<MutationCreateFeedArgs, 'input'>>;
  createOperator?: Resolver<ResolversTypes['Operator'], ParentType, ContextType, RequireFields<MutationCreateOperatorArgs, 'input'>>;
  deleteFeed?: Resolver<ResolversTypes['FeedDeletion'], ParentType, ContextType, RequireFields<MutationDeleteFeedArgs, 'id' | 'mode'>>;
  renameOperator?: Resolver<ResolversTypes['Operator'], ParentType, ContextType, RequireFields<MutationRenameOperatorArgs, 'id' | 'name'>>;
  setFeedActive?: Resolver<ResolversTypes['Feed'], ParentType, ContextType, RequireFields<MutationSetFeedActiveArgs, 'active' | 'id'>>;
  updateFeed?: Resolver<ResolversTypes['Feed'], ParentType, ContextType, RequireFields<MutationUpdateFeedArgs, 'id' | 'patch'>>;
}>;

export type OperatorResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['Operator'] = ResolversParentTypes['Operator'], FederationReferenceType extends FederationReferenceTypes['Operator'] = FederationReferenceTypes['Operator']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Operator']> | FederationReferenceType, FederationReferenceType, ContextType>;
  feeds?: Resolver<Array<ResolversTypes['Feed']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  systemName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vehicleTypes?: Resolver<Array<ResolversTypes['VehicleType']>, ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ParkEventResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['ParkEvent'] = ResolversParentTypes['ParkEvent'], FederationReferenceType extends FederationReferenceTypes['ParkEvent'] = FederationReferenceTypes['ParkEvent']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['ParkEvent']> | FederationReferenceType, FederationReferenceType, ContextType>;
  durationSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  endReason?: Resolver<Maybe<ResolversTypes['ParkEventEndReason']>, ParentType, ContextType>;
  endTime?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  formFactor?: Resolver<ResolversTypes['FormFactor'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lat?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lng?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  municipalityCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  operator?: Resolver<ResolversTypes['Operator'], ParentType, ContextType>;
  startObserved?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startTime?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  vehicleId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  vehicleType?: Resolver<Maybe<ResolversTypes['VehicleType']>, ParentType, ContextType>;
  zones?: Resolver<Array<ResolversTypes['Zone']>, ParentType, ContextType>;
}>;

export type ParkEventConnectionResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['ParkEventConnection'] = ResolversParentTypes['ParkEventConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ParkEventEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ParkEventEdgeResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['ParkEventEdge'] = ResolversParentTypes['ParkEventEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['ParkEvent'], ParentType, ContextType>;
}>;

export type ParkingDurationBucketResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['ParkingDurationBucket'] = ResolversParentTypes['ParkingDurationBucket']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  maxDays?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  minDays?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ParkingDurationsResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['ParkingDurations'] = ResolversParentTypes['ParkingDurations']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  buckets?: Resolver<Array<ResolversTypes['ParkingDurationBucket']>, ParentType, ContextType>;
  municipalityCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  zone?: Resolver<Maybe<ResolversTypes['Zone']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  availableVehicles?: Resolver<Maybe<ResolversTypes['AvailableVehicleConnection']>, ParentType, ContextType, Partial<QueryAvailableVehiclesArgs>>;
  feed?: Resolver<Maybe<ResolversTypes['Feed']>, ParentType, ContextType, RequireFields<QueryFeedArgs, 'id'>>;
  feeds?: Resolver<Maybe<Array<ResolversTypes['Feed']>>, ParentType, ContextType, Partial<QueryFeedsArgs>>;
  operator?: Resolver<Maybe<ResolversTypes['Operator']>, ParentType, ContextType, RequireFields<QueryOperatorArgs, 'id'>>;
  operators?: Resolver<Maybe<Array<ResolversTypes['Operator']>>, ParentType, ContextType>;
  parkEventsAt?: Resolver<Maybe<ResolversTypes['ParkEventConnection']>, ParentType, ContextType, RequireFields<QueryParkEventsAtArgs, 'at'>>;
  parkingDurations?: Resolver<Maybe<Array<ResolversTypes['ParkingDurations']>>, ParentType, ContextType, Partial<QueryParkingDurationsArgs>>;
  stations?: Resolver<Maybe<ResolversTypes['StationConnection']>, ParentType, ContextType, Partial<QueryStationsArgs>>;
  vehicle?: Resolver<Maybe<ResolversTypes['Vehicle']>, ParentType, ContextType, RequireFields<QueryVehicleArgs, 'id'>>;
  vehicleCountsNow?: Resolver<Maybe<Array<ResolversTypes['VehicleCount']>>, ParentType, ContextType, Partial<QueryVehicleCountsNowArgs>>;
  vehicleTypes?: Resolver<Maybe<Array<ResolversTypes['VehicleType']>>, ParentType, ContextType, Partial<QueryVehicleTypesArgs>>;
  vehiclesNow?: Resolver<Maybe<ResolversTypes['VehicleConnection']>, ParentType, ContextType, Partial<QueryVehiclesNowArgs>>;
}>;

export type StationResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['Station'] = ResolversParentTypes['Station']> = ResolversObject<{
  capacity?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  docksAvailable?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isInstalled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  isRenting?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  isReturning?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  lastReportedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lat?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lng?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  municipalityCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  operator?: Resolver<ResolversTypes['Operator'], ParentType, ContextType>;
  seenAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  stationId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  statusSince?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  vehiclesAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  vehiclesAvailableByFormFactor?: Resolver<Array<ResolversTypes['FormFactorCount']>, ParentType, ContextType>;
  zones?: Resolver<Array<ResolversTypes['Zone']>, ParentType, ContextType>;
}>;

export type StationConnectionResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['StationConnection'] = ResolversParentTypes['StationConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['StationEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type StationEdgeResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['StationEdge'] = ResolversParentTypes['StationEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Station'], ParentType, ContextType>;
}>;

export type StationSeriesResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['StationSeries'] = ResolversParentTypes['StationSeries']> = ResolversObject<{
  bucketStarts?: Resolver<Array<ResolversTypes['DateTime']>, ParentType, ContextType>;
  docksAvailable?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
  stations?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
  stationsRenting?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
  vehiclesAvailable?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type VehicleResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['Vehicle'] = ResolversParentTypes['Vehicle'], FederationReferenceType extends FederationReferenceTypes['Vehicle'] = FederationReferenceTypes['Vehicle']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Vehicle']> | FederationReferenceType, FederationReferenceType, ContextType>;
  formFactor?: Resolver<ResolversTypes['FormFactor'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isDisabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  isReserved?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  lastReportedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lat?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lng?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  municipalityCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  operator?: Resolver<ResolversTypes['Operator'], ParentType, ContextType>;
  parkEvent?: Resolver<Maybe<ResolversTypes['ParkEvent']>, ParentType, ContextType>;
  parkedSince?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  seenAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  stale?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  stationId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vehicleId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  vehicleType?: Resolver<Maybe<ResolversTypes['VehicleType']>, ParentType, ContextType>;
  zones?: Resolver<Array<ResolversTypes['Zone']>, ParentType, ContextType>;
}>;

export type VehicleConnectionResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['VehicleConnection'] = ResolversParentTypes['VehicleConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['VehicleEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type VehicleCountResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['VehicleCount'] = ResolversParentTypes['VehicleCount']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  formFactor?: Resolver<Maybe<ResolversTypes['FormFactor']>, ParentType, ContextType>;
  municipalityCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  operator?: Resolver<Maybe<ResolversTypes['Operator']>, ParentType, ContextType>;
  placement?: Resolver<Maybe<ResolversTypes['VehiclePlacement']>, ParentType, ContextType>;
  zone?: Resolver<Maybe<ResolversTypes['Zone']>, ParentType, ContextType>;
}>;

export type VehicleEdgeResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['VehicleEdge'] = ResolversParentTypes['VehicleEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Vehicle'], ParentType, ContextType>;
}>;

export type VehicleTypeResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['VehicleType'] = ResolversParentTypes['VehicleType'], FederationReferenceType extends FederationReferenceTypes['VehicleType'] = FederationReferenceTypes['VehicleType']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['VehicleType']> | FederationReferenceType, FederationReferenceType, ContextType>;
  formFactor?: Resolver<ResolversTypes['FormFactor'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  operator?: Resolver<ResolversTypes['Operator'], ParentType, ContextType>;
  operatorId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  propulsionType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ZoneResolvers<ContextType = VehiclesContext, ParentType extends ResolversParentTypes['Zone'] = ResolversParentTypes['Zone'], FederationReferenceType extends FederationReferenceTypes['Zone'] = FederationReferenceTypes['Zone']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Zone']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  parkedVehicles?: Resolver<ResolversTypes['VehicleConnection'], ParentType, ContextType, Partial<ZoneParkedVehiclesArgs>>;
  stationAvailability?: Resolver<ResolversTypes['StationSeries'], ParentType, ContextType, RequireFields<ZoneStationAvailabilityArgs, 'from' | 'interval' | 'to'>>;
  stations?: Resolver<ResolversTypes['StationConnection'], ParentType, ContextType, Partial<ZoneStationsArgs>>;
}>;

export type Resolvers<ContextType = VehiclesContext> = ResolversObject<{
  AvailableVehicle?: AvailableVehicleResolvers<ContextType>;
  AvailableVehicleConnection?: AvailableVehicleConnectionResolvers<ContextType>;
  AvailableVehicleEdge?: AvailableVehicleEdgeResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Feed?: FeedResolvers<ContextType>;
  FeedDeletion?: FeedDeletionResolvers<ContextType>;
  FeedError?: FeedErrorResolvers<ContextType>;
  FeedHealth?: FeedHealthResolvers<ContextType>;
  FeedNotice?: FeedNoticeResolvers<ContextType>;
  FeedOutage?: FeedOutageResolvers<ContextType>;
  FeedOutageConnection?: FeedOutageConnectionResolvers<ContextType>;
  FeedOutageEdge?: FeedOutageEdgeResolvers<ContextType>;
  FormFactorCount?: FormFactorCountResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Operator?: OperatorResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  ParkEvent?: ParkEventResolvers<ContextType>;
  ParkEventConnection?: ParkEventConnectionResolvers<ContextType>;
  ParkEventEdge?: ParkEventEdgeResolvers<ContextType>;
  ParkingDurationBucket?: ParkingDurationBucketResolvers<ContextType>;
  ParkingDurations?: ParkingDurationsResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Station?: StationResolvers<ContextType>;
  StationConnection?: StationConnectionResolvers<ContextType>;
  StationEdge?: StationEdgeResolvers<ContextType>;
  StationSeries?: StationSeriesResolvers<ContextType>;
  Vehicle?: VehicleResolvers<ContextType>;
  VehicleConnection?: VehicleConnectionResolvers<ContextType>;
  VehicleCount?: VehicleCountResolvers<ContextType>;
  VehicleEdge?: VehicleEdgeResolvers<ContextType>;
  VehicleType?: VehicleTypeResolvers<ContextType>;
  Zone?: ZoneResolvers<ContextType>;
}>;

