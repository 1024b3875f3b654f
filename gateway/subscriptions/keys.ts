import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: equal values give equal strings. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries);
  });
}

/** A short, collision-resistant name for a value (sha256, base64url). */
export function fingerprint(...parts: unknown[]): string {
  return createHash('sha256').update(stableStringify(parts)).digest('base64url');
}
