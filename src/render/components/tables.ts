import type {Element} from 'hast';
import {h} from 'hastscript';
import type {Point} from 'unist';
import {z} from 'zod';
import {describePoint, kindsWith, outputRange, outputsOf} from '../../estimate/kinds.js';
import {formatQuantity, formatRange} from '../format-quantity.js';
import type {Props} from '../jsx-runtime.js';
import {TemplateError} from '../template-error.js';
import type {AnyEstimate, TemplateScope} from '../template-scope.js';
import {pointOf} from './estimate.js';
import {recordNumber, type PageState} from './page-state.js';
import {outputNameSchema, readProps, text} from './props.js';

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
  readProps(outputNameSchema(outputs, component, estimate.kind), output, place);
  const info = outputs[output];
  if (!info) throw new TemplateError(`Unknown output \`${output}\` on <${component}>`, place);
  const range = outputRange(estimate, output);
  return {
    label: info.label,
    text: range ? formatRange(range, info.unit) : formatQuantity(info.read(estimate), info.unit),
    // The number the text leads with: the median when uncertain.
    value: range ? range.p50 : (info.read(estimate) ?? null),
    unit: info.unit,
  };
}

const OUTPUTS_EXPECTED = 'Expected `outputs` on <ScenarioTable> to be a list of output names';
const scenarioTableProps = z.object({
  scenario: text('Missing `scenario` on <ScenarioTable>, expected a scenario id'),
  outputs: z.array(text(OUTPUTS_EXPECTED), {error: OUTPUTS_EXPECTED}).min(1, {error: OUTPUTS_EXPECTED}),
  // A caption that is not text is left out.
  caption: z.string().optional().catch(undefined),
});

/**
 * `<ScenarioTable scenario="…" outputs={['gpuHours', 'costUsd']} />`: one row
 * per point of the scenario's sweep, one column per output, each number
 * with its unit and range.
 */
export function createScenarioTable(scope: TemplateScope) {
  return function ScenarioTable(props: Props, place: Point | undefined) {
    const {scenario, outputs, caption} = readProps(scenarioTableProps, props, place);
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
      caption === undefined ? undefined : h('caption', caption),
      h('thead', [h('tr', header)]),
      h('tbody', rows),
    ] as never);
    return h('div.table-scroll', [table]);
  };
}

const keyFiguresProps = z.object({
  items: z
    .array(z.unknown(), {error: 'Expected `items` on <KeyFigures> to be a list of {scenario, output, label?}'})
    .min(1, {error: 'Expected `items` on <KeyFigures> to be a list of {scenario, output, label?}'}),
});
const ITEM_EXPECTED = 'Expected each <KeyFigures> item to have a `scenario` and an `output`';
const keyFigureItem = z.object(
  {
    scenario: text(ITEM_EXPECTED),
    output: text(ITEM_EXPECTED),
    // A label that is not text is left out: the output's own label stands.
    label: z.string().optional().catch(undefined),
  },
  {error: ITEM_EXPECTED},
);

/**
 * `<KeyFigures items={[{scenario, output, label?, hardware?}]} />`: the few
 * numbers a report stands on, large, each with its range.
 */
export function createKeyFigures(scope: TemplateScope, state: PageState) {
  return function KeyFigures(props: Props, place: Point | undefined) {
    const {items} = readProps(keyFiguresProps, props, place);
    const entries = items.map((item) => {
      const {scenario, output, label} = readProps(keyFigureItem, item ?? {}, place);
      const point = pointOf(item, place, 'KeyFigures');
      const estimate = scope.estimate(scenario, point);
      const formatted = formatOutput(estimate, output, place, 'KeyFigures');
      recordNumber(state, {
        scenario,
        output,
        point,
        figure: scope.figureKey(scenario, point, output),
        ...formatted,
        label: label ?? formatted.label,
      });
      return h('div.key-figure', [
        h('dd.key-figure-value', formatted.text),
        h('dt.key-figure-label', label ?? formatted.label),
      ]);
    });
    return h('dl.key-figures', entries);
  };
}
