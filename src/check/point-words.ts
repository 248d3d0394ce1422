import type {SweepPoint} from '../estimate/kinds.js';

/** A sweep point in words for messages: `hardware h100-sxm, gpus 1024`; empty for a scenario's own point. */
export function describePoint(point: SweepPoint): string {
  return Object.entries(point)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name} ${String(value)}`)
    .join(', ');
}
