import type {Element, Root} from 'hast';
import {scopeSvgIds, type RenderedChart} from '../charts/chart-output.js';
import {formatOutput} from './components/tables.js';
import {Diagnostics, storeWarnings, storedWarningSchema, type StoredWarning} from '../diagnostics/diagnostics.js';
import {slugOf, type PreparedTemplate} from './prepare-template.js';
import {inlineDatasets, MAX_CHART_POINTS, toCsv, type ChartData} from '../charts/chart-data.js';
import type {Catalog} from '../data/catalog.js';
import {createComponents, pageScope} from './components/index.js';
import {
  createPageState,
  recordNumber,
  type ChartRequest,
  type PageState,
  reportNumberSchema,
  type ReportNumber,
} from './components/page-state.js';
import {significant} from './format-quantity.js';
import {resolvePage} from './resolve-page.js';
import {h} from 'hastscript';
import {z} from 'zod';
import {evaluateTemplate} from './evaluate-template.js';
import {frontmatterSchema, type Frontmatter} from './frontmatter.js';
import {hastRootSchema} from './hast-schema.js';
export {slugOf, type PreparedTemplate} from './prepare-template.js';
import {TemplateError} from './template-error.js';
import type {TemplateScope} from './template-scope.js';

/**
 * A report rendered to its content tree, before it is laid out as a page.
 * Plain JSON throughout: incremental builds keep it in the cache, and shards
 * hand it to `tradeoffs merge`.
 */
export interface RenderedReport {
  readonly slug: string;
  /** The template's path relative to the project root. */
  readonly path: string;
  readonly frontmatter: Frontmatter;
  readonly content: Root;
  /** Files that go beside the page, in order: each chart's data (CSV, JSON) and spec. */
  readonly assets: ReadonlyArray<readonly [name: string, contents: string]>;
  /** Whether any chart is interactive: the page then loads the site's one script. */
  readonly interactive: boolean;
  readonly chartCount: number;
  /** The frontmatter's key figure, formatted for the report's index card. */
  readonly keyFigure: {readonly label: string; readonly text: string} | null;
  /** Every estimated number the page prints, by id order of first use. */
  readonly numbers: readonly ReportNumber[];
  /** Warnings found while rendering, replayed when the report comes from the cache. */
  readonly warnings: readonly StoredWarning[];
}

/** A rendered report read back from JSON (the cache, a shard): keys in the order written. */
export const renderedReportSchema: z.ZodType<RenderedReport> = z.object({
  slug: z.string(),
  path: z.string(),
  frontmatter: frontmatterSchema,
  content: hastRootSchema,
  assets: z.array(z.tuple([z.string(), z.string()])),
  interactive: z.boolean(),
  chartCount: z.number().int().nonnegative(),
  keyFigure: z.object({label: z.string(), text: z.string()}).nullable(),
  numbers: z.array(reportNumberSchema),
  warnings: z.array(storedWarningSchema),
});

/** Draws a chart from its spec: in this thread, or in a worker, or from the build's cache. Throws a ChartError. */
export type ChartRenderer = (spec: unknown) => Promise<RenderedChart>;

export interface RenderOptions {
  /** Times the evaluate stage. */
  readonly measure?: <T>(stage: 'evaluate', work: () => Promise<T>) => Promise<T>;
  /** How charts are drawn (default: in this thread, with Vega). */
  readonly renderChart?: ChartRenderer;
}

/**
 * Run a compiled template with the scope and components, fill in what
 * needed the whole page (figure numbers, citations, assumptions), then draw
 * the charts it asked for into their figures, each with its data as a table
 * and downloads. Problems are recorded in `diagnostics`; the result is
 * `undefined` when the report cannot be built.
 */
export async function renderReport(
  template: PreparedTemplate,
  scope: TemplateScope,
  catalog: Catalog,
  diagnostics: Diagnostics,
  options: RenderOptions = {},
): Promise<RenderedReport | undefined> {
  const {page, diagnostics: own} = await evaluateReport(template, scope, catalog, options);
  const report = page && (await finishReport(page, own, options.renderChart));
  for (const file of own.files) for (const message of file.messages) diagnostics.adopt(template.path, message);
  return report;
}

/**
 * A report whose template has run, before its charts are drawn: plain data
 * (a build hands it from the process that runs templates to the one that
 * draws charts), the chart requests pointing into `content` at the figures
 * they fill.
 */
export interface EvaluatedPage {
  readonly slug: string;
  readonly path: string;
  readonly frontmatter: Frontmatter;
  readonly content: Root;
  readonly charts: readonly ChartRequest[];
  readonly keyFigure: RenderedReport['keyFigure'];
  readonly numbers: readonly ReportNumber[];
}

