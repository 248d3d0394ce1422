import type {Catalog} from '../../data/catalog.js';
import {loadCheckedCatalog} from '../../check/check-catalog.js';
import {unknownIdReason} from '../../diagnostics/nearest-id.js';
import {precisionSchema, type Precision} from '../../data/schemas/common.js';
import {
  STEP_PRECISIONS,
  type DemandScenario,
  type InferenceScenario,
  type Scenario,
  type TrainingScenario,
} from '../../data/schemas/scenario.js';
import {estimateDemand} from '../../estimate/demand/demand-scenario.js';
import type {InferenceOverrides} from '../../estimate/inference/inference-scenario.js';
import {Diagnostics, DiagnosticsError} from '../../diagnostics/diagnostics.js';
import type {SamplingOptions} from '../../estimate/uncertainty/monte-carlo.js';
import {onKind} from '../../data/scenario-kinds.js';
import {INFERENCE_OUTPUTS} from '../../estimate/inference/inference-outputs.js';
import {inferenceSensitivity, inferenceWithRanges} from '../../estimate/inference/inference-ranges.js';
import {servingModelError} from '../../estimate/inference/calibration.js';
import {sweepPointsOf, type AnyEstimate, type SweepPoint} from '../../estimate/kinds.js';
import {nonFiniteOutputs, nonFiniteReason} from '../../estimate/non-finite.js';
import {isOutputOf} from '../../estimate/outputs.js';
import {TRAINING_OUTPUTS} from '../../estimate/training/training-outputs.js';
import {trainingWithRanges, trainingSensitivity} from '../../estimate/training/training-ranges.js';
import {trainingModelError} from '../../estimate/training/calibrate-catalog.js';
import type {ModelError} from '../../estimate/calibration/model-error.js';
import {searchTraining, type TrainingOverrides} from '../../estimate/training/training-scenario.js';
import {formatQuantity, formatRange, significant} from '../../render/format-quantity.js';
import type {CommandContext} from '../context.js';
import type {OptionsOf} from '../options.js';
import type {estimateCommandSpec} from './estimate-options.js';
import {formatPrediction, MFU_DEFINITION} from '../format-prediction.js';
import {teraToUnit} from '../../estimate/units.js';
import {sixteenBitPeakTflops} from '../../estimate/chip-rates.js';
import {formatSensitivity} from '../format-sensitivity.js';
import {unusableGpus} from '../usable-gpus.js';
import {UsageError} from '../usage.js';

type EstimateContext = CommandContext<OptionsOf<typeof estimateCommandSpec>>;

/** `tradeoffs estimate <scenario-id> [--hardware id] [--search] [--samples N --seed S] [--sensitivity [--output name]] [--json]`. */
export async function estimateCommand(context: EstimateContext): Promise<number> {
  const [scenarioId] = context.positionals;
  if (!scenarioId) throw new UsageError('estimate needs a scenario id');
  const sampling = samplingOptions(context);
  const diagnostics = new Diagnostics();
  const catalog = await loadCheckedCatalog(context.root, diagnostics);
  const hardware = context.options.hardware;
  const scenario = catalog.scenarios.get(scenarioId);
  if (!diagnostics.hasErrors && !scenario) {
    diagnostics.error(
      '<command line>',
      unknownIdReason('scenario', scenarioId, catalog.scenarios.keys()),
      undefined,
      'unknown-id',
    );
  }
  if (!diagnostics.hasErrors && hardware !== undefined && !catalog.hardware.has(hardware)) {
    diagnostics.error(
      '<command line>',
      unknownIdReason('hardware', hardware, catalog.hardware.keys()),
      undefined,
      'unknown-id',
    );
  }
  const technique = context.options.technique;
  if (!diagnostics.hasErrors && scenario && technique !== undefined) {
    // The technique sets a --technique may name: the values of the technique axis of the scenario's sweep.
    const names = new Set(sweepPointsOf(scenario).flatMap((point) => point.technique ?? []));
    if (!names.has(technique)) {
      diagnostics.error(
        '<command line>',
        unknownIdReason('technique set', technique, names).replace(' id ', ' '),
        undefined,
        'unknown-id',
      );
    }
  }
  if (diagnostics.hasErrors || !scenario) throw new DiagnosticsError(diagnostics);
  context.report(diagnostics);
  const overrides = pointFromOptions(context);
  return onKind(
    {
      training: (training) => estimateTraining(context, catalog, training, overrides, sampling),
      inference: (inference) => estimateServing(context, catalog, inference, overrides, sampling),
      demand: (demand) => estimateDemandCli(context, catalog, demand, sampling),
    },
    scenario,
  );
}

