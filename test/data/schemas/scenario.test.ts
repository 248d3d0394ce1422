import {describe, expect, it} from 'vitest';
import {trainingScenarioSchema} from '../../../src/data/schemas/scenario.js';

const predicted = {
  id: 'fp4-run',
  name: 'A predicted run',
  kind: 'training',
  model: 'llama-3.1-8b',
  cluster: {hardware: 'b200-sxm', gpus: 8},
  workload: {tokens: 1e9, seq_len: 4096, global_batch_tokens: 4194304},
  precision: 'bf16',
  parallelism: 'search',
};

/** The issues of a training scenario, as `path: message`. */
function issuesOf(scenario: Record<string, unknown>): string[] {
  const result = trainingScenarioSchema.safeParse(scenario);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('trainingScenarioSchema: the precision of a predicted step', () => {
  // Red team: `precision: fp4` (or tf32, int8…) on a predicted run was accepted and ran its GEMMs at the BF16 rate.
  it('refuses a precision the step model has no GEMM rate for, at the field', () => {
    expect(issuesOf({...predicted, precision: 'fp4'})).toEqual([
      expect.stringMatching(/^precision: Expected `bf16`, `fp16` or `fp8` to predict the step.*got `fp4`/),
    ]);
    expect(issuesOf({...predicted, sweep: {precision: ['fp8', 'int8']}})).toEqual([
      expect.stringMatching(/^sweep\.precision\.1: Expected `bf16`, `fp16` or `fp8` to predict the step.*got `int8`/),
    ]);
  });

  it('accepts the GEMM precisions, and any precision of a stated MFU', () => {
    for (const precision of ['bf16', 'fp16', 'fp8']) expect(issuesOf({...predicted, precision})).toEqual([]);
    const {parallelism: _, ...stated} = predicted;
    expect(
      issuesOf({...stated, precision: 'fp4', efficiency: {mfu: 0.3, attention: 'causal', source: 'example'}}),
    ).toEqual([]);
  });
});
