import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { Logger } from '../lib/logger';
import { MINUTE, SECOND } from '../lib/units';

/** Errors that say the database is unreachable for now (restarting, failing over), not that a query is wrong. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
]);

export function isDatabaseUnreachable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  return typeof message === 'string' && /Connection terminated/.test(message);
}

export interface PatientPoolOptions extends PoolConfig {
  logger: Logger;
  /** How long `connect()` keeps trying while the database is unreachable. */
  patienceMs?: number;
}

/**
 * The job queue's connection pool. graphile-worker (0.17) retries only a few error codes when it
 * records a job's outcome, and a refused connection is not one of them: the rejection goes
 * unhandled and the process dies, so a database restart during any job would kill every runner.
 * Here `connect()` waits for the database instead (backoff up to 5 s, for `patienceMs`), so the
 * outcome is recorded once it is back and the failed job is retried by the queue as usual.
 */
export class PatientPool extends Pool {
  private readonly logger: Logger;
  private readonly patienceMs: number;

  constructor({ logger, patienceMs = 5 * MINUTE, ...config }: PatientPoolOptions) {
    super(config);
    this.logger = logger;
    this.patienceMs = patienceMs;
  }

  override connect(): Promise<PoolClient>;
  override connect(
    callback: (err: Error | undefined, client: PoolClient | undefined, done: () => void) => void,
  ): void;
  override connect(
    callback?: (err: Error | undefined, client: PoolClient | undefined, done: () => void) => void,
  ): Promise<PoolClient> | void {
    if (callback) {
      super.connect(callback);
      return;
    }
    return this.connectPatiently();
  }

  private async connectPatiently(): Promise<PoolClient> {
    const deadline = Date.now() + this.patienceMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await super.connect();
      } catch (err) {
        if (!isDatabaseUnreachable(err) || Date.now() >= deadline || this.ending) throw err;
        const delayMs = Math.min(5 * SECOND, 100 * 2 ** Math.min(attempt, 6));
        if (attempt === 1 || attempt % 10 === 0) {
          this.logger.warn(
            { err: (err as Error).message, attempt },
            'job queue: database unreachable; waiting for it',
          );
        }
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }
}
