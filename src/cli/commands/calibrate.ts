import {loadCheckedCatalog} from '../../check/check-catalog.js';
import {Diagnostics, DiagnosticsError} from '../../diagnostics/diagnostics.js';
import {calibrateCatalog} from '../../estimate/training/calibrate-catalog.js';
import {medianAbsoluteError} from '../../estimate/training/calibration.js';
import {calibrateServing, SERVING_METRICS, type ServingCalibration} from '../../estimate/inference/calibration.js';
import {formatQuantity} from '../../render/format-quantity.js';
import type {CommandContext} from '../context.js';
import type {OptionsOf} from '../options.js';
import type {calibrateCommandSpec} from './calibrate-options.js';

/** `tradeoffs calibrate [--json]`: predict every published run in data/references.yaml and compare. */
export async function calibrateCommand(
  context: CommandContext<OptionsOf<typeof calibrateCommandSpec>>,
): Promise<number> {
  const diagnostics = new Diagnostics();
  const catalog = await loadCheckedCatalog(context.root, diagnostics);
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  context.report(diagnostics);
  const rows = calibrateCatalog(catalog);
  const median = medianAbsoluteError(rows);
  const serving = calibrateServing(catalog);
  if (context.options.json) {
    context.stdout(`${JSON.stringify({rows, medianAbsoluteError: median, serving}, null, 2)}\n`);
    return 0;
  }
  const value = (metric: string, number: number | undefined) =>
    number === undefined
      ? 'no fit'
      : metric.startsWith('training FLOPs')
        ? formatQuantity(number, 'FLOP')
        : formatQuantity(number, 'fraction');
  const table = rows.map((row) => [
    row.id,
    row.metric,
    value(row.metric, row.reported),
    value(row.metric, row.predicted),
    row.relativeError === undefined
      ? '–'
      : `${row.relativeError >= 0 ? '+' : ''}${(row.relativeError * 100).toFixed(1)}%`,
  ]);
  const header = ['reference run', 'metric', 'reported', 'predicted', 'error'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...table.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ');
  context.stdout(`${line(header)}\n${table.map(line).join('\n')}\n\n`);
  context.stdout(
    `median absolute error ${median === undefined ? '–' : `${(median * 100).toFixed(1)}%`} over ${rows.length} runs\n`,
  );
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
  const widths = header.map((title, column) =>
    Math.max(title.length, ...table.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ');
  const fitted = serving.fitted
    .map((constant) => {
      const left = Object.values(constant.leaveOneOut);
      return `${constant.id} = ${constant.value.toPrecision(3)} (${Math.min(...left).toPrecision(3)}–${Math.max(...left).toPrecision(3)} with one left out)`;
    })
    .join('; ');
  const abs = (value: number | undefined) => (value === undefined ? '–' : `${(value * 100).toFixed(1)}%`);
  return (
    `${line(header)}\n${table.map(line).join('\n')}\n\n` +
    `fitted: ${fitted || 'nothing'}\n` +
    `median absolute error ${abs(serving.medianError)} (largest ${abs(serving.largestError)}), leave-one-out ${abs(serving.medianLeaveOneOutError)} (largest ${abs(serving.largestLeaveOneOutError)}) over ${serving.rows.length} figures\n`
  );
}
