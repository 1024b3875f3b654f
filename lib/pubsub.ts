import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { PayloadOf } from './domain/channels';
import type { Logger } from './logger';
import { observePubSubDelivery } from './observability/metrics';

export type Handler = (payload: unknown) => void;

/**
 * Fire-and-forget events between processes (hub status, zones changed, cache invalidation).
 * In-process when there is no REDIS_URL; Redis pub/sub otherwise. Never the only copy of data.
 */
export interface PubSub {
  /** The payload's type follows the channel (lib/domain/channels.ts). */
  publish<C extends string>(channel: C, payload: PayloadOf<C>): Promise<void>;
  /** Resolves once the subscription is active; returns the function that ends it. */
  subscribe(channel: string, handler: Handler): Promise<() => Promise<void>>;
  /**
   * Called each time the subscriptions are active again after the connection broke (Redis
   * restarted, network): events published in between were lost, so whoever keeps state from them
   * must refetch it. Returns the function that removes the listener.
   */
  onResubscribed(listener: () => void): () => void;
  close(): Promise<void>;
}

export class InProcessPubSub implements PubSub {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish<C extends string>(channel: C, payload: PayloadOf<C>): Promise<void> {
    // Deliver asynchronously and as a copy, as Redis would.
    const copy: unknown = structuredClone(payload);
    const publishedAtMs = Date.now();
    setImmediate(() => {
      observePubSubDelivery(channel, publishedAtMs);
      this.emitter.emit(channel, copy);
    });
    return Promise.resolve();
  }

  subscribe(channel: string, handler: Handler): Promise<() => Promise<void>> {
    this.emitter.on(channel, handler);
    return Promise.resolve(() => {
      this.emitter.off(channel, handler);
      return Promise.resolve();
    });
  }

  /** In one process nothing is ever lost in transit. */
  onResubscribed(): () => void {
    return () => undefined;
  }

  close(): Promise<void> {
    this.emitter.removeAllListeners();
    return Promise.resolve();
  }
}

export class RedisPubSub implements PubSub {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly resubscribed = new Set<() => void>();
  /** The subscriber connection broke since it was last ready. */
  private broken = false;
  /** The publisher connection was ready once and is not now. */
  private publisherBroken = false;

  constructor(
    url: string,
    private readonly logger: Logger,
  ) {
    const options = { lazyConnect: false, maxRetriesPerRequest: 3 };
    this.publisher = new Redis(url, { ...options, connectionName: 'mobility:pub' });
    this.subscriber = new Redis(url, { ...options, connectionName: 'mobility:sub' });
    for (const client of [this.publisher, this.subscriber]) {
      // ioredis reconnects by itself; log instead of crashing on 'error'.
      client.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'redis error'));
    }
    this.publisher.on('close', () => {
      this.publisherBroken = true;
    });
    this.publisher.on('ready', () => {
      this.publisherBroken = false;
    });
    // ioredis reconnects and subscribes again by itself (autoResubscribe); what was published
    // while it was away is gone, and the listeners are told so.
    this.subscriber.on('close', () => {
      this.broken = true;
    });
    this.subscriber.on('ready', () => {
      if (!this.broken) return;
      this.broken = false;
      this.logger.warn(
        { channels: this.handlers.size },
        'pub/sub reconnected: events published meanwhile were lost',
      );
      for (const listener of [...this.resubscribed]) listener();
    });
    this.subscriber.on('message', (channel: string, message: string) => {
      let payload: unknown;
      try {
        payload = JSON.parse(message);
      } catch {
        this.logger.warn({ channel }, 'ignoring a pub/sub message that is not JSON');
        return;
      }
      const delivered = withoutPublishTime(payload);
      if (delivered.publishedAtMs !== undefined) {
        observePubSubDelivery(channel, delivered.publishedAtMs);
      }
      for (const handler of this.handlers.get(channel) ?? []) handler(delivered.payload);
    });
  }

  /**
   * Never fails: an event is a hint that stored data changed, so a write that committed must not
   * be reported as failed because Redis is away. The event is dropped and logged; subscribers whose
   * connection broke hear about the gap when it is back (onResubscribed).
   */
  async publish<C extends string>(channel: C, payload: PayloadOf<C>): Promise<void> {
    try {
      // Once connected, a broken connection drops events at once rather than holding the caller
      // (a mutation, an import tick) until Redis is back; before the first connect they wait.
      if (this.publisherBroken) throw new Error(`redis is ${this.publisher.status}`);
      await this.publisher.publish(channel, JSON.stringify(withPublishTime(payload)));
    } catch (err) {
      this.logger.warn(
        { channel, err: err instanceof Error ? err.message : String(err) },
        'pub/sub unavailable: event dropped',
      );
    }
  }

  async subscribe(channel: string, handler: Handler): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      await this.subscriber.subscribe(channel);
    }
    set.add(handler);
    return async () => {
      const current = this.handlers.get(channel);
      if (!current?.delete(handler) || current.size > 0) return;
      this.handlers.delete(channel);
      await this.subscriber.unsubscribe(channel);
    };
  }

  onResubscribed(listener: () => void): () => void {
    this.resubscribed.add(listener);
    return () => this.resubscribed.delete(listener);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.resubscribed.clear();
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}

/**
 * Object payloads travel with the publisher's clock under this key, for the delivery-lag metric;
 * receivers take it off before handlers see the payload. A receiver of an older version sees one
 * extra field, which every payload parser ignores.
 */
const PUBLISHED_AT_KEY = '__publishedAtMs';

function withPublishTime(payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  return { ...payload, [PUBLISHED_AT_KEY]: Date.now() };
}

function withoutPublishTime(payload: unknown): { payload: unknown; publishedAtMs?: number } {
  if (payload === null || typeof payload !== 'object' || !(PUBLISHED_AT_KEY in payload)) {
    return { payload };
  }
  const { [PUBLISHED_AT_KEY]: publishedAtMs, ...rest } = payload as Record<string, unknown>;
  return typeof publishedAtMs === 'number' ? { payload: rest, publishedAtMs } : { payload: rest };
}

export function createPubSub(redisUrl: string | undefined, logger: Logger): PubSub {
  return redisUrl ? new RedisPubSub(redisUrl, logger) : new InProcessPubSub();
}