/**
 * The first half of renderReport: run the template and resolve the page (all
 * the work that reads the data, so a build can record what it read, one
 * report at a time). The page is `undefined` when the template failed; the
 * report's own messages are in `diagnostics`. The second half, finishReport,
 * draws the charts.
 */
export async function evaluateReport(
  template: PreparedTemplate,
  scope: TemplateScope,
  catalog: Catalog,
  options: Pick<RenderOptions, 'measure'> = {},
): Promise<{page: EvaluatedPage | undefined; diagnostics: Diagnostics}> {
  const measure = options.measure ?? ((_stage, work) => work());
  const diagnostics = new Diagnostics();
  const state = createPageState();
  const scoped = pageScope(scope, state);
  let content: Root;
  try {
    content = await measure('evaluate', () =>
      evaluateTemplate(
        template.compiled,
        scoped as unknown as Record<string, unknown>,
        createComponents(scoped, state),
      ),
    );
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    diagnostics.error(template.path, error.message, error.place, error.ruleId, error.cause);
    return {page: undefined, diagnostics};
  }
  const keyFigure = keyFigureOf(template, scoped, state, diagnostics);
  if (!resolvePage(state, catalog, content, template.path, diagnostics)) return {page: undefined, diagnostics};
  return {
    page: {
      slug: template.slug,
      path: template.path,
      frontmatter: template.frontmatter,
      content,
      charts: state.charts,
      keyFigure,
      numbers: [...state.numbers.values()],
    },
    diagnostics,
  };
}

/**
 * The second half of renderReport: draw the page's charts into their
 * figures (with `renderChart`: in this thread by default, or from a build's
 * cache); chart problems join the report's `diagnostics`. `undefined` when
 * any chart, or the page, had an error.
 */
export async function finishReport(
  page: EvaluatedPage,
  diagnostics: Diagnostics,
  renderChart: ChartRenderer = drawHere,
): Promise<RenderedReport | undefined> {
  const assets = new Map<string, string>();
  const drawn = await drawCharts(page.path, page.charts, assets, diagnostics, renderChart);
  if (!drawn || diagnostics.hasErrors) return undefined;
  return {
    slug: page.slug,
    path: page.path,
    frontmatter: page.frontmatter,
    content: page.content,
    assets: [...assets],
    interactive: page.charts.some((chart) => chart.interactive),
    chartCount: page.charts.length,
    keyFigure: page.keyFigure,
    numbers: page.numbers,
    warnings: storeWarnings(diagnostics),
  };
}

/** The key figure the frontmatter names, formatted for the index card; an unknown scenario or output is an error in the template. */
function keyFigureOf(
  template: PreparedTemplate,
  scope: TemplateScope,
  state: PageState,
  diagnostics: Diagnostics,
): RenderedReport['keyFigure'] {
  const key = template.frontmatter.key_figure;
  if (!key) return null;
  try {
    const point: Record<string, string> = key.hardware === undefined ? {} : {hardware: key.hardware};
    const formatted = formatOutput(scope.estimate(key.scenario, point), key.output, undefined, 'key_figure');
    recordNumber(state, {scenario: key.scenario, output: key.output, point, ...formatted, label: key.label});
    return {label: key.label, text: formatted.text};
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    diagnostics.error(
      template.path,
      `Frontmatter \`key_figure\`: ${message.replace('<key_figure>', '`key_figure`')}`,
      {line: 1, column: 1},
      'frontmatter',
    );
    return null;
  }
}

/** Draw a chart in this thread; Vega is loaded on first use (a build with workers never loads it here). */
async function drawHere(spec: unknown): Promise<RenderedChart> {
  return (await import('../charts/render-svg.js')).renderChartSvg(spec);
}

/**
 * Draw each requested chart into its figure with its data table and
 * downloads; false when any chart failed. The charts are drawn at once (in
 * workers, when the renderer has them), their figures completed in order.
 */
