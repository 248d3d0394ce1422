import {searchLayouts} from './search.js';

/**
 * A layout search that remembers its answers, for one build: the same
 * model, setup, chip and constraints recur across reports and sweeps. The
 * key holds the chip's rates themselves, so a sampled chip never reuses
 * another's answer. The memory lives in the returned function, not in a
 * module.
 */
export function memoizedSearch(): typeof searchLayouts {
  const cache = new Map<string, ReturnType<typeof searchLayouts>>();
  return (profile, setup, rates, constraints = {}, keep = 5, frontier = true) => {
    const key = JSON.stringify([
      profile.modelId,
      profile.layers,
      profile.dModel,
      setup,
      rates,
      constraints,
      keep,
      frontier,
    ]);
    let result = cache.get(key);
    if (!result) {
      result = searchLayouts(profile, setup, rates, constraints, keep, frontier);
      cache.set(key, result);
    }
    return result;
  };
}
