import type {Element} from 'hast';
import {h} from 'hastscript';
import type {Point} from 'unist';
import {z} from 'zod';
import type {Props} from '../jsx-runtime.js';
import type {PageState} from './page-state.js';
import {registerFigure} from './figure.js';
import {readProps, text} from './props.js';
import {narrowSpec} from '../../charts/narrow-spec.js';
import {themedConfig} from '../../charts/theme.js';
import type {TemplateScope} from '../template-scope.js';
import {adjustLink, scenarioProp} from './adjust-link.js';

const chartProps = z.object({
  interactive: z.boolean({error: 'Expected `interactive` on <Chart> to be true or false'}).optional(),
  // Any value: Vega-Lite and the chart checks say what is wrong with a spec.
  spec: z.custom<unknown>((spec) => spec !== undefined, {
    error: 'Missing `spec` on <Chart>, expected a Vega-Lite spec object',
  }),
  caption: text('Expected `caption` on <Chart> to be text').optional(),
  id: text('Expected `id` on <Chart> to be text').optional(),
  description: text('Expected `description` on <Chart> to be text').optional(),
  scenario: scenarioProp('Chart'),
});

/**
 * `<Chart id="…" spec={…} caption="…" description="…" />`: a standard
 * Vega-Lite spec, drawn at build time to inline SVG inside a numbered
 * figure (referable with `<Ref to="…">`); with `scenario="…"`, a link to
 * adjust that scenario's assumptions in the explorer. The JSX runtime is synchronous
 * and drawing is not, so this leaves the figure and records the request;
 * the SVG, its data table and downloads are added once it is drawn.
 */
export function createChart(state: PageState, scope: TemplateScope) {
  return function Chart(props: Props, place: Point | undefined) {
    const {spec, caption, id, description, interactive, scenario} = readProps(chartProps, props, place, 'chart-error');
    const number = registerFigure(state, id, place);
    const label = describe(spec, caption);
    const summary = description ?? specDescription(spec) ?? label;
    const figure = h(
      'figure.chart',
      {id: id ?? `figure-${number}`, dataInteractive: interactive ? 'true' : undefined},
      [
        h('div.chart-svg', {role: 'img', ariaLabel: label, ariaDescribedBy: `figure-${number}-description`}),
        h('figcaption', [h('span.figure-number', `Figure ${number}. `), caption ?? label]),
        h('p.visually-hidden', {id: `figure-${number}-description`}, summary),
        scenario === undefined ? undefined : adjustLink(scope, scenario),
        interactive ? specScript(spec, 'chart-spec') : undefined,
        interactive ? specScript(narrowSpec(spec), 'chart-spec-narrow') : undefined,
      ] as never,
    );
    state.charts.push({
      spec,
      place,
      figure,
      number,
      caption,
      interactive: interactive === true,
    });
    return figure;
  };
}

/**
 * The spec (or its narrow variant, for phones), with the site's theme, for the browser to render a live copy:
 * JSON in a data block, `<` escaped so no string in it can close the script.
 */
function specScript(spec: unknown, className: 'chart-spec' | 'chart-spec-narrow') {
  if (spec === undefined) return undefined;
  return h(`script.${className}`, {type: 'application/json'}, specJson(spec));
}

function specJson(spec: unknown): string {
  const record = spec as {config?: object};
  const themed = {...record, config: themedConfig(record.config)};
  return JSON.stringify(themed).replace(/</g, '\\u003c');
}

/** Give an interactive chart's live copy another spec: the one drawn, with its data files read in. */
export function setInteractiveSpec(figure: Element, spec: unknown): void {
  const script = figure.children.find(
    (child): child is Element =>
      child.type === 'element' && child.tagName === 'script' && String(child.properties.className) === 'chart-spec',
  );
  if (script) script.children = [{type: 'text', value: specJson(spec)}];
}

/** The accessible name of a chart: its caption, else the spec's title or description. */
function describe(spec: unknown, caption: string | undefined): string {
  if (caption) return caption;
  const record = (spec ?? {}) as {title?: unknown};
  const title = typeof record.title === 'string' ? record.title : (record.title as {text?: unknown} | undefined)?.text;
  if (typeof title === 'string') return title;
  return specDescription(spec) ?? 'Chart';
}

function specDescription(spec: unknown): string | undefined {
  const description = (spec as {description?: unknown} | undefined)?.description;
  return typeof description === 'string' ? description : undefined;
}
