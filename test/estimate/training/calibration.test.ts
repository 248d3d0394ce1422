import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {isInferenceReference, referenceStages} from '../../../src/data/schemas/reference.js';
import {fitModelError} from '../../../src/estimate/calibration/model-error.js';
import {fitConstants, leaveOneOut} from '../../../src/estimate/calibration/leave-one-out.js';
import {MODEL_CONSTANTS, NOMINAL_CONSTANTS} from '../../../src/estimate/model-constants.js';
import {
  calibrateCatalog,
  CALIBRATION_TARGETS,
  runsBeyondTarget,
  calibrationCoverage,
  uncalibratedHardware,
  type Calibration,
} from '../../../src/estimate/training/calibrate-catalog.js';
import {predictRun} from '../../../src/estimate/training/calibration.js';
import {tuningGapEvidence} from '../../../src/estimate/training/tuning-gap.js';
import {REPO_ROOT} from '../../helpers/project.js';

let catalog: Catalog;
let calibration: Calibration;

beforeAll(async () => {
  catalog = await loadCheckedCatalog(REPO_ROOT, new Diagnostics());
  calibration = calibrateCatalog(catalog);
}, 60_000);

describe('the leave-one-out mechanism', () => {
  // Runs whose ratio is (constant / truth): the fit finds the truth of the middle run (least absolute
  // deviations), and each run left out is predicted by the constant the others give.
  const cases = [0.7, 0.72, 0.9].map((truth, index) => ({
    id: `run-${index}`,
    ratio: (constants: typeof NOMINAL_CONSTANTS) => constants.kernelEfficiency / truth,
  }));

  it('fits a constant by a deterministic grid search to within a thousandth', () => {
    const fit = fitConstants(cases, ['kernelEfficiency'], NOMINAL_CONSTANTS);
    expect(fit.values.kernelEfficiency).toBeCloseTo(0.72, 3);
    expect(fitConstants(cases, ['kernelEfficiency'], NOMINAL_CONSTANTS)).toEqual(fit);
  });

  it('refits without each run and predicts it with the refit', () => {
    const loo = leaveOneOut(cases, ['kernelEfficiency'], NOMINAL_CONSTANTS);
    expect(loo.inSampleRatios.get('run-1')).toBeCloseTo(1, 3);
    // Without the middle run the other two tie anywhere between their truths: it is predicted by a refit there.
    const middle = loo.folds.find((fold) => fold.id === 'run-1')!;
    expect(middle.fit.values.kernelEfficiency).toBeGreaterThanOrEqual(0.7 - 1e-3);
    expect(middle.fit.values.kernelEfficiency).toBeLessThanOrEqual(0.9 + 1e-3);
    expect(middle.ratio).toBeCloseTo(middle.fit.values.kernelEfficiency! / 0.72, 12);
    // The outlier is predicted by a fit of the other two, between their truths: 0.78 to 0.8 of its own.
    const outlier = loo.folds.find((fold) => fold.id === 'run-2')!;
    expect(outlier.ratio).toBeGreaterThanOrEqual(0.7 / 0.9 - 1e-3);
    expect(outlier.ratio).toBeLessThanOrEqual(0.72 / 0.9 + 1e-3);
  });

  it('fits the log-normal of the model error by the mean and standard deviation of ln(ratio)', () => {
    const error = fitModelError([Math.exp(0.1), Math.exp(-0.1)])!;
    expect(error.mu).toBeCloseTo(0, 12);
    expect(error.sigma).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(error.medianAbsolute).toBeCloseTo((Math.exp(0.1) - 1 + (1 - Math.exp(-0.1))) / 2, 12);
  });
});

