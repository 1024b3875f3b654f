import type { FormFactor } from '../lib/domain/formFactors';
import type { OperatorOptions } from './model';

/** Made-up operators for the demo, one per common form factor. */
const DEMO_OPERATORS: { id: string; name: string; formFactor: FormFactor; rotatingIds: boolean }[] =
  [
    { id: 'fietsje', name: 'Fietsje', formFactor: 'BICYCLE', rotatingIds: false },
    { id: 'stepje', name: 'Stepje', formFactor: 'SCOOTER_STANDING', rotatingIds: true },
    { id: 'snorretje', name: 'Snorretje', formFactor: 'MOPED', rotatingIds: false },
    { id: 'deelauto', name: 'Deelauto', formFactor: 'CAR', rotatingIds: false },
    { id: 'bakje', name: 'Bakje', formFactor: 'CARGO_BICYCLE', rotatingIds: false },
  ];

/**
 * `count` demo operators sharing `totalVehicles` as evenly as possible; beyond the five named
 * ones the list repeats with a number (`fietsje-2`).
 */
export function demoOperators(count: number, totalVehicles: number): OperatorOptions[] {
  return Array.from({ length: count }, (_, i) => {
    const base = DEMO_OPERATORS[i % DEMO_OPERATORS.length]!;
    const round = Math.floor(i / DEMO_OPERATORS.length);
    return {
      id: round === 0 ? base.id : `${base.id}-${round + 1}`,
      name: round === 0 ? base.name : `${base.name} ${round + 1}`,
      formFactor: base.formFactor,
      rotatingIds: base.rotatingIds,
      vehicles: Math.floor(totalVehicles / count) + (i < totalVehicles % count ? 1 : 0),
    };
  });
}
