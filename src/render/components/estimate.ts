import {h} from 'hastscript';
import type {Point} from 'unist';
import {nearestId} from '../../diagnostics/nearest-id.js';
import {kindsWith, outputRange, outputsOf, scenarioKind} from '../../estimate/kinds.js';
import {formatQuantity, formatRange} from '../format-quantity.js';
import type {Props} from '../jsx-runtime.js';
import {TemplateError} from '../template-error.js';
import type {TemplateScope} from '../template-scope.js';
import {recordNumber, type PageState} from './page-state.js';

/**
 * `<Estimate scenario="…" output="gpuHours" hardware="…" />`: one estimated
 * number with its unit, formatted like every other number on the site, with
 * its label and the scenario as a tooltip.
 */
export function createEstimate(scope: TemplateScope, state: PageState) {
  return function Estimate(props: Props, place: Point | undefined) {
    const {scenario, output, hardware, precision, technique, gpus, concurrency} = props;
    if (typeof scenario !== 'string')
      throw new TemplateError('Expected `scenario` on <Estimate> to be a scenario id', place);
    const point = pointOf({hardware, precision, technique, gpus, concurrency}, place, 'Estimate');
    const estimate = scope.estimate(scenario, point);
    const outputs = outputsOf(estimate);
    if (!outputs)
      throw new TemplateError(
        `<Estimate> prints ${kindsWith('outputs').join(' and ')} outputs; \`${scenario}\` is a ${estimate.kind} scenario, use estimate('${scenario}').${scenarioKind(estimate.kind).numbersAt ?? ''}`,
        place,
      );
    const info = typeof output === 'string' && Object.hasOwn(outputs, output) ? outputs[output] : undefined;
    if (typeof output !== 'string' || !info) {
      const known = Object.keys(outputs);
      const suggestion = typeof output === 'string' ? nearestId(output, known) : undefined;
      const expected = suggestion
        ? `did you mean \`${suggestion}\`?`
        : `expected one of ${known.map((name) => `\`${name}\``).join(', ')}`;
      throw new TemplateError(
        `Unknown output \`${String(output)}\` on <Estimate> for a ${estimate.kind} scenario, ${expected}`,
        place,
      );
    }
    const uncertain = outputRange(estimate, output);
    const range = uncertain && uncertain.p5 !== uncertain.p95 ? uncertain : undefined;
    const text = range ? formatRange(range, info.unit) : formatQuantity(info.read(estimate), info.unit);
    recordNumber(state, {
      scenario,
      output,
      point,
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

/** The sweep point a component names: any of `hardware`, `precision`, `technique` (text), `gpus`, `concurrency` (numbers). */
export function pointOf(
  props: Record<string, unknown>,
  place: Point | undefined,
  component: string,
): Record<string, string | number> {
  const point: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined) continue;
    const numeric = name === 'gpus' || name === 'concurrency';
    if (numeric ? typeof value !== 'number' : typeof value !== 'string') {
      throw new TemplateError(`Expected \`${name}\` on <${component}> to be ${numeric ? 'a number' : 'text'}`, place);
    }
    point[name] = value as string | number;
  }
  return point;
}

/** `<Metric value={…} unit="…" range={{p5, p50, p95}} />`: any number, formatted with its unit and, when given, its range. */
export function Metric(props: Props, place: Point | undefined) {
  const {value, unit, range} = props;
  if (typeof unit !== 'string') throw new TemplateError('Expected `unit` on <Metric> to be text', place);
  if (range !== undefined) {
    const {p5, p50, p95} = (range ?? {}) as Record<string, unknown>;
    if (![p5, p50, p95].every((number) => typeof number === 'number' && Number.isFinite(number))) {
      throw new TemplateError('Expected `range` on <Metric> to be {p5, p50, p95} of finite numbers', place);
    }
    return h('span.metric', formatRange({p5: p5 as number, p50: p50 as number, p95: p95 as number}, unit));
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TemplateError(`Expected \`value\` on <Metric> to be a finite number, got ${String(value)}`, place);
  }
  return h('span.metric', formatQuantity(value, unit));
}
