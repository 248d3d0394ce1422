import {chipRates} from '../estimate/chip-rates.js';
import {decodeStep, usableBytes} from '../estimate/inference/serving-steps.js';
import {profileModel} from '../estimate/model-profile.js';
import {BYTES_PER_VALUE} from '../estimate/units.js';
import {divisors, gcd} from '../estimate/divisors.js';
import type {Catalog} from '../data/catalog.js';
import {scenariosOfKind} from '../data/scenario-kinds.js';
import type {DataPath} from '../data/yaml-source.js';
import type {CheckProblem} from './check-problem.js';

/**
 * Check each inference scenario's deployment units: tensor parallelism
 * divides the GPUs and the heads, expert parallelism divides the GPUs and
 * the experts (1 for a dense model), and the weights fit in memory with room
 * for some KV cache. Errors say what would be valid (the checked catalog
 * leaves the scenario out); a storage-only precision is a warning.
 */
export function checkInference(catalog: Catalog): CheckProblem[] {
  const problems: CheckProblem[] = [];
  for (const scenario of scenariosOfKind(catalog.scenarios.values(), 'inference')) {
    const model = catalog.models.get(scenario.model);
    const hardware = catalog.hardware.get(scenario.hardware);
    if (!model || !hardware) continue;
    const profile = profileModel(model);
    let failed = false;
    const report = (severity: CheckProblem['severity'], path: DataPath, message: string) =>
      problems.push({severity, collection: 'scenarios', id: scenario.id, path, message, rule: 'invalid-value'});
    const fail = (path: DataPath, reason: string) => {
      report('error', path, `Deployment of \`${scenario.id}\`: ${reason}`);
      failed = true;
    };
    for (const phase of ['prefill', 'decode'] as const) {
      const unit = scenario.deployment[phase];
      if (!unit) continue;
      const at = ['deployment', phase];
      if (unit.gpus % unit.tp !== 0 || profile.heads % unit.tp !== 0) {
        fail(
          [...at, 'tp'],
          `tp ${unit.tp} must divide the ${unit.gpus} GPUs and the ${profile.heads} heads, expected one of ${divisors(gcd(unit.gpus, profile.heads)).join(', ')}`,
        );
      }
      if (profile.experts === 0 && unit.ep !== 1) fail([...at, 'ep'], `ep ${unit.ep} on a dense model, expected 1`);
      // Serving may spread experts over more GPUs than there are experts: the rest hold redundant and
      // shared experts (DeepSeek-V3 §3.4 decodes with EP320 for 256 routed experts).
      if (
        profile.experts > 0 &&
        (unit.gpus % unit.ep !== 0 || (unit.ep < profile.experts && profile.experts % unit.ep !== 0))
      ) {
        fail(
          [...at, 'ep'],
          `ep ${unit.ep} must divide the ${unit.gpus} GPUs and, below ${profile.experts}, the experts too: expected one of ${divisors(gcd(unit.gpus, profile.experts)).join(', ')}, or a divisor of ${unit.gpus} of at least ${profile.experts}`,
        );
      }
    }
    if (failed) continue;
    // Weights stored in FP8 or FP4 on a chip without that rate are only a storage format there: the
    // GEMMs run at the BF16 rate (weight-only quantisation). Worth saying, not an error.
    const weights = scenario.precision.weights;
    if (weights !== 'bf16' && hardware.peak_tflops[weights] === undefined) {
      report(
        'warning',
        ['precision', 'weights'],
        `\`${scenario.id}\`: ${hardware.id} has no ${weights} rate, so ${weights} weights only save memory and bandwidth there; the GEMMs run at the BF16 rate`,
      );
    }
    const decode = scenario.deployment.decode;
    const weightBytes = BYTES_PER_VALUE[scenario.precision.weights];
    const step = decodeStep(
      model,
      profile,
      chipRates(hardware),
      {gpus: decode.gpus, tp: decode.tp, ep: decode.ep, weightBytes, kvBytes: 2, overlapMicroBatches: false},
      1,
      0,
    );
    const usable = usableBytes(chipRates(hardware));
    if (step.weightBytesPerGpu > usable) {
      fail(
        ['deployment', 'decode', 'gpus'],
        `the weights need ${(step.weightBytesPerGpu / 1e9).toFixed(1)} GB per GPU of the ${(usable / 1e9).toFixed(1)} GB usable on ${hardware.id}, expected more GPUs, more tensor or expert parallelism, or smaller weights`,
      );
    }
  }
  return problems;
}
