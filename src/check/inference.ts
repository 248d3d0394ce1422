import type {Catalog} from '../data/catalog.js';
import type {ServingSetup} from '../data/schemas/inference.js';
import {isInferenceReference} from '../data/schemas/reference.js';
import {scenariosOfKind} from '../data/scenario-kinds.js';
import type {DataPath} from '../data/yaml-source.js';
import {divisors, gcd} from '../estimate/divisors.js';
import {SERVING_CONSTANT_VALUES} from '../estimate/inference/serving-constants.js';
import {estimateServing} from '../estimate/inference/serving-estimate.js';
import {servingProfile} from '../estimate/inference/serving-profile.js';
import {profileModel} from '../estimate/model-profile.js';
import type {CheckProblem} from './check-problem.js';

/**
 * Check the deployment units of each inference scenario and published
 * serving result: tensor parallelism divides the GPUs and the heads, expert
 * parallelism divides the GPUs and the expert slots (the experts and their
 * redundant copies) into whole slots per GPU, and the weights fit in the
 * engine's share of memory with room for a KV cache. Errors say what would
 * be valid (the checked catalog leaves the record out); a storage-only
 * precision is a warning.
 */
export function checkInference(catalog: Catalog): CheckProblem[] {
  const subjects: Array<{collection: 'scenarios' | 'references'; id: string; setup: ServingSetup}> = [
    ...scenariosOfKind(catalog.scenarios.values(), 'inference').map((scenario) => ({
      collection: 'scenarios' as const,
      id: scenario.id,
      setup: scenario,
    })),
    ...[...catalog.references.values()].filter(isInferenceReference).map((reference) => ({
      collection: 'references' as const,
      id: reference.id,
      setup: reference,
    })),
  ];
  return subjects.flatMap((subject) => checkSetup(catalog, subject.collection, subject.id, subject.setup));
}

function checkSetup(
  catalog: Catalog,
  collection: 'scenarios' | 'references',
  id: string,
  setup: ServingSetup,
): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const model = catalog.models.get(setup.model);
  const hardware = catalog.hardware.get(setup.hardware);
  if (!model || !hardware) return problems;
  const profile = profileModel(model);
  let failed = false;
  const report = (severity: CheckProblem['severity'], path: DataPath, message: string) =>
    problems.push({severity, collection, id, path, message, rule: 'invalid-value'});
  const fail = (path: DataPath, reason: string) => {
    report('error', path, `Deployment of \`${id}\`: ${reason}`);
    failed = true;
  };
  for (const phase of ['prefill', 'decode'] as const) {
    const unit = setup.deployment[phase];
    if (!unit) continue;
    const at = ['deployment', phase];
    if (unit.gpus % unit.tp !== 0 || profile.heads % unit.tp !== 0) {
      fail(
        [...at, 'tp'],
        `tp ${unit.tp} must divide the ${unit.gpus} GPUs and the ${profile.heads} heads, expected one of ${divisors(gcd(unit.gpus, profile.heads)).join(', ')}`,
      );
    }
    if (profile.experts === 0) {
      if (unit.ep !== 1) fail([...at, 'ep'], `ep ${unit.ep} on a dense model, expected 1`);
      if (unit.redundant_experts > 0)
        fail([...at, 'redundant_experts'], `${unit.redundant_experts} redundant experts on a dense model, expected 0`);
      continue;
    }
    // Serving spreads the expert slots (experts and their redundant copies) over the EP GPUs, whole slots per GPU:
    // DeepSeek decodes on EP144 with 256 + 32 slots (Day 6) and on EP320 with 256 + 64 (V3 report §3.4).
    const slots = profile.experts + unit.redundant_experts;
    if (unit.gpus % unit.ep !== 0) {
      fail(
        [...at, 'ep'],
        `ep ${unit.ep} must divide the ${unit.gpus} GPUs, expected one of ${divisors(unit.gpus).join(', ')}`,
      );
    } else if (slots % unit.ep !== 0) {
      const fitting = divisors(unit.gpus).filter((ep) => slots % ep === 0);
      fail(
        [...at, 'ep'],
        `ep ${unit.ep} must divide the ${slots} expert slots (${profile.experts} experts and ${unit.redundant_experts} redundant copies) into whole slots per GPU, expected one of ${fitting.join(', ')}, or redundant experts that make the slots a multiple of ${unit.ep}`,
      );
    }
  }
  if (failed) return problems;
  // Weights stored in FP8 or FP4 on a chip without that rate are only a storage format there: the GEMMs run at the
  // BF16 rate (weight-only quantisation). Worth saying, not an error.
  for (const [field, precision] of [
    ['weights', setup.precision.weights],
    ['experts', setup.precision.experts],
  ] as const) {
    if (precision === undefined || precision === 'bf16' || hardware.peak_tflops[precision] !== undefined) continue;
    report(
      'warning',
      ['precision', field],
      `\`${id}\`: ${hardware.id} has no ${precision} rate, so ${precision} ${field} only save memory and bandwidth there; the GEMMs run at ${precision === 'fp4' && hardware.peak_tflops.fp8 !== undefined ? 'the FP8' : 'the BF16'} rate`,
    );
  }
  const estimate = estimateServing(setup, {
    profile: servingProfile(model, profile),
    hardware,
    model,
    constants: SERVING_CONSTANT_VALUES,
    curves: false,
  });
  const memory = estimate.decodeMemory;
  if (memory.kvCacheBytesPerGpu <= 0) {
    fail(
      ['deployment', 'decode', 'gpus'],
      `the weights need ${(memory.weightBytesPerGpu / 1e9).toFixed(1)} GB per GPU and leave no KV cache in the engine's share of the ${(memory.deviceBytes / 1e9).toFixed(1)} GB of ${hardware.id}, expected more GPUs, more tensor or expert parallelism, or smaller weights`,
    );
  }
  return problems;
}
