import {loadCatalog} from '../../data/load-catalog.js';
import {unknownIdReason} from '../../data/nearest-id.js';
import {Diagnostics, DiagnosticsError} from '../../diagnostics/diagnostics.js';
import {TRAINING_OUTPUTS} from '../../estimate/outputs.js';
import {estimateScenario, searchScenario} from '../../estimate/scenario-estimate.js';
import {formatPrediction} from '../format-prediction.js';
import {formatQuantity} from '../../render/format-quantity.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../usage.js';

/** `tradeoffs estimate <scenario-id> [--hardware id] [--json]`. */
export async function estimateCommand(context: CommandContext): Promise<number> {
  const [scenarioId] = context.positionals;
  if (!scenarioId) throw new UsageError('estimate needs a scenario id');
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
  const overrides = hardware === undefined ? {} : {hardware};
  const estimate = estimateScenario(catalog, scenario, overrides);
  const search = context.options.search ? searchScenario(catalog, scenario, overrides) : undefined;
  if (context.options.json) {
    context.stdout(`${JSON.stringify(context.options.search ? {...estimate, search: search ?? null} : estimate, null, 2)}\n`);
    return 0;
  }
  const rows = Object.values(TRAINING_OUTPUTS).map((info) => [info.label, formatQuantity(info.read(estimate), info.unit)] as const);
  const width = Math.max(...rows.map(([label]) => label.length));
  context.stdout(`${scenario.name} on ${estimate.gpus.toLocaleString('en-US')} × ${estimate.hardwareName}\n`);
  const convention = scenario.efficiency
    ? `stated, ${scenario.efficiency.attention} attention FLOPs, ${scenario.efficiency.peak_precision} peak`
    : 'predicted, causal attention FLOPs, bf16 peak';
  context.stdout(`MFU ${formatQuantity(estimate.mfu, 'fraction')} (${convention})\n\n`);
  for (const [label, value] of rows) context.stdout(`  ${label.padEnd(width)}  ${value}\n`);
  if (estimate.prediction) context.stdout(`\n${formatPrediction(estimate.prediction)}`);
  if (context.options.search) {
    context.stdout(search ? `\nSearch over every layout:\n${formatPrediction(search)}` : '\nSearch over every layout: no layout fits in memory\n');
  }
  return 0;
}
