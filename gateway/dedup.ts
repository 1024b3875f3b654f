/**
 * Identical operations in flight at the same time share one execution. The first caller with a
 * key leads: it executes and `settle`s with what it answered. Callers with the same key that arrive
 * while it runs `join` and get that answer (or `undefined` when the leader produced none, in
 * which case each executes on its own). Keys are built by the caller and must hold everything
 * that decides the answer, the caller's scope first (see sharedExecution.ts).
 */
export interface InFlight<T> {
  /** The leader's answer for `key` if one is executing now, else `undefined` (then `lead`). */
  join(key: string): Promise<T | undefined> | undefined;
  /** Marks `key` as executing; `settle` must be called once, whatever happens. */
  lead(key: string): (answer: T | undefined) => void;
  /** Keys executing now. */
  size(): number;
}

export function createInFlight<T>(): InFlight<T> {
  const running = new Map<string, Promise<T | undefined>>();
  return {
    join: (key) => running.get(key),
    lead(key) {
      let resolve!: (answer: T | undefined) => void;
      running.set(
        key,
        new Promise<T | undefined>((r) => {
          resolve = r;
        }),
      );
      let settled = false;
      return (answer) => {
        if (settled) return;
        settled = true;
        running.delete(key);
        resolve(answer);
      };
    },
    size: () => running.size,
  };
}
