import type { ExecutionResult, GraphQLError } from 'graphql';
import WebSocket from 'ws';
import { slowConsumer } from './errors';

/** The part of a client's socket a subscription writes its events to. */
export interface ClientSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
}

type Settle = (result: IteratorResult<ExecutionResult, undefined>) => void;

/**
 * One client's subscription. graphql-ws owns its lifecycle: it reads this as the async iterator
 * a `subscribe` returns, and sends `complete` or `error` when it ends (the iterator finishes or
 * throws) and calls `return()` when the client completes it or goes away.
 *
 * Events do not go through that iterator: `deliver` writes the protocol's `next` message to the
 * socket itself, with the payload serialized once per event for every client that shares it.
 * Through graphql-ws each client would cost an async iteration, a hook call, a JSON serialization
 * and a promise per event, which at 10 000 subscribers doubles the gateway's CPU per event. The
 * message is the one graphql-ws would send: `{"id":...,"type":"next","payload":...}`.
 *
 * A client that reads slower than events come falls behind in its socket's send buffer; past
 * `maxBufferedBytes` its subscription ends with SLOW_CONSUMER instead of growing the gateway's
 * memory. `onEnd` runs once, as soon as the subscription ends for any reason.
 */
export class ClientStream implements AsyncIterableIterator<ExecutionResult, undefined> {
  private readonly messagePrefix: string;
  private pending: { resolve: Settle; reject: (error: GraphQLError) => void } | undefined;
  private ending: { error?: GraphQLError } | undefined;
  private closed = false;
  private released = false;

  constructor(
    private readonly socket: ClientSocket,
    id: string,
    private readonly maxBufferedBytes: number,
    private readonly onEnd: () => void,
  ) {
    this.messagePrefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  }

  get isOpen(): boolean {
    return !this.closed && !this.ending;
  }

  /** Sends one event: `payload` is the JSON of the formatted execution result. */
  deliver(payload: string): void {
    if (!this.isOpen || this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.fail(slowConsumer(this.socket.bufferedAmount));
      return;
    }
    this.socket.send(`${this.messagePrefix}${payload}}`);
  }

  /** Ends the subscription: the client receives `complete`. */
  complete(): void {
    this.finish({});
  }

  /** Ends the subscription: the client receives `error`. */
  fail(error: GraphQLError): void {
    this.finish({ error });
  }

  next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    if (this.ending) {
      const { error } = this.ending;
      this.closed = true;
      return error ? Promise.reject(error) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  }

  /** graphql-ws calls this when the client sends `complete` or its socket closes. */
  return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.closed = true;
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve({ value: undefined, done: true });
    this.release();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<ExecutionResult, undefined>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(ending: { error?: GraphQLError }): void {
    if (!this.isOpen) return;
    this.ending = ending;
    this.release();
    if (this.pending) {
      const { resolve, reject } = this.pending;
      this.pending = undefined;
      this.closed = true;
      if (ending.error) reject(ending.error);
      else resolve({ value: undefined, done: true });
    }
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.onEnd();
  }
}