/**
 * The estimate, or an error if it has a number that is not finite: the
 * build refuses to print one (src/render/template-scope.ts), and so does
 * this command, in the same words, rather than print ∞.
 */
function refuseNonFinite<E extends AnyEstimate>(catalog: Catalog, scenario: Scenario, estimate: E): E {
  const overflowing = nonFiniteOutputs(estimate);
  if (overflowing.length === 0) return estimate;
  const file = catalog.origins.get(scenario)?.source.path;
  const diagnostics = new Diagnostics();
  diagnostics.error(
    file ?? '<command line>',
    nonFiniteReason(scenario.id, overflowing, file),
    undefined,
    'invalid-value',
  );
  throw new DiagnosticsError(diagnostics);
}

function estimateDemandCli(
  context: EstimateContext,
  catalog: Catalog,
  scenario: DemandScenario,
  sampling: SamplingOptions,
): number {
  const leaves = catalog.uncertainty.get(scenario) ?? [];
  const estimate = refuseNonFinite(catalog, scenario, estimateDemand(scenario, leaves, sampling));
  if (context.options.json) {
    context.stdout(`${JSON.stringify({...estimate, sampling: leaves.length > 0 ? sampling : null}, null, 2)}\n`);
    return 0;
  }
  context.stdout(`${scenario.name}\n`);
  // An uncertain input is given as its median and 5th–95th percentiles, as the table's outputs are (its mode alone
  // read 'Elasticity 0' above a 56% chance that compute rises).
  const elasticity = estimate.elasticityRange;
  const elasticityText = elasticity
    ? `${significant(elasticity.p50)} (${significant(elasticity.p5)}–${significant(elasticity.p95)})`
    : significant(estimate.elasticity);
  const passThroughText = estimate.passThroughRange
    ? formatRange(estimate.passThroughRange, 'fraction')
    : formatQuantity(estimate.passThrough, 'fraction');
  context.stdout(
    `Elasticity ${elasticityText}, pass-through ${passThroughText}: compute rises when elasticity × pass-through > 1 (break-even elasticity ${significant(estimate.breakEvenElasticity)})\n\n`,
  );
  context.stdout('  efficiency  compute after / before        capability after / before     P(compute rises)\n');
  for (const point of estimate.points) {
    const ratio = (range: {p5: number; p50: number; p95: number} | undefined, nominal: number) =>
      range ? formatRange(range, 'times') : formatQuantity(nominal, 'times');
    context.stdout(
      `  ${formatQuantity(point.efficiencyFactor, 'times').padStart(10)}  ${ratio(point.computeRatio, point.nominal.computeRatio).padEnd(28)}  ${ratio(point.capabilityRatio, point.nominal.capabilityRatio).padEnd(28)}  ${formatQuantity(point.probabilityComputeRises, 'fraction')}\n`,
    );
  }
  return 0;
}

