/**
 * A big served document: `head`, the entries (each vehicle's cached JSON bytes) separated by
 * commas, `tail`.
 */
export interface DocumentParts {
  head: string;
  entries: readonly Buffer[];
  tail: string;
}

const COMMA = 0x2c;

interface Assembled {
  stamp: string;
  arena: Buffer;
  body: Buffer;
}

/** Copies the parts into `arena` (large enough); the document's bytes. */
function assemble(parts: DocumentParts, arena: Buffer): Buffer {
  let at = arena.write(parts.head, 0, 'utf8');
  parts.entries.forEach((entry, i) => {
    if (i > 0) arena[at++] = COMMA;
    at += entry.copy(arena, at);
  });
  at += arena.write(parts.tail, at, 'utf8');
  return arena.subarray(0, at);
}

function sizeOf(parts: DocumentParts): number {
  let size = Buffer.byteLength(parts.head) + Buffer.byteLength(parts.tail);
  for (const entry of parts.entries) size += entry.length + 1;
  return size;
}

/** A document to send: hold it (`hold()`) until the response is done with it. */
export interface HeldDocument {
  body: Buffer;
  /** Keeps the body's bytes unchanged until the returned function is called. */
  hold: () => () => void;
}

/**
 * The vehicle lists, assembled once per simulation step (per stamp) from the vehicles' cached
 * entries and then served as they are. A list is assembled into a reused byte arena: a million
 * vehicles' lists are hundreds of megabytes per step, and fresh buffers of that size would make
 * the garbage collector walk the whole fleet several times a step. An arena is written again only
 * once no response is still sending it; one spare arena per key is kept, others are left to the
 * garbage collector.
 */
export class DocumentStore {
  private readonly current = new Map<string, Assembled>();
  private readonly spare = new Map<string, Buffer>();
  /** Responses still sending each arena, and the key it goes back to once they are done. */
  private readonly sending = new Map<Buffer, { count: number; retiredFrom: string | null }>();

  /** The document under `key` for `stamp`, assembled if its stamp changed. */
  get(key: string, stamp: string, build: () => DocumentParts): HeldDocument {
    let entry = this.current.get(key);
    if (entry?.stamp !== stamp) {
      const parts = build();
      const size = sizeOf(parts);
      if (entry) this.retire(key, entry.arena);
      const spare = this.spare.get(key);
      this.spare.delete(key);
      // Some room to grow: a fleet's list changes length by a few entries a step.
      const arena =
        spare && spare.length >= size ? spare : Buffer.allocUnsafeSlow(Math.ceil(size * 1.125));
      entry = { stamp, arena, body: assemble(parts, arena) };
      this.current.set(key, entry);
    }
    const { arena, body } = entry;
    return { body, hold: () => this.hold(arena) };
  }

  private hold(arena: Buffer): () => void {
    const state = this.sending.get(arena) ?? { count: 0, retiredFrom: null };
    state.count += 1;
    this.sending.set(arena, state);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      state.count -= 1;
      if (state.count > 0) return;
      this.sending.delete(arena);
      if (state.retiredFrom !== null) this.spare.set(state.retiredFrom, arena);
    };
  }

  /** A replaced arena: spare at once, or once the last response sending it is done. */
  private retire(key: string, arena: Buffer): void {
    const state = this.sending.get(arena);
    if (state) state.retiredFrom = key;
    else this.spare.set(key, arena);
  }
}
