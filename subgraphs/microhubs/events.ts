import { parseHubEvent, type HubEvent } from '../../lib/domain/hubs/events';
import type { Logger } from '../../lib/logger';
import type { PubSub } from '../../lib/pubsub';

/** Events a slow subscriber may have waiting; beyond this the oldest are dropped. */
const MAX_QUEUED = 1000;

/**
 * The events of one channel that pass `accept`, as the async iterator a Subscription resolver
 * returns. Resolves once the pub/sub subscription is active; `return()` (the client went away)
 * ends it.
 */
export async function hubEventStream(
  pubsub: PubSub,
  channel: string,
  accept: (event: HubEvent) => boolean,
  logger: Logger,
): Promise<AsyncIterableIterator<HubEvent>> {
  const queue: HubEvent[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let dropped = 0;
  const unsubscribe = await pubsub.subscribe(channel, (payload) => {
    const event = parseHubEvent(payload);
    if (!event) {
      logger.warn({ channel }, 'ignoring a malformed hub event');
      return;
    }
    if (finished || !accept(event)) return;
    if (queue.length >= MAX_QUEUED) {
      queue.shift();
      dropped += 1;
      if (dropped === 1) logger.warn({ channel }, 'slow subscriber: dropping its oldest events');
    }
    queue.push(event);
    wake?.();
  });
  const finish = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    wake?.();
    await unsubscribe();
  };
  const iterator: AsyncIterableIterator<HubEvent> = {
    async next() {
      for (;;) {
        const event = queue.shift();
        if (event !== undefined) return { done: false, value: event };
        if (finished) return { done: true, value: undefined };
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
    async return() {
      await finish();
      return { done: true, value: undefined };
    },
    async throw(err: unknown) {
      await finish();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
