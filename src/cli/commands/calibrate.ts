import {loadCheckedCatalog} from '../../check/check-catalog.js';
import {Diagnostics, DiagnosticsError} from '../../diagnostics/diagnostics.js';
import {
  calibrateCatalog,
  CALIBRATION_TARGETS,
  runsBeyondTarget,
  calibrationCoverage,
  uncalibratedHardware,
  type ErrorSummary,
} from '../../estimate/training/calibrate-catalog.js';
import {MIN_FFN_RUNS, modelErrorForFfn, type ModelError} from '../../estimate/calibration/model-error.js';
import {memoryEvidence, type MemoryEvidence} from '../../estimate/training/memory-calibration.js';
import {tuningGapEvidence} from '../../estimate/training/tuning-gap.js';
import {MODEL_CONSTANTS} from '../../estimate/model-constants.js';
import {describeLayout} from '../../estimate/training/describe-layout.js';
import {
  calibrateServing,
  SERVING_CALIBRATION_TARGET,
  SERVING_METRICS,
  type ServingCalibration,
  servingFiguresBeyondTarget,
} from '../../estimate/inference/calibration.js';
import {formatQuantity} from '../../render/format-quantity.js';
import {teraToUnit} from '../../estimate/units.js';
import type {CommandContext} from '../context.js';
import type {OptionsOf} from '../options.js';
import type {calibrateCommandSpec} from './calibrate-options.js';

/**
 * `tradeoffs calibrate [--json]`: predict every published run in
 * data/references.yaml, in sample and leave-one-out (the fitted constants
 * refitted without the run), and list the fitted constants.
 */
