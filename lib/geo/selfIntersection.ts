import type { Position, Ring } from './geometry';

function orientation(a: Position, b: Position, c: Position): number {
  const value = (b[1] - a[1]) * (c[0] - b[0]) - (b[0] - a[0]) * (c[1] - b[1]);
  return value === 0 ? 0 : value > 0 ? 1 : -1;
}

function onSegment(a: Position, b: Position, p: Position): boolean {
  return (
    Math.min(a[0], b[0]) <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] &&
    p[1] <= Math.max(a[1], b[1])
  );
}

/** Whether segments ab and cd share a point (crossing, touching or overlapping). */
function segmentsMeet(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orientation(a, b, c);
  const o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a);
  const o4 = orientation(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(a, b, c)) ||
    (o2 === 0 && onSegment(a, b, d)) ||
    (o3 === 0 && onSegment(c, d, a)) ||
    (o4 === 0 && onSegment(c, d, b))
  );
}

/**
 * The first place where a ring crosses or touches itself (other than where neighbouring edges
 * join), as the indices of the two edges; undefined for a simple ring. Edges are swept in order of
 * their smallest longitude, so only edges whose longitude ranges overlap are compared.
 */
export function ringSelfIntersection(positions: Ring): [number, number] | undefined {
  // Repeated positions are harmless and would look like touching edges.
  const ring = positions.filter(
    (pos, i) => i === 0 || pos[0] !== positions[i - 1]![0] || pos[1] !== positions[i - 1]![1],
  );
  const edges = ring.length - 1;
  const order = Array.from({ length: edges }, (_v, i) => i).sort(
    (i, j) => Math.min(ring[i]![0], ring[i + 1]![0]) - Math.min(ring[j]![0], ring[j + 1]![0]),
  );
  const active: number[] = [];
  for (const i of order) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    const minX = Math.min(a[0], b[0]);
    for (let k = active.length - 1; k >= 0; k -= 1) {
      const j = active[k]!;
      if (Math.max(ring[j]![0], ring[j + 1]![0]) < minX) {
        active.splice(k, 1);
        continue;
      }
      const adjacent = Math.abs(i - j) === 1 || Math.abs(i - j) === edges - 1;
      if (adjacent) {
        // Neighbours share one end; they may not fold back onto each other.
        const [p, q, r] = i === (j + 1) % edges ? [ring[j]!, a, b] : [a, b, ring[j + 1]!];
        const dot = (p[0] - q[0]) * (r[0] - q[0]) + (p[1] - q[1]) * (r[1] - q[1]);
        if (orientation(p, q, r) === 0 && dot > 0) {
          return [Math.min(i, j), Math.max(i, j)];
        }
        continue;
      }
      if (segmentsMeet(a, b, ring[j]!, ring[j + 1]!)) return [Math.min(i, j), Math.max(i, j)];
    }
    active.push(i);
  }
  return undefined;
}

/** Whether segments ab and cd cross at a point inside both (touching and overlapping are not). */
function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orientation(a, b, c);
  const o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a);
  const o4 = orientation(c, d, b);
  return o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0 && o1 !== o2 && o3 !== o4;
}

/**
 * The first place where two different rings of one polygon cross (touching at a point is
 * allowed, as in OGC Simple Features): [ring, edge, other ring, other edge]. Swept like
 * ringSelfIntersection; edges of one ring are left to that.
 */
export function ringsCross(rings: readonly Ring[]): [number, number, number, number] | undefined {
  if (rings.length < 2) return undefined;
  const edges: { ring: number; edge: number; a: Position; b: Position }[] = [];
  rings.forEach((ring, r) => {
    for (let i = 0; i + 1 < ring.length; i += 1) {
      edges.push({ ring: r, edge: i, a: ring[i]!, b: ring[i + 1]! });
    }
  });
  edges.sort((e, f) => Math.min(e.a[0], e.b[0]) - Math.min(f.a[0], f.b[0]));
  const active: typeof edges = [];
  for (const e of edges) {
    const minX = Math.min(e.a[0], e.b[0]);
    for (let k = active.length - 1; k >= 0; k -= 1) {
      const f = active[k]!;
      if (Math.max(f.a[0], f.b[0]) < minX) {
        active.splice(k, 1);
        continue;
      }
      if (f.ring !== e.ring && segmentsCross(e.a, e.b, f.a, f.b)) {
        const [first, second] = f.ring < e.ring ? [f, e] : [e, f];
        return [first.ring, first.edge, second.ring, second.edge];
      }
    }
    active.push(e);
  }
  return undefined;
}

/** Whether a point lies inside a closed ring (even-odd rule; on the boundary: either). */
export function insideRing(point: Position, ring: Ring): boolean {
  const [x, y] = point;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
