import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { OD_MIN_COUNT_FLOOR } from './domain/od';
import { redactUrl } from './redact';
import { hasWholeHourOffsets, isTimeZone } from './time/buckets';
import { HOUR, MINUTE, SECOND } from './units';

/** The repository root: data folders and schema files are found relative to it, never to the cwd. */
export const PROJECT_ROOT = resolve(__dirname, '..');

const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().positive();
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const postgresUrl = z
  .string()
  .url()
  .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must start with postgres:// or postgresql://');

const redisUrl = z
  .string()
  .url()
  .refine((u) => /^rediss?:\/\//.test(u), 'must start with redis:// or rediss://');

/** `zones=http://zones:4001/graphql,trips=http://...` -> { zones: 'http://...' } */
const subgraphUrls = z.string().transform((raw, ctx) => {
  const out: Record<string, string> = {};
  for (const part of raw.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    const url = part.slice(eq + 1).trim();
    if (eq <= 0 || !/^https?:\/\//.test(url)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${part}" is not name=http(s)://host:port/graphql`,
      });
      return z.NEVER;
    }
    out[name] = url;
  }
  return out;
});

const timeZone = z.string().refine(isTimeZone, 'must be an IANA time zone like Europe/Amsterdam');

/** `GM0363=Europe/Amsterdam,GM0599=Europe/Amsterdam` -> { GM0363: 'Europe/Amsterdam', ... } */
const municipalityTimeZones = z.string().transform((raw, ctx) => {
  const out: Record<string, string> = {};
  for (const part of raw.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const [code, zone] = part.split('=').map((p) => p.trim());
    if (!code || !zone || !/^GM\d{4}$/.test(code) || !isTimeZone(zone)) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not GM0000=Area/City` });
      return z.NEVER;
    }
    out[code] = zone;
  }
  return out;
});

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: postgresUrl.optional(),
  REDIS_URL: redisUrl.optional(),
  DATA_DIR: z.string().default(join(PROJECT_ROOT, '.data')),
  EMBEDDED_PG_PORT: port.default(54329),
  HOST: z.string().optional(),
  PORT: port.default(4000),
  SUBGRAPH_PORT: port.optional(),
  /** The jobs process's own HTTP port: `/health`, `/ready` and `/metrics` (0: any free port). */
  JOBS_PORT: port.default(4100),
  /**
   * Bearer token `/metrics` asks for on every process. Unset: `/metrics` is open outside
   * production and not served at all in production.
   */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** OTLP/HTTP collector (`http://collector:4318`): traces are exported only when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** The `service.name` of exported spans; default `mobility-<process>`. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  SUPERGRAPH_PATH: z.string().default(join(PROJECT_ROOT, 'schema', 'supergraph.graphql')),
  SUBGRAPH_URLS: subgraphUrls.default({}),
  SUBGRAPH_TIMEOUT_MS: positiveMs.default(10 * SECOND),
  SHUTDOWN_TIMEOUT_MS: positiveMs.default(10 * SECOND),
  DB_POOL_MAX: z.coerce.number().int().positive().default(10),
  JOBS_CONCURRENCY: z.coerce.number().int().positive().default(4),
  JOBS_SCHEDULER_INTERVAL_MS: positiveMs.default(250),
  ZONE_INDEX_CHECK_INTERVAL_MS: positiveMs.default(30 * SECOND),
  /** Cron schedules created by a runner (e.g. the nightly report) are in this time zone. */
  JOBS_TIME_ZONE: timeZone.default('Europe/Amsterdam'),
  /** Run history older than this is deleted by `prune_history`. */
  JOB_RUNS_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
  /** Hub status changes older than this are deleted by `prune_history` (each hub's latest stays). */
  HUB_STATUS_HISTORY_RETENTION_DAYS: z.coerce.number().int().positive().default(365),
  /** Audit log entries older than this are deleted by `prune_history`. */
  AUDIT_LOG_RETENTION_DAYS: z.coerce.number().int().positive().default(730),
  /** Feed outages that ended longer ago than this are deleted by `prune_history` (open ones stay). */
  FEED_OUTAGES_RETENTION_DAYS: z.coerce.number().int().positive().default(365),
  /** The daily report's calendar days and measurement moments are in this time zone. */
  DAILY_REPORT_TIME_ZONE: timeZone.default('Europe/Amsterdam'),
  /** Each nightly run recomputes this many days back (late trips land). */
  DAILY_REPORT_RECOMPUTE_DAYS: z.coerce.number().int().min(1).max(31).default(2),
  /** After the jobs were down, one run catches up at most this many missed days. */
  DAILY_REPORT_MAX_CATCH_UP_DAYS: z.coerce.number().int().min(1).max(366).default(31),
  /** Zone files (`npm run zones:import`, `importZones`) larger than this are refused unread. */
  ZONES_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024),
  INTROSPECTION: bool.default(true),
  /** `npm start` only: load the reference data (municipalities) at start. */
  SEED: bool.default(true),
  /** `npm start` only: the demo organisations and users. Default on, except in production (never). */
  DEMO: bool.optional(),
  /** `npm start` only: run the feed simulator and register its feeds. As DEMO. */
  DEMO_FEEDS: bool.optional(),
  /** Production only: accept the embedded PostgreSQL (trust authentication on 127.0.0.1). */
  ALLOW_EMBEDDED_DATABASE: bool.default(false),
  DEMO_VEHICLES: z.coerce.number().int().positive().default(600),
  DEMO_OPERATORS: z.coerce.number().int().positive().max(20).default(3),
  DEMO_SEED: z.coerce.number().int().default(42),
  /**
   * `npm start` with DEMO_FEEDS: days of simulated history (park events, trips, rentals, series,
   * daily report, OD flows) the first start fills in; 0: none.
   */
  DEMO_HISTORY_DAYS: z.coerce.number().int().min(0).max(62).default(14),
  /** HMAC secret shared by the gateway and the subgraphs for the signed scope header. */
  SCOPE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SCOPE_HEADER_TTL_MS: positiveMs.default(60 * SECOND),

  /** Bearer tokens: verified with a JWKS URL, a PEM public key, or (development) an HS256 secret. */
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_PUBLIC_KEY: z.string().optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  JWT_ALGORITHMS: z
    .string()
    .transform((v) => v.split(',').map((a) => a.trim()))
    .pipe(z.array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'])))
    .optional(),
  JWT_EMAIL_CLAIM: z.string().default('email'),
  /** Tokens must carry `exp` and live at most this long (exp - iat); 0 disables both checks. */
  JWT_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(24 * 3600),
  /** How long a caller's resolved scope is reused; grants and revocations apply within this. */
  AUTH_CACHE_TTL_MS: positiveMs.default(5 * SECOND),

  LIMIT_MAX_DEPTH: z.coerce.number().int().positive().default(12),
  LIMIT_MAX_ALIASES: z.coerce.number().int().nonnegative().default(20),
  LIMIT_MAX_TOKENS: z.coerce.number().int().positive().default(3000),
  /** graphql-armor cost: objects 2, scalars 1, x1.5 per level, x the literal `first` of a list. */
  LIMIT_MAX_COST: z.coerce.number().int().positive().default(50_000),
  LIMIT_MAX_DIRECTIVES: z.coerce.number().int().nonnegative().default(20),
  /** Requests per window per API key, user or IP address. */
  RATE_LIMIT_POINTS: z.coerce.number().int().positive().default(600),
  RATE_LIMIT_WINDOW_MS: positiveMs.default(60 * SECOND),
  /**
   * Gateway processes sharing the port (node:cluster) under `npm run start:gateway`; 1 runs the
   * gateway in the process itself. Default: the CPU count.
   */
  GATEWAY_WORKERS: z.coerce.number().int().positive().default(availableParallelism()),
  /** Identical queries in flight at the same time from the same scope share one execution. */
  GATEWAY_DEDUP: bool.default(true),
  /** Public-scope query results kept until the data under them changes; 0 turns the cache off. */
  RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().nonnegative().default(1000),
  /** The longest a cached public result is served without any event (bounds a lost event). */
  RESPONSE_CACHE_TTL_MS: positiveMs.default(30 * SECOND),
  /** A trusted-documents list (persisted operations) callers may name by id: a JSON file. */
  TRUSTED_DOCUMENTS: z.string().min(1).optional(),
  /** Who may run only the list's operations: API-key and anonymous callers, everyone, no one. */
  TRUSTED_DOCUMENTS_REQUIRED_FOR: z
    .enum(['third-parties', 'everyone', 'none'])
    .default('third-parties'),
  /** `Cache-Control: public, max-age=N` on public query results, for CDNs and browsers. */
  PUBLIC_MAX_AGE_SECONDS: z.coerce.number().int().nonnegative().default(5),
  /** Refused credentials (bad token or API key) per window per IP address, before a 429. */
  AUTH_FAILURE_LIMIT_POINTS: z.coerce.number().int().positive().default(30),
  AUTH_FAILURE_LIMIT_WINDOW_MS: positiveMs.default(60 * SECOND),
  /** WebSocket: connections opened per minute per IP address (any caller). */
  WS_CONNECTS_PER_MINUTE_PER_IP: z.coerce.number().int().positive().default(60),
  /** WebSocket: open anonymous connections, and their subscriptions, per IP address. */
  WS_MAX_ANONYMOUS_CONNECTIONS_PER_IP: z.coerce.number().int().positive().default(20),
  WS_MAX_ANONYMOUS_SUBSCRIPTIONS_PER_IP: z.coerce.number().int().positive().default(100),
  /** Behind a load balancer: take the client IP from X-Forwarded-For (and TLS from X-Forwarded-Proto). */
  TRUST_PROXY: bool.default(false),
  /** Origins browsers may call /graphql from: `*` or a comma-separated list of exact origins. */
  CORS_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
    )
    .pipe(
      z.array(
        z.union([
          z.literal('*'),
          z.string().regex(/^https?:\/\/[^/\s]+$/, 'origins look like https://host[:port]'),
        ]),
      ),
    )
    .transform((list): '*' | string[] => (list.includes('*') ? '*' : list))
    .default('*'),
  /** Strict-Transport-Security max-age for requests that arrived over TLS; 0 sends none. */
  HSTS_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(180 * 24 * 3600),

  /** Importer (jobs/importer/importFeeds.ts): reading feeds and the rules of the diff engine. */
  IMPORTER_FEED_TIMEOUT_MS: positiveMs.default(10 * SECOND),
  IMPORTER_FEED_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
  IMPORTER_CONCURRENCY: z.coerce.number().int().positive().default(8),
  /**
   * A tick with more vehicles than this fans out: one job per feed, small feeds grouped up to
   * this many vehicles, shared by every job runner (jobs/importer/fanOut.ts).
   */
  IMPORTER_GROUP_VEHICLES: z.coerce.number().int().positive().default(20_000),
  IMPORTER_REAPPEAR_WINDOW_MS: positiveMs.default(15 * MINUTE),
  IMPORTER_REAPPEAR_DISTANCE_METERS: z.coerce.number().nonnegative().default(100),
  IMPORTER_RELOCATION_DISTANCE_METERS: z.coerce.number().positive().default(500),
  IMPORTER_MAX_TRIP_DURATION_MS: positiveMs.default(24 * HOUR),
  IMPORTER_ROTATING_MATCH_METERS: z.coerce.number().nonnegative().default(15),
  IMPORTER_DROP_RATIO: z.coerce.number().min(0).max(1).default(0.5),
  IMPORTER_DROP_MIN_VEHICLES: z.coerce.number().int().nonnegative().default(20),
  IMPORTER_DROP_ACCEPT_AFTER_MS: positiveMs.default(30 * MINUTE),
  IMPORTER_MAX_GAP_MS: positiveMs.default(5 * MINUTE),
  IMPORTER_MDS_TRIPS_DELAY_MS: positiveMs.default(HOUR),
  IMPORTER_MDS_TRIPS_MAX_HOURS: z.coerce.number().int().positive().default(24),
  /** Vehicles vanishing (rotating ids: appearing) this many at once within the radius: a van. */
  IMPORTER_BATCH_MIN_VEHICLES: z.coerce.number().int().min(2).default(5),
  IMPORTER_BATCH_RADIUS_METERS: z.coerce.number().positive().default(200),
  /** This share of the fleet (and at least the minimum) vanishing at once: a partial outage. */
  IMPORTER_PARTIAL_OUTAGE_RATIO: z.coerce.number().min(0).max(1).default(0.05),
  IMPORTER_PARTIAL_OUTAGE_MIN_VEHICLES: z.coerce.number().int().min(2).default(5),
  /** Vehicles held (partial outage, bad record) this long without being listed are gone. */
  IMPORTER_HOLD_MAX_MS: positiveMs.default(2 * HOUR),
  /** This share of one snapshot's vanished vehicles renamed in place: the fleet was re-keyed. */
  IMPORTER_REKEY_SHARE: z.coerce.number().min(0).max(1).default(0.5),
  /** A feed whose own `last_updated` is older than this is STALE: nothing from it is believed. */
  IMPORTER_STALE_AFTER_MS: positiveMs.default(15 * MINUTE),
  /** More than this share of a snapshot's vehicles with bad records fails the whole snapshot. */
  IMPORTER_QUARANTINE_MAX_RATIO: z.coerce.number().min(0).max(1).default(0.2),
  /** A first-seen vehicle's park event starts at its own last_reported, if within this horizon. */
  IMPORTER_PARK_START_HORIZON_MS: positiveMs.default(365 * 24 * HOUR),

  // Microhubs: the controller (jobs/microhubs/microhubsController.ts) and the operator feeds.
  /** A closed hub reopens once free places reach this share of its capacity (hysteresis). */
  MICROHUB_REOPEN_FREE_PERCENT: z.coerce.number().min(0).max(100).default(5),
  /** Vehicles parked within this distance of a hub count for it, unless the hub sets its own. */
  MICROHUB_DEFAULT_BUFFER_METERS: z.coerce.number().min(0).max(200).default(30),
  /** `ttl` of the MDS /stops and GBFS station feeds: how often the controller recounts. */
  MICROHUB_FEED_TTL_MS: positiveMs.default(30 * SECOND),
  /** A hub's geometry: positions in all rings, holes per polygon, polygons of a MultiPolygon. */
  MICROHUB_MAX_VERTICES: z.coerce.number().int().min(4).default(1000),
  MICROHUB_MAX_HOLES: z.coerce.number().int().min(0).default(20),
  MICROHUB_MAX_PARTS: z.coerce.number().int().min(1).default(20),
  /** At least this share of a hub's area lies in its one municipality. */
  MICROHUB_MIN_SHARE_IN_MUNICIPALITY_PERCENT: z.coerce.number().min(50).max(100).default(95),
  /** Language of the station names in the GBFS feeds (IETF BCP 47). */
  MICROHUB_FEED_LANGUAGE: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language code like nl or en-GB')
    .default('nl'),

  // The feed simulator (bin/simulator.ts), a process of its own for the demo and benches.
  SIMULATOR_PORT: port.default(4010),
  SIMULATOR_HOST: z.string().min(1).optional(),
  SIMULATOR_VEHICLES: z.coerce.number().int().positive().default(300),
  SIMULATOR_SEED: z.coerce.number().int().default(42),
  SIMULATOR_OPERATORS: z.coerce.number().int().positive().max(100).default(3),

  // Origin-destination flows: the od_matrix job (jobs/od/) and the od subgraph.
  /** k of the k-anonymity rule: a flow of fewer trips is never published. Never below 4. */
  OD_MIN_COUNT: z.coerce
    .number()
    .int()
    .min(OD_MIN_COUNT_FLOOR, `must be at least ${OD_MIN_COUNT_FLOOR}: it may only be raised`)
    .default(OD_MIN_COUNT_FLOOR),
  /** The time zone of the four-hour blocks, for municipalities without their own. */
  OD_TIME_ZONE: timeZone.default('Europe/Amsterdam'),
  /** `GM0363=Europe/Amsterdam,GM9999=Europe/Lisbon`: municipalities with a time zone of their own. */
  OD_MUNICIPALITY_TIME_ZONES: municipalityTimeZones.default({}),
  /** How far back the job computes blocks not computed yet (a fresh install, a long outage). */
  OD_CATCH_UP_DAYS: z.coerce.number().int().positive().max(400).default(35),
  /** Blocks one run computes at most; the rest follow in the next runs. */
  OD_MAX_BLOCKS_PER_RUN: z.coerce.number().int().positive().default(240),

  // Zone time series (jobs/zoneStats): the zone_stats job, its rollups and their retention.
  /**
   * How far back a change to the events (a late trip, MDS trips, a vehicle that reappeared) is
   * recounted in its window; the first run also counts this far back.
   */
  ZONE_STATS_RECOUNT_MS: positiveMs
    .min(HOUR, 'must be at least an hour (3600000)')
    .default(2 * HOUR),
  /** After the jobs were down, a run fills at most this much of the gap (the rest the next runs). */
  ZONE_STATS_MAX_CATCHUP_MS: positiveMs.default(7 * 24 * HOUR),
  /** Days of the daily rollup (and so of fast DAY / WEEK / MONTH answers) are days in this zone. */
  ZONE_STATS_TIME_ZONE: z
    .string()
    .refine(
      (tz) => isTimeZone(tz) && hasWholeHourOffsets(tz),
      'must be an IANA time zone with whole-hour UTC offsets, such as Europe/Amsterdam',
    )
    .default('Europe/Amsterdam'),
  ZONE_STATS_RETENTION_5M_DAYS: z.coerce.number().int().positive().default(90),
  ZONE_STATS_RETENTION_HOUR_DAYS: z.coerce.number().int().positive().default(730),
  /** Unset: daily rows are kept for ever. */
  ZONE_STATS_RETENTION_DAY_DAYS: z.coerce.number().int().positive().optional(),
});