function estimateServing(
  context: EstimateContext,
  catalog: Catalog,
  scenario: InferenceScenario,
  overrides: InferenceOverrides,
  sampling: SamplingOptions,
): number {
  const output = context.options.output ?? 'usdPerMillionOutputTokens';
  if (!isOutputOf(INFERENCE_OUTPUTS, output)) {
    throw new UsageError(
      `unknown output \`${output}\` for an inference scenario, expected one of ${Object.keys(INFERENCE_OUTPUTS).join(', ')}`,
    );
  }
  const estimate = refuseNonFinite(
    catalog,
    scenario,
    inferenceWithRanges(catalog, scenario, overrides, sampling, {servingModelError: () => servingModelError(catalog)}),
  );
  const ranking = context.options.sensitivity ? inferenceSensitivity(catalog, scenario, output, overrides) : undefined;
  if (context.options.json) {
    context.stdout(
      `${JSON.stringify({...estimate, sampling: estimate.ranges ? sampling : null, ...(ranking ? {sensitivity: {output, ranking}} : {})}, null, 2)}\n`,
    );
    return 0;
  }
  const rows = Object.entries(INFERENCE_OUTPUTS).map(([name, info]) => {
    const range = estimate.ranges?.[name as keyof typeof INFERENCE_OUTPUTS];
    return [
      info.label,
      range ? formatRange(range, info.unit) : formatQuantity(info.read(estimate), info.unit),
    ] as const;
  });
  const width = Math.max(...rows.map(([label]) => label.length));
  const units =
    estimate.prefillGpus === estimate.decodeGpus && !scenario.deployment.prefill
      ? `${estimate.decodeGpus} × ${estimate.hardwareName}`
      : `prefill on ${estimate.prefillGpus}, decode on ${estimate.decodeGpus} × ${estimate.hardwareName}`;
  context.stdout(`${scenario.name}: ${units}\n`);
  if (estimate.extrapolated)
    context.stdout(`The chip's GEMM rate in this precision is extrapolated, not measured: its ranges are wider\n`);
  // Before the figures, which are what the setup would give if it ran: a reader must not take them as feasible.
  if (estimate.infeasible)
    context.stdout(
      `Not feasible as asked: ${estimate.infeasible}; the figures below are what it would give if it ran\n`,
    );
  if (estimate.queued) context.stdout(`Queued: ${estimate.queued}\n`);
  if (estimate.ranges) context.stdout(samplingLine(sampling));
  context.stdout('\n');
  for (const [label, value] of rows) context.stdout(`  ${label.padEnd(width)}  ${value}\n`);
  const {peak, prefill, decodeMemory} = estimate.serving;
  const ms = (seconds: number) => formatQuantity(seconds, 's');
  const step = peak.step;
  context.stdout(
    `\nDecode step at peak, ${Math.round(peak.batch).toLocaleString('en-US')} sequences × ${Math.round(estimate.contextTokens).toLocaleString('en-US')} tokens of context: ${ms(step.totalSeconds)} on the GPUs ` +
      `(dense GEMMs ${ms(step.denseGemmSeconds)}, attention ${ms(step.attentionSeconds)}, expert GEMMs ${ms(step.expertGemmSeconds)}, ` +
      `all-to-all ${ms(step.expertParallelSeconds)} less ${ms(step.hiddenSeconds)} overlapped, all-reduce ${ms(step.tensorParallelSeconds)}, other ${ms(step.elementwiseSeconds + step.overheadSeconds)}); ` +
      `weights ${formatQuantity(decodeMemory.weightBytesPerGpu, 'bytes')} and KV cache ${formatQuantity(decodeMemory.kvCacheBytesPerGpu, 'bytes')} per GPU\n`,
  );
  if (peak.chunkShare > 0)
    context.stdout(
      `Prefill shares the GPUs: ${formatQuantity(peak.chunkShare, 'fraction')} of the steps carry a prompt chunk and take ${ms(peak.chunkStepSeconds)}; the mean step is ${ms(peak.stepSeconds)}\n`,
    );
  context.stdout(
    `Prefill pass of ${prefill.tokensPerPass.toLocaleString('en-US')} prompt tokens per attention group: ${ms(prefill.passSeconds)}; ` +
      `TTFT ${ms(estimate.ttftSeconds)} mean at the stated load, ${ms(estimate.ttftP90Seconds)} at the 90th percentile at peak\n`,
  );
  if (estimate.latencyTargetMet === false)
    context.stdout(
      `The per-user speed (inter-token latency) target is missed: it is within the knee of one sequence's speed, so the batch is the knee's\n`,
    );
  if (estimate.ttftTargetMet === false) context.stdout(`The time-to-first-token target is missed\n`);
  if (estimate.modelError && estimate.ranges)
    context.stdout(
      `Ranges include the model's own error: leave-one-out on ${estimate.modelError.runs} published serving figures, median ${formatQuantity(estimate.modelError.medianAbsolute, 'fraction')}\n`,
    );
  if (ranking)
    context.stdout(`\n${formatSensitivity(INFERENCE_OUTPUTS[output].label, INFERENCE_OUTPUTS[output].unit, ranking)}`);
  return 0;
}

