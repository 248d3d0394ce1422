import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import {isInferenceReference, type InferenceReference} from '../../../src/data/schemas/reference.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {
  calibrateServing,
  FITTED_SERVING_CONSTANTS,
  SERVING_CALIBRATION_TARGET,
  type ServingCalibration,
  servingFiguresBeyondTarget,
} from '../../../src/estimate/inference/calibration.js';
import {SERVING_CONSTANT_LIST, servingConstant} from '../../../src/estimate/inference/serving-constants.js';
import {REPO_ROOT} from '../../helpers/project.js';

/**
 * The serving model against published serving results (data/references.yaml,
 * `kind: inference`): the fit of its fitted constants, leave-one-out, and
 * the targets (every figure within 25% left out; DeepSeek's own
 * deployment within 25%).
 */

let catalog: Catalog;
let calibration: ServingCalibration;
beforeAll(async () => {
  const diagnostics = new Diagnostics();
  catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  expect(diagnostics.hasErrors).toBe(false);
  calibration = calibrateServing(catalog);
});

const references = () => [...catalog.references.values()].filter(isInferenceReference);

describe('the serving references', () => {
  it('cover DeepSeek’s own service, the SGLang and RTP-LLM replications, TensorRT-LLM, four chips and four models', () => {
    const ids = references().map((reference) => reference.id);
    expect(ids).toEqual(
      expect.arrayContaining(['deepseek-v3-day6-service', 'sglang-deepseek-v3-h100-2k', 'rtp-llm-deepseek-v3-h800']),
    );
    expect(new Set(references().map((reference) => reference.hardware)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(references().map((reference) => reference.model)).size).toBeGreaterThanOrEqual(4);
  });

  it('are all predicted, each reported figure once', () => {
    const figures = references().reduce((sum, reference) => {
      const reported = reference.reported;
      return (
        sum +
        [
          reported.output_tokens_per_second_per_gpu ?? reported.output_tokens_per_second_per_node,
          reported.input_tokens_per_second_per_gpu ?? reported.input_tokens_per_second_per_node,
          reported.tokens_per_second_per_user,
          reported.ttft_seconds,
          reported.itl_seconds,
        ].filter((value) => value !== undefined).length
      );
    }, 0);
    expect(calibration.rows).toHaveLength(figures);
    for (const row of calibration.rows) {
      expect(row.predicted).toBeDefined();
      expect(row.leaveOneOutPredicted).toBeDefined();
    }
  });
});

describe('the fit', () => {
  it("quotes one median error: the serving ranges' is the calibration table's leave-one-out median", () => {
    expect(calibration.modelError?.medianAbsolute).toBe(calibration.medianLeaveOneOutError);
  });

  it('fits only the constants the registry says are fitted', () => {
    expect(calibration.fitted.map((constant) => constant.id)).toEqual([...FITTED_SERVING_CONSTANTS]);
    expect(
      SERVING_CONSTANT_LIST.filter((constant) => constant.status === 'fitted').map((constant) => constant.id),
    ).toEqual([...FITTED_SERVING_CONSTANTS]);
  });

  it('agrees with the values the registry states (refit within 0.01), whose ranges hold every leave-one-out refit', () => {
    for (const constant of calibration.fitted) {
      const registered = servingConstant(constant.id);
      expect(Math.abs(constant.value - registered.value)).toBeLessThan(0.01);
      for (const refit of Object.values(constant.leaveOneOut)) {
        expect(refit).toBeGreaterThanOrEqual(registered.range.low);
        expect(refit).toBeLessThanOrEqual(registered.range.high);
      }
    }
  });

  it('predicts a reference left out without its reported figures: changing them moves only the in-sample fit', () => {
    const [first] = references() as [InferenceReference];
    const tampered: InferenceReference = {
      ...first,
      reported: {
        ...first.reported,
        output_tokens_per_second_per_node:
          first.reported.output_tokens_per_second_per_node === undefined
            ? undefined
            : first.reported.output_tokens_per_second_per_node * 3,
        output_tokens_per_second_per_gpu:
          first.reported.output_tokens_per_second_per_gpu === undefined
            ? undefined
            : first.reported.output_tokens_per_second_per_gpu * 3,
      },
    };
    const changed = calibrateServing({...catalog, references: new Map([...catalog.references, [first.id, tampered]])});
    const before = calibration.rows.filter((row) => row.referenceId === first.id);
    const after = changed.rows.filter((row) => row.referenceId === first.id);
    after.forEach((row, index) =>
      expect(row.leaveOneOutPredicted).toBeCloseTo(before[index]!.leaveOneOutPredicted!, 9),
    );
  });
});

describe('the issue’s targets', () => {
  it('reproduces DeepSeek’s Day-6 prefill and decode within 25%, left out', () => {
    const rows = calibration.rows.filter((row) => row.referenceId === 'deepseek-v3-day6-service');
    expect(rows.map((row) => row.metric).sort()).toEqual(['inputTokensPerSecondPerGpu', 'outputTokensPerSecondPerGpu']);
    for (const row of rows) expect(Math.abs(row.leaveOneOutError!)).toBeLessThan(0.25);
  });

  it('names the figures beyond the target worst first, a figure with no prediction among them (the page counts within + beyond = all)', () => {
    expect(SERVING_CALIBRATION_TARGET.everyFigureLeaveOneOut).toBe(0.25);
    const errors = [0.3, undefined, 0.1, -0.4, 0.25];
    const rows = calibration.rows
      .slice(0, errors.length)
      .map((row, index) => ({...row, leaveOneOutError: errors[index]}));
    const beyond = servingFiguresBeyondTarget({...calibration, rows});
    expect(beyond.map((row) => row.leaveOneOutError)).toEqual([undefined, -0.4, 0.3, 0.25]);
  });

  it('keeps every figure within 25% left out (Llama 3.3 70B in FP4 on a B200 too, with the chip’s measured FP4 rate)', () => {
    const misses = calibration.rows.filter((row) => Math.abs(row.leaveOneOutError!) >= 0.25);
    expect(misses.map((row) => `${row.referenceId} ${row.metric}`)).toEqual([]);
    const fp4 = calibration.rows.find((row) => row.referenceId === 'trtllm-llama-3.3-70b-b200-fp4')!;
    expect(fp4.weights).toBe('fp4');
    expect(catalog.hardware.get(fp4.hardwareId)!.achievable_tflops).toHaveProperty('fp4');
  });

  it('has a median error under 15%, in sample and left out', () => {
    expect(calibration.medianError!).toBeLessThan(0.15);
    expect(calibration.medianLeaveOneOutError!).toBeLessThan(0.15);
  });
});
