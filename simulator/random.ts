/** mulberry32: a small, fast, seedable PRNG; the same seed gives the same simulation. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every random choice of the simulator, drawn from one seeded stream in a fixed order. */
export class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** [0, 1) */
  float(): number {
    return this.next();
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Exponentially distributed, for waiting times between independent events. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** The index of a weight, chosen in proportion to it. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((sum, w) => sum + w, 0);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i += 1) {
      r -= weights[i] ?? 0;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** A version-4-shaped UUID drawn from the stream (so ids repeat with the seed). */
  uuid(): string {
    const a = this.word();
    const b = ((this.word() & 0xffff0fff) | 0x00004000) >>> 0;
    const c = ((this.word() & 0x3fffffff) | 0x80000000) >>> 0;
    const d = this.word();
    return `${hex(a, 8)}-${hex(b >>> 16, 4)}-${hex(b & 0xffff, 4)}-${hex(c >>> 16, 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`;
  }

  private word(): number {
    return Math.floor(this.next() * 0x100000000) >>> 0;
  }
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

/**
 * UUID-shaped ids for events, telemetry and trips: a random prefix per simulation and a counter,
 * so they are unique and repeatable without drawing 128 random bits for each.
 */
export class IdSequence {
  private readonly prefix: string;
  private next = 0;

  constructor(random: Random) {
    this.prefix = random.uuid().slice(0, 24);
  }

  id(): string {
    this.next += 1;
    return this.prefix + hex(this.next, 12);
  }
}