function estimateTraining(
  context: EstimateContext,
  catalog: Catalog,
  scenario: TrainingScenario,
  overrides: TrainingOverrides,
  sampling: SamplingOptions,
): number {
  const output = context.options.output ?? 'gpuHours';
  if (!isOutputOf(TRAINING_OUTPUTS, output)) {
    throw new UsageError(`unknown output \`${output}\`, expected one of ${Object.keys(TRAINING_OUTPUTS).join(', ')}`);
  }
  const predicts = scenario.parallelism !== undefined || (scenario.stages ?? []).some((stage) => stage.parallelism);
  if (predicts && overrides.precision !== undefined && !STEP_PRECISIONS.has(overrides.precision))
    throw new UsageError(
      `--precision expects bf16, fp16 or fp8 for a predicted step (the precisions the step model has GEMM rates for), got \`${overrides.precision}\``,
    );
  const unusable = unusableGpus(catalog, scenario, overrides);
  if (unusable) {
    const diagnostics = new Diagnostics();
    const nearest = [unusable.below, unusable.above].filter((count) => count !== undefined);
    const asked =
      overrides.gpus === undefined ? `${unusable.gpus.toLocaleString('en-US')} GPUs` : `--gpus ${unusable.gpus}`;
    diagnostics.error(
      '<command line>',
      `The layout of \`${scenario.id}\` cannot use ${asked}${overrides.hardware ? ` of ${overrides.hardware}` : ''}: ${nearest.length > 0 ? unusable.reason.replace(/, expected [^;]*$/, '') : unusable.reason}; ${
        nearest.length > 0
          ? `expected ${nearest.map((count) => count.toLocaleString('en-US')).join(' or ')} GPUs, the nearest counts it can use`
          : 'expected a GPU count it can use (none within twice this count)'
      }`,
      undefined,
      'invalid-value',
    );
    throw new DiagnosticsError(diagnostics);
  }
  // The model's own error (leave-one-out on the calibration set) widens every predicted estimate's range.
  let modelError: ModelError | undefined;
  let calibrated = false;
  const errorOnce = () => {
    if (!calibrated) modelError = trainingModelError(catalog);
    calibrated = true;
    return modelError;
  };
  const estimate = refuseNonFinite(
    catalog,
    scenario,
    trainingWithRanges(catalog, scenario, overrides, sampling, {modelError: errorOnce}),
  );
  const search = context.options.search ? searchTraining(catalog, scenario, overrides, 5, errorOnce()) : undefined;
  const ranking = context.options.sensitivity ? trainingSensitivity(catalog, scenario, output, overrides) : undefined;
  if (context.options.json) {
    const extra = {
      ...(context.options.search ? {search: search ?? null} : {}),
      ...(ranking ? {sensitivity: {output, ranking}} : {}),
    };
    context.stdout(
      `${JSON.stringify({...estimate, sampling: estimate.ranges ? sampling : null, ...extra}, null, 2)}\n`,
    );
    return 0;
  }
  // One MFU on the screen, in one definition (MFU_DEFINITION): a stated MFU in another convention is
  // converted (same throughput, other FLOP count and peak), and the table says which it is.
  const hardwareRecord = catalog.hardware.get(estimate.hardwareId);
  const bf16Peak = hardwareRecord
    ? teraToUnit(sixteenBitPeakTflops(hardwareRecord))
    : estimate.peakFlopsPerSecondPerGpu;
  const causalFlopsPerToken = estimate.trainingFlops / estimate.tokens;
  const mfu = (estimate.tokensPerSecondPerGpu * causalFlopsPerToken) / bf16Peak;
  const mfuScale = mfu / estimate.mfu;
  const stated = scenario.efficiency;
  const converted = stated !== undefined && (stated.attention !== 'causal' || stated.peak_precision !== 'bf16');
  // The MFU row's range, in the one definition; the model FLOP/s row is the same figure times the peak.
  const mfuRange = estimate.ranges?.mfu;
  const scaledMfu = mfuRange && {
    p5: mfuRange.p5 * mfuScale,
    p50: mfuRange.p50 * mfuScale,
    p95: mfuRange.p95 * mfuScale,
  };
  const rows: Array<readonly [string, string]> = Object.entries(TRAINING_OUTPUTS).map(([name, info]) => {
    const range = estimate.ranges?.[name as keyof typeof TRAINING_OUTPUTS];
    if (name === 'mfuFlopsPerToken')
      return ['FLOPs per token (causal attention)', formatQuantity(causalFlopsPerToken, 'FLOP')];
    if (name === 'achievedFlopsPerSecondPerGpu') {
      const flops = scaledMfu && {
        p5: scaledMfu.p5 * bf16Peak,
        p50: scaledMfu.p50 * bf16Peak,
        p95: scaledMfu.p95 * bf16Peak,
      };
      return ['Model FLOP/s per GPU', flops ? formatRange(flops, 'FLOP/s') : formatQuantity(mfu * bf16Peak, 'FLOP/s')];
    }
    if (name === 'mfu') {
      const scaled = scaledMfu;
      // Lost time is counted only where the goodput can be below 1: a run at a goodput of 1 has none.
      const lostTime =
        (estimate.ranges?.goodput?.p5 ?? estimate.goodput ?? 1) < 1 ? 'lost time counted' : 'no lost time';
      const label = `MFU (${stated ? (converted ? 'stated, converted' : 'stated') : `predicted over the run: ${lostTime}, the model's bias taken out`})`;
      return [label, scaled ? formatRange(scaled, 'fraction') : formatQuantity(mfu, 'fraction')];
    }
    return [info.label, range ? formatRange(range, info.unit) : formatQuantity(info.read(estimate), info.unit)];
  });
  const width = Math.max(...rows.map(([label]) => label.length));
  context.stdout(`${scenario.name} on ${estimate.gpus.toLocaleString('en-US')} × ${estimate.hardwareName}\n`);
  const restated =
    stated && converted
      ? `; the source states ${formatQuantity(stated.mfu, 'fraction')}, counting ${stated.attention === 'none' ? 'no attention FLOPs' : stated.attention === 'causal' ? 'attention with its causal mask' : 'attention without its causal mask'} over the ${stated.peak_precision.toUpperCase()} peak`
      : '';
  // The peak is the chip's 16-bit one (sixteenBitPeakTflops): FP16 on a chip without BF16.
  const definition =
    hardwareRecord && hardwareRecord.peak_tflops.bf16 === undefined
      ? MFU_DEFINITION.replace('BF16 peak', 'FP16 peak (the chip has no BF16)')
      : MFU_DEFINITION;
  context.stdout(`MFU here: ${definition}${restated}\n`);
  if (estimate.goodput !== undefined) {
    // The goodput as the table below gives it: its median and range when it is uncertain, not its mode.
    const goodput = estimate.ranges?.goodput;
    const shown = goodput ? formatRange(goodput, 'fraction') : formatQuantity(estimate.goodput, 'fraction');
    context.stdout(
      `GPU-hours, days, cost and energy include a goodput of ${shown} (${estimate.goodputSource === 'default' ? 'the sourced default' : "the scenario's"})\n`,
    );
  }
  // A chip without the precision asked runs the GEMMs in its 16-bit one (runnablePrecision): say so.
  const asked = overrides.precision ?? scenario.precision;
  if (estimate.precision !== asked)
    context.stdout(
      `GEMMs in ${estimate.precision.toUpperCase()}, not ${asked.toUpperCase()} as asked: the ${estimate.hardwareName} has no ${asked.toUpperCase()}\n`,
    );
  if (estimate.extrapolated)
    context.stdout(
      `The chip's matmul rate is extrapolated, not measured (${estimate.prediction?.rateBasis ?? 'cross-chip'}): its ranges are wider\n`,
    );
  for (const reason of estimate.beyondCalibration)
    context.stdout(`Beyond the calibration: ${reason}; the estimate extrapolates that fit\n`);
  if (estimate.modelError)
    context.stdout(
      `Ranges include the model's own error: leave-one-out on ${estimate.modelError.runs} published runs, median ${formatQuantity(estimate.modelError.medianAbsolute, 'fraction')}\n`,
    );
  if (estimate.ranges) context.stdout(samplingLine(sampling));
  context.stdout('\n');
  for (const [label, value] of rows) context.stdout(`  ${label.padEnd(width)}  ${value}\n`);
  if (estimate.stages.length > 1) {
    // Each stage's MFU in the one definition too (a stage's stated MFU converted like the run's).
    context.stdout('\nStages:\n');
    for (const stage of estimate.stages)
      context.stdout(
        `  ${stage.name ?? ''}: ${formatQuantity(stage.tokens, 'tokens')} at ${stage.seqLen.toLocaleString('en-US')} tokens per sequence on ${stage.gpus.toLocaleString('en-US')} GPUs, ${formatQuantity(stage.gpuHours, 'GPU-h')}, ${formatQuantity(stage.wallClockDays, 'days')} (MFU ${formatQuantity((stage.tokensPerSecondPerGpu * stage.trainingFlops) / stage.tokens / bf16Peak, 'fraction')}, ${stage.mfuSource})\n`,
      );
  }
  if (estimate.prediction)
    context.stdout(`\n${formatPrediction(estimate.prediction, scenario.efficiency ? mfu : undefined)}`);
  if (context.options.search) {
    context.stdout(
      search
        ? `\nSearch over every layout:\n${formatPrediction(search)}`
        : '\nSearch over every layout: no layout fits in memory\n',
    );
  }
  if (ranking)
    context.stdout(`\n${formatSensitivity(TRAINING_OUTPUTS[output].label, TRAINING_OUTPUTS[output].unit, ranking)}`);
  return 0;
}

