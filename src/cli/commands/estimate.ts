import type {Catalog} from '../../data/catalog.js';
import {loadCatalog} from '../../data/load-catalog.js';
import {unknownIdReason} from '../../data/nearest-id.js';
import type {TrainingScenario} from '../../data/schemas/scenario.js';
import {Diagnostics, DiagnosticsError} from '../../diagnostics/diagnostics.js';
import {DEFAULT_SAMPLING, type SamplingOptions} from '../../estimate/monte-carlo.js';
import {isTrainingOutput, TRAINING_OUTPUTS} from '../../estimate/outputs.js';
import {searchScenario, type ScenarioOverrides} from '../../estimate/scenario-estimate.js';
import {estimateWithRanges, scenarioSensitivity} from '../../estimate/scenario-uncertainty.js';
import {formatQuantity, formatRange} from '../../render/format-quantity.js';
import type {CommandContext} from '../context.js';
import {formatPrediction} from '../format-prediction.js';
import {formatSensitivity} from '../format-sensitivity.js';
import {UsageError} from '../usage.js';

/** `tradeoffs estimate <scenario-id> [--hardware id] [--search] [--samples N --seed S] [--sensitivity [--output name]] [--json]`. */
export async function estimateCommand(context: CommandContext): Promise<number> {
  const [scenarioId] = context.positionals;
  if (!scenarioId) throw new UsageError('estimate needs a scenario id');
  const sampling = samplingOptions(context);
  const diagnostics = new Diagnostics();
  const catalog = await loadCatalog(context.root, diagnostics);
  const hardware = context.options.hardware;
  const scenario = catalog.scenarios.get(scenarioId);
  if (!diagnostics.hasErrors && !scenario) {
    diagnostics.error('<command line>', unknownIdReason('scenario', scenarioId, catalog.scenarios.keys()), undefined, 'unknown-id');
  }
  if (!diagnostics.hasErrors && hardware !== undefined && !catalog.hardware.has(hardware)) {
    diagnostics.error('<command line>', unknownIdReason('hardware', hardware, catalog.hardware.keys()), undefined, 'unknown-id');
  }
  if (diagnostics.hasErrors || !scenario) throw new DiagnosticsError(diagnostics);
  context.report(diagnostics);
  return estimateTraining(context, catalog, scenario, hardware === undefined ? {} : {hardware}, sampling);
}

function estimateTraining(context: CommandContext, catalog: Catalog, scenario: TrainingScenario, overrides: ScenarioOverrides, sampling: SamplingOptions): number {
  const output = context.options.output ?? 'gpuHours';
  if (!isTrainingOutput(output)) {
    throw new UsageError(`unknown output \`${output}\`, expected one of ${Object.keys(TRAINING_OUTPUTS).join(', ')}`);
  }
  const estimate = estimateWithRanges(catalog, scenario, overrides, sampling);
  const search = context.options.search ? searchScenario(catalog, scenario, overrides) : undefined;
  const ranking = context.options.sensitivity ? scenarioSensitivity(catalog, scenario, output, overrides) : undefined;
  if (context.options.json) {
    const extra = {...(context.options.search ? {search: search ?? null} : {}), ...(ranking ? {sensitivity: {output, ranking}} : {})};
    context.stdout(`${JSON.stringify({...estimate, sampling: estimate.ranges ? sampling : null, ...extra}, null, 2)}\n`);
    return 0;
  }
  const rows = Object.entries(TRAINING_OUTPUTS).map(([name, info]) => {
    const range = estimate.ranges?.[name as keyof typeof TRAINING_OUTPUTS];
    return [info.label, range ? formatRange(range, info.unit) : formatQuantity(info.read(estimate), info.unit)] as const;
  });
  const width = Math.max(...rows.map(([label]) => label.length));
  context.stdout(`${scenario.name} on ${estimate.gpus.toLocaleString('en-US')} × ${estimate.hardwareName}\n`);
  const convention = scenario.efficiency
    ? `stated, ${scenario.efficiency.attention} attention FLOPs, ${scenario.efficiency.peak_precision} peak`
    : 'predicted, causal attention FLOPs, bf16 peak';
  context.stdout(`MFU ${formatQuantity(estimate.mfu, 'fraction')} (${convention})\n`);
  if (estimate.ranges) context.stdout(`Median and 5th–95th percentiles of ${sampling.samples.toLocaleString('en-US')} samples (seed ${sampling.seed})\n`);
  context.stdout('\n');
  for (const [label, value] of rows) context.stdout(`  ${label.padEnd(width)}  ${value}\n`);
  if (estimate.prediction) context.stdout(`\n${formatPrediction(estimate.prediction)}`);
  if (context.options.search) {
    context.stdout(search ? `\nSearch over every layout:\n${formatPrediction(search)}` : '\nSearch over every layout: no layout fits in memory\n');
  }
  if (ranking) context.stdout(`\n${formatSensitivity(TRAINING_OUTPUTS[output].label, TRAINING_OUTPUTS[output].unit, ranking)}`);
  return 0;
}

function samplingOptions(context: CommandContext): SamplingOptions {
  const parse = (text: string | undefined, name: string, fallback: number) => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) throw new UsageError(`--${name} expects a whole number, got \`${text}\``);
    return value;
  };
  return {samples: parse(context.options.samples, 'samples', DEFAULT_SAMPLING.samples), seed: parse(context.options.seed, 'seed', DEFAULT_SAMPLING.seed)};
}