export async function calibrateCommand(
  context: CommandContext<OptionsOf<typeof calibrateCommandSpec>>,
): Promise<number> {
  const diagnostics = new Diagnostics();
  const catalog = await loadCheckedCatalog(context.root, diagnostics);
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  context.report(diagnostics);
  const calibration = calibrateCatalog(catalog);
  const serving = calibrateServing(catalog);
  const memory = memoryEvidence(catalog);
  if (context.options.json) {
    context.stdout(`${JSON.stringify({...calibration, memory, serving}, null, 2)}\n`);
    return 0;
  }
  const value = (metric: string, number: number | undefined) =>
    number === undefined
      ? 'no fit'
      : metric.startsWith('training FLOPs')
        ? formatQuantity(number, 'FLOP')
        : metric.startsWith('mfu') || metric === 'hfu'
          ? formatQuantity(number, 'fraction')
          : metric.startsWith('TFLOP/s')
            ? formatQuantity(teraToUnit(number), 'FLOP/s')
            : formatQuantity(number, '');
  const table = calibration.rows.map((row) => [
    `${row.id}${row.heldOut ? ' *' : ''}`,
    row.metric,
    value(row.metric, row.reported),
    value(row.metric, row.predicted),
    percent(row.relativeError),
    percent(row.looRelativeError),
  ]);
  const header = ['reference run', 'metric', 'reported', 'predicted', 'in sample', 'leave-one-out'];
  const line = tableLine(header, table);
  context.stdout(`${line(header)}\n${table.map(line).join('\n')}\n`);
  context.stdout('* held out: added after the estimator was built (issue #14)\n\n');
  const summary = (label: string, errors: ErrorSummary) =>
    `${label} (${errors.runs} runs): median ${percent(errors.medianInSample).replace('+', '')} in sample, ${percent(errors.medianLeaveOneOut).replace('+', '')} leave-one-out; largest ${percent(errors.worstInSample).replace('+', '')} in sample, ${percent(errors.worstLeaveOneOut).replace('+', '')} leave-one-out\n`;
  context.stdout(summary('all runs', calibration.errors.all));
  context.stdout(summary('without the held-out runs', calibration.errors.core));
  context.stdout(summary('held-out runs only', calibration.errors.heldOut));
  const median = calibration.errors.all.medianLeaveOneOut ?? 0;
  const beyond = runsBeyondTarget(calibration);
  context.stdout(
    `targets (issue #14, leave-one-out): median within ${percent(CALIBRATION_TARGETS.medianLeaveOneOut).replace('+', '')}: ${median <= CALIBRATION_TARGETS.medianLeaveOneOut ? 'met' : 'NOT MET'} (${percent(median).replace('+', '')}); every run within ${percent(CALIBRATION_TARGETS.everyRunLeaveOneOut).replace('+', '')}: ${beyond.length === 0 ? 'met' : `NOT MET, ${beyond.length} beyond: ${beyond.map((row) => `${row.id} ${percent(row.looRelativeError)}`).join(', ')}`}\n`,
  );
  context.stdout('\nerrors by kind of model, chip and precision (predicted over reported speed, left out):\n');
  for (const group of calibration.groups)
    context.stdout(
      `  ${group.ffn} · ${group.hardwareId} · ${group.precision}: ${group.runIds.length} run${group.runIds.length === 1 ? '' : 's'} (${group.modelIds.join(', ')}), median ${percent(group.medianSpeedError)} (${percent(group.lowestSpeedError)} to ${percent(group.highestSpeedError)})\n`,
    );
  context.stdout('\nfitted constants (src/estimate/model-constants.ts):\n');
  for (const constant of calibration.fitted)
    context.stdout(
      `  ${constant.name} = ${constant.tabled} ${constant.unit} (fit to every run: ${constant.fitted.toFixed(4)}; leave-one-out refits ${constant.looLow.toFixed(4)}–${constant.looHigh.toFixed(4)})\n`,
    );
  const gap = tuningGapEvidence(catalog);
  context.stdout(
    `derived: tuningGap = ${MODEL_CONSTANTS.tuningGap.value} (the search's fastest layout over the published one on ${gap.rows.length} runs that publish their split: median ${gap.median?.toFixed(4) ?? '–'}, quartiles ${gap.lowerQuartile?.toFixed(4) ?? '–'}–${gap.upperQuartile?.toFixed(4) ?? '–'}); runs whose split the search chooses are predicted that much slower\n`,
  );
  if (calibration.modelError) {
    context.stdout(
      `\nmodel error for ranges: ln(predicted / reported throughput) ~ normal(${calibration.modelError.mu.toFixed(4)}, ${calibration.modelError.sigma.toFixed(4)}) over ${calibration.modelError.runs} leave-one-out predictions\n`,
    );
    context.stdout(ffnErrorLines(calibration.modelError, 'runs'));
    const coverage = calibrationCoverage(catalog, calibration);
    const missed = coverage.filter((row) => !row.covered).map((row) => row.id);
    context.stdout(
      `p5–p95 ranges (model constants drawn, model error from the other runs, centred on those of the same model and chip) cover ${coverage.length - missed.length} of ${coverage.length} reported figures${missed.length > 0 ? `; not: ${missed.join(', ')}` : ''}\n`,
    );
  }
  const uncalibrated = uncalibratedHardware(catalog, calibration);
  context.stdout(`hardware with no calibration run: ${uncalibrated.length > 0 ? uncalibrated.join(', ') : 'none'}\n`);
  context.stdout(`\n${formatMemory(memory)}`);
  if (serving.rows.length > 0) context.stdout(`\n${formatServing(serving)}`);
  return 0;
}

const percent = (value: number | undefined) =>
  value === undefined ? '–' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;

