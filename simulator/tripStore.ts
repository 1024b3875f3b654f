import { HOUR } from '../lib/units';
import type { CompletedTrip } from './model';

/**
 * Completed trips per operator, bucketed by the UTC hour they ended (what MDS /trips asks for).
 * Buckets older than the retention are dropped as the clock passes them, so memory stays bounded.
 */
export class TripStore {
  private readonly buckets = new Map<string, Map<number, CompletedTrip[]>>();

  constructor(private readonly retentionMs: number) {}

  add(operatorId: string, trip: CompletedTrip): void {
    let byHour = this.buckets.get(operatorId);
    if (!byHour) {
      byHour = new Map();
      this.buckets.set(operatorId, byHour);
    }
    const hour = Math.floor(trip.endMs / HOUR);
    const bucket = byHour.get(hour);
    if (bucket) bucket.push(trip);
    else byHour.set(hour, [trip]);
  }

  /** Trips that ended in [hourStartMs, hourStartMs + 1 h). */
  endedIn(operatorId: string, hourStartMs: number): CompletedTrip[] {
    return this.buckets.get(operatorId)?.get(Math.floor(hourStartMs / HOUR)) ?? [];
  }

  /** Every trip still kept, of every operator: what the simulated riders really did. */
  *all(): Generator<{ operatorId: string; trip: CompletedTrip }> {
    for (const [operatorId, byHour] of this.buckets) {
      for (const bucket of byHour.values()) for (const trip of bucket) yield { operatorId, trip };
    }
  }

  /** Whether trips ending at `hourStartMs` are still kept. */
  retains(hourStartMs: number, nowMs: number): boolean {
    return hourStartMs + HOUR > nowMs - this.retentionMs;
  }

  prune(nowMs: number): void {
    const oldestHour = Math.floor((nowMs - this.retentionMs) / HOUR);
    for (const byHour of this.buckets.values()) {
      for (const hour of byHour.keys()) if (hour < oldestHour) byHour.delete(hour);
    }
  }
}
