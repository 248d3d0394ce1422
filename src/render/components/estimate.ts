import {h} from 'hastscript';
import type {Point} from 'unist';
import {z} from 'zod';
import {kindsWith, outputRange, outputsOf, scenarioKind} from '../../estimate/kinds.js';
import {formatQuantity, formatRange} from '../format-quantity.js';
import type {Props} from '../jsx-runtime.js';
import {TemplateError} from '../template-error.js';
import type {TemplateScope} from '../template-scope.js';
import {recordNumber, type PageState} from './page-state.js';
import {outputNameSchema, pointSchema, readProps, text} from './props.js';

const estimateProps = z.object({scenario: text('Expected `scenario` on <Estimate> to be a scenario id')});

/**
 * `<Estimate scenario="…" output="gpuHours" hardware="…" />`: one estimated
 * number with its unit, formatted like every other number on the site, with
 * its label and the scenario as a tooltip.
 */
export function createEstimate(scope: TemplateScope, state: PageState) {
  return function Estimate(props: Props, place: Point | undefined) {
    const {scenario} = readProps(estimateProps, props, place);
    const point = pointOf(props, place, 'Estimate');
    const estimate = scope.estimate(scenario, point);
    const outputs = outputsOf(estimate);
    if (!outputs)
      throw new TemplateError(
        `<Estimate> prints ${kindsWith('outputs').join(' and ')} outputs; \`${scenario}\` is a ${estimate.kind} scenario, use estimate('${scenario}').${scenarioKind(estimate.kind).numbersAt ?? ''}`,
        place,
      );
    const output = readProps(outputNameSchema(outputs, 'Estimate', estimate.kind), props.output, place);
    const info = outputs[output];
    if (!info) throw new TemplateError(`Unknown output \`${output}\` on <Estimate>`, place);
    const uncertain = outputRange(estimate, output);
    const range = uncertain && uncertain.p5 !== uncertain.p95 ? uncertain : undefined;
    const text = range ? formatRange(range, info.unit) : formatQuantity(info.read(estimate), info.unit);
    recordNumber(state, {
      scenario,
      output,
      point,
      figure: scope.figureKey(scenario, point, output),
      label: info.label,
      text,
      value: range ? range.p50 : (info.read(estimate) ?? null),
      unit: info.unit,
    });
    const where = 'hardwareId' in estimate ? ` on ${estimate.hardwareId}` : '';
    const title = `${info.label}: ${scenario}${where}${range ? ', median and 5th–95th percentiles' : ''}`;
    return h('span.estimate', {title}, text);
  };
}

/**
 * The sweep point a component names (any of `hardware`, `precision`,
 * `technique`, `gpus`, `concurrency`), with only the ones it names.
 */
export function pointOf(props: unknown, place: Point | undefined, component: string): Record<string, string | number> {
  const named = readProps(pointSchema(component), props, place);
  return Object.fromEntries(Object.entries(named).filter(([, value]) => value !== undefined));
}

const RANGE_EXPECTED = 'Expected `range` on <Metric> to be {p5, p50, p95} of finite numbers';
const finiteInRange = z.number({error: RANGE_EXPECTED});
const metricProps = z.object({
  unit: text('Expected `unit` on <Metric> to be text'),
  range: z.object({p5: finiteInRange, p50: finiteInRange, p95: finiteInRange}, {error: RANGE_EXPECTED}).optional(),
  // Checked only without a range (metricValue: zod's numbers are finite).
  value: z.unknown(),
});
const metricValue = z.number({
  error: (issue) => `Expected \`value\` on <Metric> to be a finite number, got ${String(issue.input)}`,
});

/** `<Metric value={…} unit="…" range={{p5, p50, p95}} />`: any number, formatted with its unit and, when given, its range. */
export function Metric(props: Props, place: Point | undefined) {
  const {value, unit, range} = readProps(metricProps, props, place);
  if (range !== undefined) return h('span.metric', formatRange(range, unit));
  return h('span.metric', formatQuantity(readProps(metricValue, value, place), unit));
}
