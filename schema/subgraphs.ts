import { join } from 'node:path';

/**
 * The subgraphs that make up the supergraph: name, the port it listens on by default (the URL
 * written into the composed supergraph), its SDL, and what codegen needs to type its resolvers
 * (its context type and the row types its GraphQL types map to, relative to the generated file).
 * Compose, `scripts/codegenConfig.ts` (which writes codegen.yml) and the runners read this list:
 * a new subgraph is its folder plus one entry here and one in subgraphs/index.ts.
 */
const sdl = (name: string): string => join(__dirname, '..', 'subgraphs', name, 'schema.graphql');

/** Default ports: zones 4001, vehicles 4002, trips 4003, microhubs 4004, od 4005, users 4006. */
export const SUBGRAPHS = [
  {
    name: 'zones',
    port: 4001,
    schemaPath: sdl('zones'),
    codegen: {
      context: 'ZonesContext',
      mappers: { Zone: '../../../lib/domain/zones#ZoneRow' },
      scalars: { GeoJSON: 'unknown', DateTime: 'Date', SeriesColumn: '(number | null)[]' },
    },
  },
  {
    name: 'vehicles',
    port: 4002,
    schemaPath: sdl('vehicles'),
    codegen: {
      context: 'VehiclesContext',
      mappers: {
        Operator: '../repository#OperatorRow',
        VehicleType: '../repository#VehicleTypeRow',
        Feed: '../repository#FeedRow',
        FeedHealth: '../repository#FeedHealthRow',
        FeedOutage: '../repository#FeedOutageRow',
        Vehicle: '../repository#VehicleRow',
        ParkEvent: '../repository#ParkEventRow',
        AvailableVehicle: '../repository#AvailableVehicleRow',
        VehicleCount: '../repository#VehicleCountRow',
        ParkingDurations: '../repository#ParkingDurationsRow',
        Station: '../stations#StationRow',
        StationSeries: '../stations#StationSeriesRow',
        Zone: '../repository#ZoneRef',
      },
      scalars: { DateTime: 'Date' },
    },
  },
  {
    name: 'trips',
    port: 4003,
    schemaPath: sdl('trips'),
    codegen: {
      context: 'TripsContext',
      mappers: {
        Trip: '../repository#TripRow',
        RentalCount: '../repository#RentalCountRow',
        Zone: '../resolvers/Zone#ZoneRef',
        DailyIndicators: '../repository#DailyIndicatorsRow',
      },
      scalars: { DateTime: 'Date' },
    },
  },
  {
    name: 'users',
    port: 4006,
    schemaPath: sdl('users'),
    codegen: {
      context: 'UsersContext',
      mappers: {
        Organisation: '../repository#OrganisationRow',
        User: '../repository#UserRow',
        DataAccessGrant: '../repository#GrantRow',
        ApiKey: '../repository#ApiKeyRow',
        Dashboard: '../repository#DashboardRow',
        AuditLogEntry: '../repository#AuditRow',
        OrganisationChange: '../repository#HistoryRow',
        JobSchedule: '../../../lib/domain/jobSchedules#JobScheduleRow',
        JobRun: '../../../lib/domain/jobSchedules#JobRunRow',
        CallerScope: '../../../lib/auth/scope#Scope',
      },
      scalars: { JSON: 'unknown', DateTime: 'Date' },
    },
  },
  {
    name: 'microhubs',
    port: 4004,
    schemaPath: sdl('microhubs'),
    codegen: {
      context: 'MicrohubsContext',
      mappers: {
        Hub: '../../../lib/domain/hubs/model#HubRow',
        HubStatus: '../../../lib/domain/hubs/model#HubStatusRow',
        HubStatusChange: '../../../lib/domain/hubs/model#HubHistoryRow',
        HubStatusEvent: '../../../lib/domain/hubs/events#HubEvent',
        Zone: '../resolvers/Zone#ZoneReference',
      },
      scalars: { DateTime: 'Date', GeoJSON: 'unknown' },
    },
  },
  {
    name: 'od',
    port: 4005,
    schemaPath: sdl('od'),
    codegen: {
      context: 'OdContext',
      mappers: {
        OdFlows: '../resolvers/OdFlows#OdFlowsResult',
        OdFlow: '../repository#OdFlowRow',
        OdPlace: '../repository#OdPlaceRow',
        Zone: '../resolvers/Zone#ZoneReference',
      },
      scalars: { GeoJSON: 'unknown' },
    },
  },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export function isSubgraphName(name: string): name is SubgraphName {
  return SUBGRAPHS.some((s) => s.name === name);
}
