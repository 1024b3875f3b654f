import { assertNever } from '../../errors';
import type { HubControl, HubStatusReason } from './model';

export interface RuleInput {
  control: HubControl;
  /** The hub's effective date has come. */
  effective: boolean;
  vehicles: number;
  capacity: number;
  /** The status before this count; undefined for a hub (or form factor) counted the first time. */
  previousOpen: boolean | undefined;
  /** A closed hub reopens once free places reach this share of its capacity (0.05 = 5 %). */
  reopenFreeRatio: number;
}

export interface RuleOutcome {
  open: boolean;
  reason: HubStatusReason;
  placesAvailable: number;
}

/** Free places a closed hub needs before it reopens: the configured share, at least one place. */
export function reopenThreshold(capacity: number, reopenFreeRatio: number): number {
  // The epsilon keeps 100 * 0.05 at 5 rather than 5.000000000000001 -> 6.
  return Math.max(1, Math.ceil(capacity * reopenFreeRatio - 1e-9));
}

/**
 * The microhub rules, in order of precedence:
 * 1. before its effective date a hub is closed, whatever its control;
 * 2. manual control (MANUAL_OPEN / MANUAL_CLOSED) wins over counting;
 * 3. a full hub (no free place) closes at once;
 * 4. a closed hub, whatever closed it, reopens only when its free places reach the threshold, so it
 *    doesn't flap around the last place; an open one (or one counted the first time) stays open.
 */
export function decideStatus(input: RuleInput): RuleOutcome {
  const placesAvailable = Math.max(0, input.capacity - input.vehicles);
  const outcome = (open: boolean, reason: HubStatusReason): RuleOutcome => ({
    open,
    reason,
    placesAvailable,
  });
  if (!input.effective) return outcome(false, 'NOT_YET_EFFECTIVE');
  switch (input.control) {
    case 'MANUAL_OPEN':
      return outcome(true, 'MANUAL_OPEN');
    case 'MANUAL_CLOSED':
      return outcome(false, 'MANUAL_CLOSED');
    case 'AUTOMATIC':
      break;
    default:
      return assertNever(input.control);
  }
  if (placesAvailable === 0) return outcome(false, 'FULL');
  if (input.previousOpen !== false) return outcome(true, 'PLACES_AVAILABLE');
  if (placesAvailable >= reopenThreshold(input.capacity, input.reopenFreeRatio)) {
    return outcome(true, 'PLACES_AVAILABLE');
  }
  return outcome(false, 'BELOW_REOPEN_THRESHOLD');
}