/** The serving references as a table: reported, predicted in sample and leave-one-out, and the fitted constants. */
function formatServing(serving: ServingCalibration): string {
  const table = serving.rows.map((row) => {
    const {label, unit} = SERVING_METRICS[row.metric];
    return [
      row.referenceId,
      label,
      formatQuantity(row.reported, unit),
      row.predicted === undefined ? 'no fit' : formatQuantity(row.predicted, unit),
      percent(row.relativeError),
      percent(row.leaveOneOutError),
    ];
  });
  const header = ['serving result', 'figure', 'reported', 'predicted', 'error', 'left out'];
  const line = tableLine(header, table);
  const fitted = serving.fitted
    .map((constant) => {
      const left = Object.values(constant.leaveOneOut);
      return `${constant.id} = ${constant.value.toPrecision(3)} (${Math.min(...left).toPrecision(3)}–${Math.max(...left).toPrecision(3)} with one left out)`;
    })
    .join('; ');
  const abs = (value: number | undefined) => (value === undefined ? '–' : `${(value * 100).toFixed(1)}%`);
  const beyond = servingFiguresBeyondTarget(serving);
  const target = `target (issue #15, leave-one-out): every figure within ${abs(SERVING_CALIBRATION_TARGET.everyFigureLeaveOneOut)}: ${beyond.length === 0 ? 'met' : `NOT MET, ${beyond.length} beyond: ${beyond.map((row) => `${row.name} (${SERVING_METRICS[row.metric].label}) ${percent(row.leaveOneOutError)}`).join(', ')}`}\n`;
  return (
    `${line(header)}\n${table.map(line).join('\n')}\n\n` +
    `fitted: ${fitted || 'nothing'}\n` +
    `median absolute error ${abs(serving.medianError)} (largest ${abs(serving.largestError)}), leave-one-out ${abs(serving.medianLeaveOneOutError)} (largest ${abs(serving.largestLeaveOneOutError)}) over ${serving.rows.length} figures\n` +
    (serving.modelError
      ? `model error for serving ranges: ln(predicted / reported speed) ~ normal(${serving.modelError.mu.toFixed(4)}, ${serving.modelError.sigma.toFixed(4)}) over ${serving.modelError.runs} leave-one-out predictions\n` +
        ffnErrorLines(serving.modelError, 'figures')
      : '') +
    target
  );
}

/** The model error's fits over the dense and the MoE predictions alone, and which estimates use them. */
function ffnErrorLines(error: ModelError, what: 'runs' | 'figures'): string {
  return (
    (['dense', 'moe'] as const)
      .map((ffn) => {
        const own = error.byFfn?.[ffn];
        if (!own) return '';
        const kind = ffn === 'moe' ? 'MoE' : 'dense';
        const use =
          modelErrorForFfn(error, ffn) !== error
            ? `used for the ranges of ${kind} estimates`
            : `too few (under ${MIN_FFN_RUNS}): ${kind} estimates take the pooled error`;
        return `  ${kind} ${what} only: normal(${own.mu.toFixed(4)}, ${own.sigma.toFixed(4)}) over ${own.runs}, median error ${percent(own.medianAbsolute).replace('+', '')}; ${use}\n`;
      })
      .join('') + correlationLine(error, what)
  );
}

/** How far a factor between two runs of one model on one chip keeps the model's error out (ModelError.setupCorrelation). */
function correlationLine(error: ModelError, what: 'runs' | 'figures'): string {
  return error.setupCorrelation === undefined
    ? `  no two ${what} of one model on one chip: errors of different estimates are drawn independently\n`
    : `  errors on ${what} of one model on one chip correlate ${error.setupCorrelation.toFixed(3)} (from their pairs): a factor between two such estimates keeps that share of the error's variance out\n`;
}

/** A line of a plain-text table: the first two columns (names) padded right, the numbers padded left. */
function tableLine(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): (cells: readonly string[]) => string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((cells) => (cells[column] ?? '').length)),
  );
  return (cells) =>
    cells
      .map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ');
}

/** The memory section: each published layout's least memory-hungry reading over its chip's memory. */
function formatMemory(memory: MemoryEvidence): string {
  const header = [
    'memory: published layout',
    'recompute',
    'predicted / memory',
    'ratio',
    'least memory-hungry reading',
  ];
  const table = memory.rows.map((row) => [
    row.id,
    row.recomputeStated ? 'stated' : 'searched',
    `${(row.predictedBytes / 1e9).toFixed(1)} / ${(row.capacityBytes / 1e9).toFixed(1)} GB`,
    row.ratio.toFixed(3),
    describeLayout(row.layout),
  ]);
  const line = tableLine(header, table);
  const {runs, largest, median} = memory.stated;
  const summary =
    largest === undefined || median === undefined
      ? 'no published run states its recomputation\n'
      : `over the ${runs} runs that state their recomputation: median ratio ${median.toFixed(3)}, largest ${largest.toFixed(3)}${largest > 1 ? ` (the memory model over-predicts that run by at least ${((largest - 1) * 100).toFixed(1)}%; a published layout is taken as fitting, any other must fit by the model)` : ''}\n`;
  return `${line(header)}\n${table.map(line).join('\n')}\n${summary}`;
}