/** The sweep point the command line names: `--hardware`, `--gpus`, `--precision`, `--technique`. */
function pointFromOptions(context: EstimateContext): SweepPoint {
  const {hardware, gpus, precision, technique} = context.options;
  const point: {hardware?: string; gpus?: number; precision?: Precision; technique?: string} = {};
  if (hardware !== undefined) point.hardware = hardware;
  if (technique !== undefined) point.technique = technique;
  if (gpus !== undefined) point.gpus = gpus;
  if (precision !== undefined) {
    const parsed = precisionSchema.safeParse(precision);
    if (!parsed.success)
      throw new UsageError(`--precision expects one of ${precisionSchema.options.join(', ')}, got \`${precision}\``);
    point.precision = parsed.data;
  }
  return point;
}

function samplingOptions(context: EstimateContext): SamplingOptions {
  return {samples: context.options.samples, seed: context.options.seed};
}

/** The line that says what the ranges are drawn from (one sample is a sample, not 'samples'). */
function samplingLine(sampling: {readonly samples: number; readonly seed: number}): string {
  const count = `${sampling.samples.toLocaleString('en-US')} ${sampling.samples === 1 ? 'sample' : 'samples'}`;
  return `Median and 5th–95th percentiles of ${count} (seed ${sampling.seed})\n`;
}
