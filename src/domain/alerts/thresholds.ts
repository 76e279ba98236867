// A monitor's thresholds must order the way its comparator reads: for GT/GTE the warning
// sits below the critical, for LT/LTE above it. Otherwise WARNING could never be seen.

export type Comparator = 'GT' | 'GTE' | 'LT' | 'LTE';

/** Null when the thresholds are usable, else the field at fault and why. */
export function checkThresholds(
  comparator: Comparator,
  warning: number | null,
  critical: number | null,
): { field: 'warningThreshold' | 'criticalThreshold'; message: string } | null {
  if (warning === null && critical === null) {
    return { field: 'criticalThreshold', message: 'set warningThreshold, criticalThreshold or both' };
  }
  for (const [field, v] of [['warningThreshold', warning], ['criticalThreshold', critical]] as const) {
    if (v !== null && !Number.isFinite(v)) return { field, message: 'must be a finite number' };
  }
  if (warning === null || critical === null) return null;
  const rising = comparator === 'GT' || comparator === 'GTE';
  if (rising && !(warning < critical)) {
    return { field: 'warningThreshold', message: `with ${comparator} the warning (${warning}) must be below the critical threshold (${critical})` };
  }
  if (!rising && !(warning > critical)) {
    return { field: 'warningThreshold', message: `with ${comparator} the warning (${warning}) must be above the critical threshold (${critical})` };
  }
  return null;
}
