import type {Element} from 'hast';
import {h} from 'hastscript';
import type {Point} from 'unist';
import type {Props} from '../jsx-runtime.js';
import {TemplateError} from '../template-error.js';

/** A chart a template asked for; drawn after the template has run (drawing is asynchronous). */
export interface ChartRequest {
  readonly spec: unknown;
  readonly place: Point | undefined;
  /** The figure to put the SVG into. */
  readonly figure: Element;
  readonly number: number;
}

/**
 * `<Chart spec={…} caption="…" />`: a standard Vega-Lite spec, drawn at build
 * time to inline SVG inside a numbered figure. The JSX runtime is synchronous
 * and drawing is not, so this leaves a figure and records the request.
 */
export function createChart(requests: ChartRequest[]) {
  return function Chart(props: Props, place: Point | undefined) {
    const {spec, caption} = props;
    if (spec === undefined) throw new TemplateError('Missing `spec` on <Chart>, expected a Vega-Lite spec object', place, 'chart-error');
    if (caption !== undefined && typeof caption !== 'string') {
      throw new TemplateError('Expected `caption` on <Chart> to be text', place, 'chart-error');
    }
    const number = requests.length + 1;
    const label = describe(spec, caption);
    const figure = h('figure.chart', {id: `figure-${number}`}, [
      h('div.chart-svg', {role: 'img', ariaLabel: label}),
      caption ? h('figcaption', [h('span.figure-number', `Figure ${number}. `), caption]) : undefined,
    ]);
    requests.push({spec, place, figure, number});
    return figure;
  };
}

/** The accessible name of a chart: its caption, else the spec's title or description. */
function describe(spec: unknown, caption: string | undefined): string {
  if (caption) return caption;
  const record = (spec ?? {}) as {title?: unknown; description?: unknown};
  const title = typeof record.title === 'string' ? record.title : (record.title as {text?: unknown} | undefined)?.text;
  if (typeof title === 'string') return title;
  return typeof record.description === 'string' ? record.description : 'Chart';
}