async function drawCharts(
  path: string,
  charts: readonly ChartRequest[],
  assets: Map<string, string>,
  diagnostics: Diagnostics,
  renderChart: ChartRenderer,
): Promise<boolean> {
  const drawings = charts.map((request) => {
    const datasets = inlineDatasets(request.spec);
    const points = datasets.reduce((sum, dataset) => sum + dataset.rows.length, 0);
    const rendered = points > MAX_CHART_POINTS ? undefined : renderChart(request.spec);
    // Settled now, read below in order: a failure is reported at its chart, not as an unhandled rejection.
    rendered?.catch(() => undefined);
    return {request, datasets, points, rendered};
  });
  let failed = false;
  for (const {request, datasets, points, rendered} of drawings) {
    if (!rendered) {
      failed = true;
      diagnostics.error(
        path,
        `Chart ${request.number} carries ${points.toLocaleString('en-US')} data points, expected at most ${MAX_CHART_POINTS.toLocaleString('en-US')}: aggregate (bin, sample or summarise) the data first, as every point becomes SVG on the page`,
        request.place,
        'chart-error',
      );
      continue;
    }
    try {
      const {svg, warnings} = await rendered;
      completeFigure(request, scopeSvgIds(svg, `${slugOf(path)}-figure-${request.number}`), datasets[0], assets);
      const hidden = (svg.match(/<text[^>]* opacity="0"[^>]*>/g) ?? []).length;
      const cut = (svg.match(/…<\/text>/g) ?? []).length;
      if (hidden + cut > 0) {
        diagnostics.warn(
          path,
          `Chart ${request.number} ${hidden > 0 ? `hides ${hidden} label(s) that would overlap` : ''}${hidden > 0 && cut > 0 ? ' and ' : ''}${cut > 0 ? `cuts ${cut} label(s) short` : ''}: give the axis fewer ticks or explicit \`values\`, or a larger \`labelLimit\``,
          request.place,
          'chart-error',
        );
      }
      for (const warning of warnings)
        diagnostics.warn(path, `Chart ${request.number}: ${warning}`, request.place, 'chart-error');
    } catch (error) {
      failed = true;
      diagnostics.error(
        path,
        `Chart ${request.number}: ${(error as Error).message}`,
        request.place,
        'chart-error',
        error,
      );
    }
  }
  return !failed;
}

/**
 * Put the SVG into its figure (Vega's SVG escapes the text it draws, so it
 * goes in as raw markup), then the chart's data as a table for screen
 * readers and anyone who wants the numbers, and links to download the data
 * (CSV, JSON) and the spec.
 */
function completeFigure(
  request: ChartRequest,
  svg: string,
  data: ChartData | undefined,
  assets: Map<string, string>,
): void {
  const holder = request.figure.children.find(
    (child): child is Element => child.type === 'element' && child.tagName === 'div',
  );
  // The figure's role="img" box carries the chart's name and description, and its data table the
  // numbers: Vega's per-mark roles inside would be unlabelled noise, so the SVG is hidden from the
  // accessibility tree (it stays visible).
  holder?.children.push({type: 'raw', value: svg.replace(/^<svg /, '<svg aria-hidden="true" ')});
  const base = `figure-${request.number}`;
  const links: Element[] = [];
  if (data && data.rows.length > 0) {
    assets.set(`${base}.csv`, toCsv(data));
    assets.set(`${base}.json`, `${JSON.stringify(data.rows, null, 2)}\n`);
    links.push(
      h('a', {href: `${base}.csv`, download: `${base}.csv`}, 'Data (CSV)'),
      h('a', {href: `${base}.json`, download: `${base}.json`}, 'Data (JSON)'),
    );
  }
  assets.set(`${base}.vl.json`, `${JSON.stringify(request.spec, null, 2)}\n`);
  links.push(h('a', {href: `${base}.vl.json`, download: `${base}.vl.json`}, 'Vega-Lite spec'));
  const extras: Element[] = [];
  if (data && data.rows.length > 0) extras.push(dataTable(data, request.number));
  extras.push(
    h(
      'p.chart-downloads',
      links.flatMap((link, index) => (index === 0 ? [link] : [' · ' as never, link])),
    ),
  );
  request.figure.children.push(...extras);
}

const TABLE_ROW_LIMIT = 200;

function dataTable(data: ChartData, number: number): Element {
  const shown = data.rows.slice(0, TABLE_ROW_LIMIT);
  const cell = (value: unknown) =>
    value === undefined || value === null
      ? ''
      : typeof value === 'number'
        ? significant(value, 6)
        : typeof value === 'string'
          ? value
          : JSON.stringify(value);
  return h('details.chart-data', [
    h(
      'summary',
      `Data of figure ${number}${data.rows.length > shown.length ? ` (first ${shown.length} of ${data.rows.length} rows)` : ''}`,
    ),
    h('div.table-scroll', [
      h('table', [
        h('thead', [
          h(
            'tr',
            data.columns.map((column) => h('th', {scope: 'col'}, column)),
          ),
        ]),
        h(
          'tbody',
          shown.map((row) =>
            h(
              'tr',
              data.columns.map((column) => h('td', cell(row[column]))),
            ),
          ),
        ),
      ]),
    ]),
  ]);
}
