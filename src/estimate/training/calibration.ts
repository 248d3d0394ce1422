import type {Hardware} from '../../data/schemas/hardware.js';
import type {Model} from '../../data/schemas/model.js';
import type {ReferenceRun} from '../../data/schemas/reference.js';
import type {Technique} from '../../data/schemas/technique.js';
import {techniqueLimits} from './availability.js';
import {chipRates} from '../chip-rates.js';
import {flopsPerTokenFor, trainingFlopsPerToken} from '../flops.js';
import type {Layout} from './layout.js';
import {profileModel} from '../model-profile.js';
import {searchLayouts} from './search.js';
import {layoutConstraints, trainingSetup} from './inputs.js';

/** One published run against its prediction. */
export interface CalibrationRow {
  readonly id: string;
  readonly name: string;
  /** What is compared: `mfu (causal)`, `mfu (non-causal)`, `hfu` or `training FLOPs (none)`. */
  readonly metric: string;
  readonly reported: number;
  /** `undefined` when no layout within the published degrees fits in memory. */
  readonly predicted: number | undefined;
  /** (predicted − reported) / reported. */
  readonly relativeError: number | undefined;
  /** The layout the prediction used: the published degrees, the rest chosen by the search. */
  readonly layout: Layout | undefined;
  readonly layoutsConsidered: number;
  readonly source: string;
}

/**
 * Predict a published run from its architecture, hardware and published
 * layout, without its efficiency: knobs the paper leaves out are chosen by
 * the layout search (the fastest layout that fits, as a lab would tune), and
 * the reported metric is read off the predicted step under the paper's own
 * convention.
 */
export function calibrateRun(
  run: ReferenceRun,
  model: Model,
  hardware: Hardware | undefined,
  techniques?: Iterable<Technique>,
): CalibrationRow {
  const base = {id: run.id, name: run.name, reported: run.reported.value, source: run.reported.source};
  if (run.reported.metric === 'training_flops') {
    const perToken = flopsPerTokenFor(trainingFlopsPerToken(model, run.workload.seq_len), run.reported.attention);
    const predicted = perToken * (run.workload.tokens ?? 0);
    return {
      ...base,
      metric: `training FLOPs (${run.reported.attention})`,
      predicted,
      relativeError: predicted / run.reported.value - 1,
      layout: undefined,
      layoutsConsidered: 0,
    };
  }
  const metric = run.reported.metric === 'hfu' ? 'hfu' : `mfu (${run.reported.attention})`;
  if (!hardware || !run.cluster || run.workload.global_batch_tokens === undefined) {
    return {...base, metric, predicted: undefined, relativeError: undefined, layout: undefined, layoutsConsidered: 0};
  }
  const limits = techniqueLimits(techniques, run.available);
  const setup = trainingSetup({
    gpus: run.cluster.gpus,
    seqLen: run.workload.seq_len,
    globalBatchTokens: run.workload.global_batch_tokens,
    precision: run.precision,
    recipe: run.recipe,
    limits,
  });
  const search = searchLayouts(
    profileModel(model),
    setup,
    chipRates(hardware),
    layoutConstraints(run.parallelism, limits),
    1,
  );
  const best = search.ranked[0];
  const predicted = !best
    ? undefined
    : run.reported.metric === 'hfu'
      ? best.hfu
      : run.reported.attention === 'causal'
        ? best.mfu
        : best.mfuNonCausal;
  return {
    ...base,
    metric,
    predicted,
    relativeError: predicted === undefined ? undefined : predicted / run.reported.value - 1,
    layout: best?.layout,
    layoutsConsidered: search.considered,
  };
}

/** Median of the absolute relative errors of the rows that could be predicted. */
export function medianAbsoluteError(rows: readonly CalibrationRow[]): number | undefined {
  const errors = rows
    .flatMap((row) => (row.relativeError === undefined ? [] : [Math.abs(row.relativeError)]))
    .sort((a, b) => a - b);
  if (errors.length === 0) return undefined;
  const middle = Math.floor(errors.length / 2);
  return errors.length % 2 === 1
    ? (errors[middle] as number)
    : ((errors[middle - 1] as number) + (errors[middle] as number)) / 2;
}
