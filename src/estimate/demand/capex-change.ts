import type {DemandEvidence} from '../../data/schemas/scenario.js';

type CapexEvidence = Extract<DemandEvidence, {kind: 'capex'}>;

/**
 * A default, not a source: a change in capital-spending guidance smaller
 * than this share, between the midpoints before and after, counts as plans
 * held steady rather than raised or cut (guidance ranges are often this wide).
 */
export const CAPEX_HELD_WITHIN = 0.05;

const midpoint = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

/** A buyer's change in capital spending after DeepSeek-R1, at the guidance midpoints, and what it counts as. */
export function capexChange(item: CapexEvidence): {change: number; direction: 'raised' | 'held' | 'cut'} {
  const change = midpoint(item.after_usd) / midpoint(item.before_usd) - 1;
  const direction = change >= CAPEX_HELD_WITHIN ? 'raised' : change <= -CAPEX_HELD_WITHIN ? 'cut' : 'held';
  return {change, direction};
}
