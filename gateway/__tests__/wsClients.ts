import {
  createClient,
  type Client,
  type ClientOptions,
  type FormattedExecutionResult,
} from 'graphql-ws';
import WebSocket from 'ws';

export type Result = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** What a subscription received, and how it ended. */
export interface Subscription {
  events: Result[];
  /** Resolves when the server ends it: `complete` (error undefined) or `error`. */
  ended: Promise<{ error?: unknown }>;
  isEnded(): boolean;
  /** Resolves once `count` events have arrived; rejects after `timeoutMs`. */
  received(count: number, timeoutMs?: number): Promise<Result[]>;
  /** Resolves with the first event that `matches`, waiting for it; rejects after `timeoutMs`. */
  until(matches: (event: Result) => boolean, timeoutMs?: number): Promise<Result>;
  unsubscribe(): void;
}

/** A graphql-ws client over `ws`, as a Node service would use it; no retries, so faults show. */
export function wsClient(url: string, options: Partial<ClientOptions> = {}): Client {
  return createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, ...options });
}

/** `extra`: more payload fields, such as a trusted document's id. */
export function subscribe(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Subscription {
  const events: Result[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  let finish: (outcome: { error?: unknown }) => void = () => undefined;
  const endedPromise = new Promise<{ error?: unknown }>((resolve) => {
    finish = (outcome) => {
      ended = true;
      resolve(outcome);
      for (const wake of waiters.splice(0)) wake();
    };
  });
  const unsubscribe = client.subscribe<Record<string, unknown>, unknown>(
    { ...extra, query, variables },
    {
      next: (result) => {
        events.push(result);
        for (const wake of waiters.splice(0)) wake();
      },
      error: (error: unknown) => finish({ error }),
      complete: () => finish({}),
    },
  );
  /** Waits for the next event (or the end), at most until `deadline`. */
  const nextEvent = (deadline: number, what: string): Promise<void> => {
    if (ended) throw new Error(`subscription ended after ${events.length} events, before ${what}`);
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no ${what} in time; got ${JSON.stringify(events)}`);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  };
  return {
    events,
    ended: endedPromise,
    isEnded: () => ended,
    async received(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) await nextEvent(deadline, `${count} events`);
      return events.slice(0, count);
    },
    async until(matches, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(matches);
        if (found) return found;
        await nextEvent(deadline, 'matching event');
      }
    },
    unsubscribe,
  };
}

export interface RawSocket {
  socket: WebSocket;
  messages: Record<string, unknown>[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Resolves with the first message of `type` (waiting for it if need be). */
  message(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** A bare WebSocket speaking the protocol by hand, to provoke what a good client never does. */
export function rawSocket(
  url: string,
  protocol: string | string[] = 'graphql-transport-ws',
  headers: Record<string, string> = {},
): RawSocket {
  const socket = new WebSocket(url, protocol, { headers });
  const messages: Record<string, unknown>[] = [];
  const listeners: (() => void)[] = [];
  socket.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
    for (const wake of listeners.splice(0)) wake();
  });
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.once('close', (code: number, reason: Buffer) =>
      resolve({ code, reason: String(reason) }),
    );
  });
  return {
    socket,
    messages,
    opened,
    closed,
    send: (message) => {
      const data = typeof message === 'string' ? message : JSON.stringify(message);
      if (socket.readyState === WebSocket.CONNECTING) socket.once('open', () => socket.send(data));
      else socket.send(data);
    },
    async message(type, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find((m) => m.type === type);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no "${type}" message; got ${JSON.stringify(messages)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          listeners.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}
