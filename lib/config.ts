import { join, resolve } from 'node:path';
import { z } from 'zod';
import { SECOND } from './units';

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
  INTROSPECTION: bool.default(true),
  SEED: bool.default(true),
  /** HMAC secret shared by the gateway and the subgraphs for the signed scope header. */
  SCOPE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SCOPE_HEADER_TTL_MS: positiveMs.default(60 * SECOND),
});

export type Config = z.infer<typeof schema>;

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
 * Reads the environment once and validates it. Nothing else in the code base reads `process.env`;
 * every process calls this at start and passes the result down.
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
