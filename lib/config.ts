import { join, resolve } from 'node:path';
import { z } from 'zod';
import { HOUR, MINUTE, SECOND } from './units';

/** The repository root: data folders and schema files are found relative to it, never to the cwd. */
export const PROJECT_ROOT = resolve(__dirname, '..');

const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().positive();
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone like Europe/Amsterdam');

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
  SEED: bool.default(true),
  /** `npm start` only: run the feed simulator in-process and register its feeds. */
  DEMO_FEEDS: bool.default(true),
  DEMO_VEHICLES: z.coerce.number().int().positive().default(600),
  DEMO_OPERATORS: z.coerce.number().int().positive().max(20).default(3),
  DEMO_SEED: z.coerce.number().int().default(42),
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
  /** Behind a load balancer: take the client IP from X-Forwarded-For. */
  TRUST_PROXY: bool.default(false),

  /** Importer (jobs/importer/importFeeds.ts): reading feeds and the rules of the diff engine. */
  IMPORTER_FEED_TIMEOUT_MS: positiveMs.default(10 * SECOND),
  IMPORTER_FEED_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
  IMPORTER_CONCURRENCY: z.coerce.number().int().positive().default(8),
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

  // Microhubs: the controller (jobs/microhubs/microhubsController.ts) and the operator feeds.
  /** A closed hub reopens once free places reach this share of its capacity (hysteresis). */
  MICROHUB_REOPEN_FREE_PERCENT: z.coerce.number().min(0).max(100).default(5),
  /** Vehicles parked within this distance of a hub count for it, unless the hub sets its own. */
  MICROHUB_DEFAULT_BUFFER_METERS: z.coerce.number().min(0).max(200).default(30),
  /** `ttl` of the MDS /stops and GBFS station feeds: how often the controller recounts. */
  MICROHUB_FEED_TTL_MS: positiveMs.default(30 * SECOND),
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
});

export type Config = z.infer<typeof schema>;

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
      return `${key}=${JSON.stringify(env[key] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  return parsed.data;
}

/**
 * @apollo/gateway would export usage metrics to Apollo and probe cloud metadata endpoints when it
 * is constructed; this product sends nothing to third parties. The library reads only this
 * variable, so the gateway sets it before constructing one.
 */
export function disableLibraryTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}
