import type { Logger } from './logger';

type Disposer = () => Promise<void> | void;

/**
 * Every resource registers its disposer when it is created; `close()` runs them in reverse order
 * (last opened, first closed), each once, even when one fails.
 */
export class Lifecycle {
  private readonly disposers: { name: string; dispose: Disposer }[] = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly logger: Logger) {}

  add(name: string, dispose: Disposer): void {
    if (this.closing) throw new Error(`cannot register "${name}": shutting down`);
    this.disposers.push({ name, dispose });
  }

  get isClosing(): boolean {
    return this.closing !== undefined;
  }

  close(): Promise<void> {
    this.closing ??= this.runDisposers();
    return this.closing;
  }

  private async runDisposers(): Promise<void> {
    for (const { name, dispose } of this.disposers.reverse()) {
      try {
        await dispose();
        this.logger.debug({ resource: name }, 'closed');
      } catch (err) {
        this.logger.error({ err, resource: name }, 'failed to close resource');
      }
    }
  }
}

/**
 * SIGTERM/SIGINT drain the lifecycle; if that takes longer than `timeoutMs` the process exits
 * with code 1 anyway. A second signal forces the exit at once.
 */
export function exitOnSignals(lifecycle: Lifecycle, logger: Logger, timeoutMs: number): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (lifecycle.isClosing) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    logger.info({ signal, timeoutMs }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out: forcing exit');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    void lifecycle.close().then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
