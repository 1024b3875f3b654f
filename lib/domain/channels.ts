import type { HubEvent } from './hubs/events';

/** Channel names: one place, so publishers and subscribers can't drift apart. */
export const channels = {
  zonesChanged: 'zones.changed',
  /** Users, grants or API keys changed: gateways drop their cached scopes. */
  scopeInvalidated: 'scope.invalidated',
  /**
   * A job run finished and wrote rows (any task: zone series, OD, reports, imports): caches of
   * what the subgraphs serve (the gateway's response cache) are dropped.
   */
  dataRefreshed: 'data.refreshed',
  /** The importer finished a tick (current positions changed). */
  vehiclesUpdated: 'vehicles.updated',
  /**
   * A feed went down or came back. Published for live feed-health widgets; no subscription
   * serves it yet (the vehicles subgraph's `feedHealth` query reads the same state from tables).
   */
  feedHealthChanged: 'feeds.health',
  /** A hub opened, closed, appeared or disappeared (microhubs controller), once per change. */
  hubStatusChanged: 'hubs.status',
  /** A hub's counts changed: vehicles, places available, open (microhubs controller). */
  hubOccupancy: 'hubs.occupancy',
} as const;

/**
 * What each channel carries: a publisher is held to it by the type of `PubSub.publish`. A
 * subscriber still gets `unknown` (another process, maybe another version, wrote it) and checks
 * what it reads, as `parseHubEvent` does.
 */
export interface ChannelPayloads {
  'zones.changed': { reason: string; hubId?: string; rows?: number };
  'scope.invalidated': { at: number };
  'data.refreshed': { task: string; at: string; rows: number };
  'vehicles.updated': { at: string; feeds: number; vehicles: number; events: number };
  'feeds.health': {
    feedId: string;
    operatorId: string;
    status: 'OK' | 'DOWN' | 'STALE';
    at: string;
    errorKind: string | null;
    message: string | null;
  };
  'hubs.status': HubEvent;
  'hubs.occupancy': HubEvent;
}

export type Channel = keyof ChannelPayloads;

/** The payload a channel name carries; a name outside the map (tests, benches) carries anything. */
export type PayloadOf<C extends string> = C extends Channel ? ChannelPayloads[C] : unknown;
