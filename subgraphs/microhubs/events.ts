import { GraphQLError } from 'graphql';
import { parseHubEvent, type HubEvent } from '../../lib/domain/hubs/events';
import { ErrorCode } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { PubSub } from '../../lib/pubsub';

/** In a stream: events may have been lost here (pub/sub reconnected); the client must refetch. */
export const EVENTS_MISSED = Symbol('events missed');
export type HubStreamItem = HubEvent | typeof EVENTS_MISSED;

/** What a subscriber gets, in band, when events may have been lost: refetch, the stream goes on. */
export function eventsMissedError(): GraphQLError {
  return new GraphQLError(
    'hub events may have been missed while the event bus was unavailable: refetch the hubs you show; this subscription continues',
    { extensions: { code: ErrorCode.EVENTS_MISSED } },
  );
}

/** Events a slow subscriber may have waiting; beyond this the oldest are dropped. */
const MAX_QUEUED = 1000;

/**
 * The events of one channel that pass `accept`, as the async iterator a Subscription resolver
 * returns. Resolves once the pub/sub subscription is active; `return()` (the client went away)
 * ends it. When pub/sub comes back after a break, EVENTS_MISSED is queued (once, however long the
 * break), so the client hears that events were lost instead of silently missing them.
 */
export async function hubEventStream(
  pubsub: PubSub,
  channel: string,
  accept: (event: HubEvent) => boolean,
  logger: Logger,
): Promise<AsyncIterableIterator<HubStreamItem>> {
  const queue: HubStreamItem[] = [];
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
  const stopListening = pubsub.onResubscribed(() => {
    if (finished || queue.at(-1) === EVENTS_MISSED) return;
    queue.push(EVENTS_MISSED);
    wake?.();
  });
  const finish = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    wake?.();
    stopListening();
    await unsubscribe();
  };
  const iterator: AsyncIterableIterator<HubStreamItem> = {
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
