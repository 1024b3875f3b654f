import pino from 'pino';
import type { Config } from './config';

export type Logger = pino.Logger;

/** One logger per process; units take `logger.child({ subgraph })`, `{ job, runId }`, ... */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL'>,
  base: Record<string, unknown> = {},
): Logger {
  return pino({ level: config.LOG_LEVEL, base: { pid: process.pid, ...base } });
}
