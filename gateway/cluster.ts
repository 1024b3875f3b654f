import cluster, { type Worker } from 'node:cluster';
import type { Lifecycle } from '../lib/lifecycle';
import { shareExplorerBundle } from './explorer';
import type { Logger } from '../lib/logger';
import { SECOND } from '../lib/units';

const RESTART_DELAY_MS = 1 * SECOND;

/** This process is a gateway worker forked by `startGatewayWorkers`. */
export function isGatewayWorker(): boolean {
  return cluster.isWorker;
}

/**
 * Forks `count` copies of this very script (same file, same Node options) as gateway workers that
 * share the listening port (node:cluster hands connections out round-robin). A worker that dies is
 * replaced after a second; on shutdown every worker is asked to drain (SIGTERM) and awaited. A
 * WebSocket stays on the worker that accepted it for its whole life; each worker subscribes to
 * the subgraphs itself, whose Redis fan-out reaches every worker alike. The schema explorer's
 * bundle is built once here, for every worker, when the first asks. Resolves once every worker
 * listens.
 */
export async function startGatewayWorkers(options: {
  count: number;
  logger: Logger;
  lifecycle: Lifecycle;
}): Promise<void> {
  const { count, logger, lifecycle } = options;
  const workers = new Set<Worker>();
  const explorer = shareExplorerBundle();
  let stopping = false;

  const spawn = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork();
      workers.add(worker);
      explorer.serve(worker);
      let listening = false;
      worker.once('listening', () => {
        listening = true;
        resolve();
      });
      worker.once('exit', (code, signal) => {
        workers.delete(worker);
        if (!listening) {
          reject(
            new Error(
              `gateway worker ${worker.process.pid} exited before listening (code ${code})`,
            ),
          );
          return;
        }
        if (stopping) return;
        logger.error(
          { pid: worker.process.pid, code, signal },
          'gateway worker died; replacing it',
        );
        setTimeout(() => {
          if (!stopping)
            spawn().catch((err: unknown) =>
              logger.error({ err }, 'gateway worker replacement failed'),
            );
        }, RESTART_DELAY_MS).unref();
      });
    });

  lifecycle.add('gateway workers', async () => {
    stopping = true;
    await Promise.all(
      [...workers].map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) {
              resolve();
              return;
            }
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    await explorer.remove();
  });
  await Promise.all(Array.from({ length: count }, spawn));
}

/** A worker whose primary is gone (killed without draining it) stops too. */
export function stopWithPrimary(): void {
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