describe('calibration against the published runs of data/references.yaml', () => {
  it('predicts every run, from its layout and never its reported efficiency', () => {
    const runs = [...catalog.references.values()].filter((reference) => !isInferenceReference(reference));
    expect(calibration.rows.map((row) => row.id)).toEqual(runs.map((run) => run.id).sort());
    for (const row of calibration.rows) expect(row.predicted, row.id).toBeGreaterThan(0);
  });

  it('marks the runs whose paper gives no layout, predicted on the search alone', () => {
    const runs = [...catalog.references.values()].filter((reference) => !isInferenceReference(reference));
    const unpublished = calibration.rows.filter((row) => !row.layoutPublished).map((row) => row.id);
    expect(unpublished).toEqual(
      runs
        .filter((run) => referenceStages(run).every((stage) => stage.parallelism === undefined))
        .map((run) => run.id)
        .sort(),
    );
    expect(unpublished).toContain('llama-2-70b-a100');
  });

  it("quotes one median error: the one the search and the pages judge gaps by is the calibration table's", () => {
    expect(calibration.modelError?.medianAbsolute).toBe(calibration.errors.all.medianLeaveOneOut);
  });

  it('holds each fitted constant at what the fit to every run finds, with every leave-one-out refit in its range', () => {
    expect(calibration.fitted.length).toBeGreaterThan(0);
    for (const constant of calibration.fitted) {
      const {range} = MODEL_CONSTANTS[constant.name];
      // Within 1% of the fit, whatever the constant's scale (a host time in seconds is a few ten-thousandths).
      expect(Math.abs(constant.tabled - constant.fitted), constant.name).toBeLessThanOrEqual(
        0.01 * Math.abs(constant.fitted),
      );
      expect(constant.looLow, constant.name).toBeGreaterThanOrEqual(range.low);
      expect(constant.looHigh, constant.name).toBeLessThanOrEqual(range.high);
    }
  });

  it('predicts a run whose split the search chooses slower by the tuning gap, and a run that publishes its split as it is', () => {
    const ratioAt = (id: string, tuningGap: number) => {
      const run = catalog.references.get(id);
      if (!run || isInferenceReference(run)) throw new Error(`no training run ${id}`);
      const model = catalog.models.get(run.model);
      if (!model) throw new Error(`no model ${run.model}`);
      const hardware = run.cluster && catalog.hardware.get(run.cluster.hardware);
      const constants = {...NOMINAL_CONSTANTS, tuningGap};
      return predictRun(run, model, hardware, catalog.techniques.values(), constants).throughputRatio as number;
    };
    // Llama 2 70B publishes no layout; Megatron's 1.7B run publishes TP 1 and PP 1.
    expect(ratioAt('llama-2-70b-a100', 2) / ratioAt('llama-2-70b-a100', 1)).toBeCloseTo(0.5, 12);
    expect(ratioAt('megatron-gpt-1.7b-32-a100', 2)).toBe(ratioAt('megatron-gpt-1.7b-32-a100', 1));
  });

  it("holds the tuning gap at the median of the search's fastest layout over the published one, its range the quartiles", () => {
    const gap = tuningGapEvidence(catalog);
    expect(gap.rows.length).toBeGreaterThanOrEqual(40);
    const {value, range} = MODEL_CONSTANTS.tuningGap;
    expect(Math.abs(value - (gap.median as number))).toBeLessThanOrEqual(0.01 * (gap.median as number));
    expect(range.low).toBeLessThanOrEqual(gap.lowerQuartile as number);
    expect(range.high).toBeGreaterThanOrEqual(gap.upperQuartile as number);
  }, 60_000);

  it('states the span of the layout quantity each scaling constant was fitted on, as data/references.yaml has it', () => {
    // The host-dispatch term acts on MoE runs whose CUDA graphs do not replay the whole step: the routed experts
    // per GPU of their calibrated layouts (searched where a run leaves ep out) span what the fit saw.
    const counts = calibration.rows.flatMap((row) => {
      const run = catalog.references.get(row.id);
      if (!run || isInferenceReference(run) || !row.layout) return [];
      const model = catalog.models.get(run.model);
      if (model?.ffn.kind !== 'moe' || run.recipe?.cuda_graphs === 'full') return [];
      return [model.ffn.experts / row.layout.ep];
    });
    expect(counts.length).toBeGreaterThan(0);
    const span = MODEL_CONSTANTS.hostSecondsPerLocalExpert.calibratedSpan;
    expect(span).toMatchObject({low: Math.min(...counts), high: Math.max(...counts)});
  });

  it('meets the median target on the runs the estimator was built on (leave-one-out within 8%)', () => {
    const core = calibration.rows.filter((row) => !row.heldOut && row.looRelativeError !== undefined);
    expect(core.length).toBeGreaterThanOrEqual(14);
    expect(calibration.errors.core.medianLeaveOneOut).toBeLessThanOrEqual(CALIBRATION_TARGETS.medianLeaveOneOut);
  });

  it('names every run beyond the per-run target (15% left out), worst first, for `tradeoffs calibrate` to report', () => {
    // The per-run target is a measured figure, as the speed targets are the bench's: DeepSeek-V3's
    // H800 run written as published (selective recomputation) is one of the runs beyond it.
    const beyond = runsBeyondTarget(calibration);
    const expected = calibration.rows.filter(
      (row) => Math.abs(row.looRelativeError ?? 0) > CALIBRATION_TARGETS.everyRunLeaveOneOut,
    );
    expect(new Set(beyond.map((row) => row.id))).toEqual(new Set(expected.map((row) => row.id)));
    for (const [index, row] of beyond.slice(1).entries())
      expect(Math.abs(row.looRelativeError!)).toBeLessThanOrEqual(Math.abs(beyond[index]!.looRelativeError!));
  });

  it('keeps the leave-one-out median within 8% with the held-out runs too (their largest errors are reported, not hidden)', () => {
    expect(calibration.errors.heldOut.runs).toBeGreaterThanOrEqual(18);
    expect(calibration.errors.all.medianLeaveOneOut).toBeLessThanOrEqual(0.08);
    // Which runs miss by more than 15% is in `tradeoffs calibrate` and on the Calibration page.
    expect(calibration.errors.all.worstLeaveOneOut).toBeGreaterThan(0);
  });

  it("reproduces GPT-3's 3.14e23 training FLOPs (6ND)", () => {
    const row = calibration.rows.find((candidate) => candidate.id === 'gpt-3-175b-flops')!;
    expect(Math.abs(row.relativeError!)).toBeLessThan(0.01);
  });

  it('says which hardware has no calibration run', () => {
    expect(uncalibratedHardware(catalog, calibration)).toContain('h20');
    expect(uncalibratedHardware(catalog, calibration)).not.toContain('h100-sxm');
  });

  it("covers each run's reported figure with its p5-p95 range in at least the share one would expect of a 90% range", () => {
    const rows = calibrationCoverage(catalog, calibration, {samples: 200, seed: 1});
    expect(rows.length).toBe(calibration.rows.filter((row) => row.throughputRatio !== undefined).length);
    const covered = rows.filter((row) => row.covered).length;
    // The fewest covered runs a 90% range gives with probability 95% or more (binomial).
    const n = rows.length;
    const choose = (k: number) => {
      let value = 1;
      for (let index = 1; index <= k; index++) value = (value * (n - k + index)) / index;
      return value;
    };
    let floor = 0;
    let below = 0;
    while (below + choose(floor) * 0.9 ** floor * 0.1 ** (n - floor) <= 0.05) {
      below += choose(floor) * 0.9 ** floor * 0.1 ** (n - floor);
      floor++;
    }
    expect(
      covered,
      `${covered} of ${n} covered; missed: ${rows
        .filter((row) => !row.covered)
        .map((row) => `${row.id} ${row.reported} not in ${row.range.p5.toPrecision(3)}-${row.range.p95.toPrecision(3)}`)
        .join('; ')}`,
    ).toBeGreaterThanOrEqual(floor);
  });
});
