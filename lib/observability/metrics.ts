import { collectDefaultMetrics, Gauge, Histogram, register, type Registry } from 'prom-client';

/**
 * One Prometheus registry per process (prom-client's default one): the all-in-one process's
 * `/metrics` shows its gateway, subgraphs and job runner together; a separate process shows its
 * own. Every unit defines its metrics next to its code (gateway/metrics.ts, jobs/metrics.ts) and
 * registers them here by importing prom-client's classes.
 */
export const metricsRegistry: Registry = register;

/** The label value every value past a label's cap is counted under. */
export const OTHER_LABEL = 'other';

/**
 * A label whose values come from outside (operation names, feed ids): the first `max` distinct
 * values get a series of their own, every later one is `other`, so a client sending a new
 * operation name per request cannot grow the registry without bound.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly maxLength = 64,
  ) {}

  value(raw: string): string {
    const value = raw.length > this.maxLength ? raw.slice(0, this.maxLength) : raw;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OTHER_LABEL;
    this.seen.add(value);
    return value;
  }
}

/** Latency buckets for requests and fetches, in seconds: few, so a histogram stays cheap. */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 10];

let processMetricsStarted = false;

/** Node's own metrics (CPU, memory, event loop lag, GC, handles), once per process. */
export function collectProcessMetrics(): void {
  if (processMetricsStarted) return;
  processMetricsStarted = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

// Pub/sub ------------------------------------------------------------------------------------

const pubsubLag = new Histogram({
  name: 'pubsub_delivery_lag_seconds',
  help: 'Time from publishing a pub/sub message to its delivery to this process, by channel',
  labelNames: ['channel'],
  buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 2.5, 10],
  registers: [metricsRegistry],
});
const channelLabel = new BoundedLabel(50);

/** A message published at `publishedAtMs` (the publisher's clock) arrived now. */
export function observePubSubDelivery(channel: string, publishedAtMs: number): void {
  const lagSeconds = Math.max(0, Date.now() - publishedAtMs) / 1000;
  pubsubLag.observe({ channel: channelLabel.value(channel) }, lagSeconds);
}

// Database pools -----------------------------------------------------------------------------

/** What a pool reports; read at scrape time, never on a query's path. */
export interface PoolUsage {
  used: number;
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
  max: number;
}

const pools = new Map<string, Set<() => PoolUsage>>();

function eachPool(read: (pool: string, usage: PoolUsage) => void): void {
  for (const [pool, sources] of pools) {
    const sum: PoolUsage = { used: 0, idle: 0, waiting: 0, max: 0 };
    for (const source of sources) {
      const usage = source();
      sum.used += usage.used;
      sum.idle += usage.idle;
      sum.waiting += usage.waiting;
      sum.max += usage.max;
    }
    read(pool, sum);
  }
}

new Gauge({
  name: 'db_pool_connections',
  help: 'Database connections of this process, by pool and state (used, idle)',
  labelNames: ['pool', 'state'],
  registers: [metricsRegistry],
  collect() {
    this.reset();
    eachPool((pool, usage) => {
      this.set({ pool, state: 'used' }, usage.used);
      this.set({ pool, state: 'idle' }, usage.idle);
    });
  },
});
new Gauge({
  name: 'db_pool_waiting_clients',
  help: 'Callers waiting for a database connection, by pool',
  labelNames: ['pool'],
  registers: [metricsRegistry],
  collect() {
    this.reset();
    eachPool((pool, usage) => this.set({ pool }, usage.waiting));
  },
});
new Gauge({
  name: 'db_pool_max_connections',
  help: 'The most connections each pool of this process opens',
  labelNames: ['pool'],
  registers: [metricsRegistry],
  collect() {
    this.reset();
    eachPool((pool, usage) => this.set({ pool }, usage.max));
  },
});

/** Reports a pool under `name` (summed with others of that name) until the returned call. */
export function watchPool(name: string, usage: () => PoolUsage): () => void {
  const sources = pools.get(name) ?? new Set<() => PoolUsage>();
  pools.set(name, sources);
  sources.add(usage);
  return () => {
    sources.delete(usage);
    if (sources.size === 0) pools.delete(name);
  };
}
