import type {Element} from 'hast';
import {h} from 'hastscript';
import type {Point} from 'unist';
import {describePoint, kindsWith, outputRange, outputsOf} from '../../estimate/kinds.js';
import {formatQuantity, formatRange} from '../format-quantity.js';
import type {Props} from '../jsx-runtime.js';
import {TemplateError} from '../template-error.js';
import type {AnyEstimate, TemplateScope} from '../template-scope.js';
import {nearestId} from '../../diagnostics/nearest-id.js';
import {pointOf} from './estimate.js';
import {recordNumber, type PageState} from './page-state.js';

/** An output of an estimate, formatted with its unit and, when uncertain, its range; throws on an unknown output. */
export function formatOutput(
  estimate: AnyEstimate,
  output: string,
  place: Point | undefined,
  component: string,
): {label: string; text: string; value: number | null; unit: string} {
  const outputs = outputsOf(estimate);
  if (!outputs)
    throw new TemplateError(
      `<${component}> prints ${kindsWith('outputs').join(' and ')} outputs, not a ${estimate.kind} scenario's`,
      place,
    );
  const info = Object.hasOwn(outputs, output) ? outputs[output] : undefined;
  if (!info) {
    const known = Object.keys(outputs);
    const suggestion = nearestId(output, known);
    const expected = suggestion
      ? `did you mean \`${suggestion}\`?`
      : `expected one of ${known.map((name) => `\`${name}\``).join(', ')}`;
    throw new TemplateError(
      `Unknown output \`${output}\` on <${component}> for a ${estimate.kind} scenario, ${expected}`,
      place,
    );
  }
  const range = outputRange(estimate, output);
  return {
    label: info.label,
    text: range ? formatRange(range, info.unit) : formatQuantity(info.read(estimate), info.unit),
    // The number the text leads with: the median when uncertain.
    value: range ? range.p50 : (info.read(estimate) ?? null),
    unit: info.unit,
  };
}

/**
 * `<ScenarioTable scenario="…" outputs={['gpuHours', 'costUsd']} />`: one row
 * per point of the scenario's sweep, one column per output, each number
 * with its unit and range.
 */
export function createScenarioTable(scope: TemplateScope) {
  return function ScenarioTable(props: Props, place: Point | undefined) {
    const {scenario, outputs, caption} = props;
    if (typeof scenario !== 'string')
      throw new TemplateError('Missing `scenario` on <ScenarioTable>, expected a scenario id', place);
    if (!Array.isArray(outputs) || outputs.length === 0 || !outputs.every((name) => typeof name === 'string')) {
      throw new TemplateError('Expected `outputs` on <ScenarioTable> to be a list of output names', place);
    }
    const points = scope.sweep(scenario);
    const header = [
      h('th', {scope: 'col'}, 'Point'),
      ...outputs.map((name) =>
        h('th.align-right', {scope: 'col'}, formatOutput(points[0] as AnyEstimate, name, place, 'ScenarioTable').label),
      ),
    ];
    const rows = points.map((point) =>
      h('tr', [
        h('th', {scope: 'row'}, describePoint(point)),
        ...outputs.map((name) => h('td.align-right', formatOutput(point, name, place, 'ScenarioTable').text)),
      ]),
    );
    const table: Element = h('table.scenario-table', [
      typeof caption === 'string' ? h('caption', caption) : undefined,
      h('thead', [h('tr', header)]),
      h('tbody', rows),
    ] as never);
    return h('div.table-scroll', [table]);
  };
}

/**
 * `<KeyFigures items={[{scenario, output, label?, hardware?}]} />`: the few
 * numbers a report stands on, large, each with its range.
 */
export function createKeyFigures(scope: TemplateScope, state: PageState) {
  return function KeyFigures(props: Props, place: Point | undefined) {
    const {items} = props;
    if (!Array.isArray(items) || items.length === 0)
      throw new TemplateError('Expected `items` on <KeyFigures> to be a list of {scenario, output, label?}', place);
    const entries = items.map((item: unknown) => {
      const {scenario, output, label, hardware, precision, technique, gpus, concurrency} = (item ?? {}) as Record<
        string,
        unknown
      >;
      if (typeof scenario !== 'string' || typeof output !== 'string')
        throw new TemplateError('Expected each <KeyFigures> item to have a `scenario` and an `output`', place);
      const point = pointOf({hardware, precision, technique, gpus, concurrency}, place, 'KeyFigures');
      const estimate = scope.estimate(scenario, point);
      const formatted = formatOutput(estimate, output, place, 'KeyFigures');
      recordNumber(state, {
        scenario,
        output,
        point,
        ...formatted,
        label: typeof label === 'string' ? label : formatted.label,
      });
      return h('div.key-figure', [
        h('dd.key-figure-value', formatted.text),
        h('dt.key-figure-label', typeof label === 'string' ? label : formatted.label),
      ]);
    });
    return h('dl.key-figures', entries);
  };
}
