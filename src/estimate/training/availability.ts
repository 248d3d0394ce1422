import type {Feature, Technique} from '../../data/schemas/technique.js';
import type {Availability} from '../../data/schemas/training.js';
import {RECOMPUTE_POLICIES, SCHEDULES, type Recompute, type Schedule, type ZeroStage} from './layout.js';

/** What a run may use: the search's options for each knob, and the features it had. */
export interface TechniqueLimits {
  readonly schedules: readonly Schedule[];
  readonly recomputes: readonly Recompute[];
  readonly zeros: readonly ZeroStage[];
  readonly features: Readonly<Record<Feature, boolean>>;
  /** Why a knob value or feature is not available (`DualPipe, first available 2024-12`), by `knob:value`. */
  readonly reasons: ReadonlyMap<string, string>;
}

const ZERO_STAGES: readonly ZeroStage[] = [0, 1, 2, 3];
const ALL_FEATURES: Record<Feature, true> = {
  overlap_data_parallel: true,
  flash_attention: true,
  sequence_parallel: true,
  context_parallel: true,
  fp8: true,
};

/** Everything, for a run that restricts nothing. */
export const UNLIMITED: TechniqueLimits = {
  schedules: SCHEDULES,
  recomputes: RECOMPUTE_POLICIES,
  zeros: ZERO_STAGES,
  features: ALL_FEATURES,
  reasons: new Map(),
};

/**
 * The techniques a run may use: every knob value and feature published by
 * `available.as_of` (a technique's month in data/techniques.yaml at or
 * before it; one not listed always was), within the lists `available`
 * names. Without `available`, everything.
 */
export function techniqueLimits(
  techniques: Iterable<Technique> | undefined,
  available: Availability | undefined,
): TechniqueLimits {
  if (!available) return UNLIMITED;
  const reasons = new Map<string, string>();
  const dated = new Map<string, Technique>();
  for (const technique of techniques ?? []) dated.set(`${technique.knob}:${String(technique.value)}`, technique);
  const allowed = (knob: string, value: string | number, listed: readonly (string | number)[] | undefined) => {
    const key = `${knob}:${String(value)}`;
    const technique = dated.get(key);
    if (available.as_of !== undefined && technique && technique.available > available.as_of) {
      reasons.set(key, `${technique.name}, first available ${technique.available}, after ${available.as_of}`);
      return false;
    }
    if (listed && !listed.includes(value)) {
      reasons.set(key, `not among the run's available ${knob === 'feature' ? 'features' : `${knob} values`}`);
      return false;
    }
    return true;
  };
  const features = {} as Record<Feature, boolean>;
  for (const feature of Object.keys(ALL_FEATURES) as Feature[])
    features[feature] = allowed('feature', feature, available.features);
  return {
    schedules: SCHEDULES.filter((schedule) => allowed('schedule', schedule, available.schedules)),
    recomputes: RECOMPUTE_POLICIES.filter((recompute) => allowed('recompute', recompute, available.recompute)),
    zeros: ZERO_STAGES.filter((zero) => allowed('zero', zero, available.zero)),
    features,
    reasons,
  };
}