export type Config = Omit<z.infer<typeof schema>, 'DEMO' | 'DEMO_FEEDS'> & {
  DEMO: boolean;
  DEMO_FEEDS: boolean;
};

/** Every variable the config reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** Separate gateway and subgraph processes must share SCOPE_SECRET; say so instead of failing later. */
export function requireScopeSecret(config: Config): string {
  if (!config.SCOPE_SECRET) {
    throw new ConfigError(
      'SCOPE_SECRET is not set: the gateway and the subgraphs need the same secret (32+ characters) to sign and verify the scope header',
    );
  }
  return config.SCOPE_SECRET;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Secrets are never echoed, not even in the message about a bad value. */
const SECRET_VARIABLES = new Set(['SCOPE_SECRET', 'JWT_SECRET', 'JWT_PUBLIC_KEY', 'METRICS_TOKEN']);
const URL_VARIABLES = new Set(['DATABASE_URL', 'REDIS_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT']);

function shownValue(key: string, value: string): string {
  if (SECRET_VARIABLES.has(key)) return `<${value.length} characters, not shown>`;
  if (URL_VARIABLES.has(key) && URL.canParse(value)) return JSON.stringify(redactUrl(value));
  if (URL_VARIABLES.has(key)) return '<not a URL, not shown>';
  return JSON.stringify(value);
}

/**
 * Reads the environment once and validates it. Nothing else in the code base reads `process.env`
 * (`disableLibraryTelemetry` below is the one write); every process calls this at start and
 * passes the result down.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in schema.shape && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.');
      return `${key}=${shownValue(key, env[key] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const production = parsed.data.NODE_ENV === 'production';
  for (const key of ['DEMO', 'DEMO_FEEDS'] as const) {
    if (production && parsed.data[key]) {
      throw new ConfigError(
        `invalid configuration: ${key}=true: demo identities and feeds are never created in production`,
      );
    }
  }
  return {
    ...parsed.data,
    DEMO: parsed.data.DEMO ?? !production,
    DEMO_FEEDS: parsed.data.DEMO_FEEDS ?? !production,
  };
}

/** What a process needs from its environment when it runs in production. */
export interface ProductionNeeds {
  /** Verifies callers' tokens: an identity provider's key, never a development secret. */
  identityProvider?: boolean;
  /** Signs or verifies the scope header shared by the gateway and the subgraphs. */
  scopeSecret?: boolean;
  /** Opens the database: a real server, not the embedded one (trust authentication). */
  database?: boolean;
}

/** What each entry point (`bin/<name>.ts`) needs in production. */
export const PROCESS_NEEDS = {
  start: { identityProvider: true, scopeSecret: true, database: true },
  gateway: { identityProvider: true, scopeSecret: true },
  subgraph: { scopeSecret: true, database: true },
  jobs: { database: true },
  migrate: { database: true },
  seed: { database: true },
} as const satisfies Record<string, ProductionNeeds>;

/**
 * In production (NODE_ENV=production) a process refuses to start without what keeps it safe; the
 * error is one line naming every missing piece. Outside production nothing is required.
 */
export function assertProductionReady(config: Config, needs: ProductionNeeds): void {
  if (config.NODE_ENV !== 'production') return;
  const missing: string[] = [];
  if (needs.identityProvider) {
    if (!config.JWT_JWKS_URL && !config.JWT_PUBLIC_KEY) {
      missing.push('JWT_JWKS_URL or JWT_PUBLIC_KEY (your identity provider)');
    }
    if (config.JWT_SECRET) {
      missing.push('JWT_SECRET unset (HS256 development tokens are not accepted in production)');
    }
  }
  if (needs.scopeSecret && !config.SCOPE_SECRET) {
    missing.push(
      'SCOPE_SECRET (32+ random characters, the same on the gateway and every subgraph)',
    );
  }
  if (needs.database && !config.DATABASE_URL && !config.ALLOW_EMBEDDED_DATABASE) {
    missing.push(
      'DATABASE_URL (or ALLOW_EMBEDDED_DATABASE=true to run the embedded PostgreSQL, which trusts every local connection)',
    );
  }
  if (missing.length > 0) {
    throw new ConfigError(`production start refused: set ${missing.join('; ')}`);
  }
}

/**
 * @apollo/gateway would export usage metrics to Apollo and probe cloud metadata endpoints when it
 * is constructed; this product sends nothing to third parties. The library reads only this
 * variable, so the gateway sets it before constructing one.
 */
export function disableLibraryTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}
