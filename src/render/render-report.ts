import type {Element, Root} from 'hast';
import {scopeSvgIds, type RenderedChart} from '../charts/chart-output.js';
import {formatOutput} from './components/tables.js';
import {Diagnostics, storeWarnings, storedWarningSchema, type StoredWarning} from '../diagnostics/diagnostics.js';
import {slugOf, type PreparedTemplate} from './prepare-template.js';
import {inlineDatasets, toCsv, type ChartData} from '../charts/chart-data.js';
import {TABLE_ROW_LIMIT} from '../charts/chart-output.js';
import {dataUrls, inlineDataFiles} from '../charts/data-files.js';
import {setInteractiveSpec} from './components/chart.js';
import {narrowSpec, narrowVariantServes} from '../charts/narrow-spec.js';
import type {Catalog} from '../data/catalog.js';
import {createComponents, pageScope} from './components/index.js';
import {
  createPageState,
  recordNumber,
  type ChartRequest,
  type PageState,
  reportNumberSchema,
  reportTableSchema,
  type ReportNumber,
  type ReportTable,
  estimatedPointSchema,
  type EstimatedPoint,
} from './components/page-state.js';
import {decimals, significant} from './format-quantity.js';
import {resolvePage} from './resolve-page.js';
import {claimId} from './page-ids.js';
import {pageTables} from './printed-numbers.js';
import {h} from 'hastscript';
import {z} from 'zod';
import {evaluateTemplate} from './evaluate-template.js';
import {frontmatterSchema, type Frontmatter} from './frontmatter.js';
import {hastRootSchema} from './hast-schema.js';
import {checkContent, checkSvgMarkup} from './content-check.js';
import {reportNameProblem, TEMPLATES_DIR} from '../project.js';
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
  /** Every estimated number the page prints (`<Estimate>`, `<KeyFigures>`, the key figure), by id order of first use. */
  readonly numbers: readonly ReportNumber[];
  /** The page's tables that print numbers (charts' data tables included), as text, for `tradeoffs compare`. */
  readonly tables: readonly ReportTable[];
  /** Every estimate the page asked for, with all its outputs, in order of first use: the site's downloads. */
  readonly estimates: readonly EstimatedPoint[];
  /** Warnings found while rendering, replayed when the report comes from the cache. */
  readonly warnings: readonly StoredWarning[];
}

/** What a render could have made and a later reader must see again: the start of each refusal's message. */
export const REFUSED_CONTENT = 'Refused rendered content';

/** The fields of a rendered report as JSON holds them (the cache, a shard), before the checks of renderedReportSchema. */
export const renderedReportFields = z.object({
  slug: z.string().refine((slug) => reportNameProblem(slug) === undefined, 'expected a report name'),
  path: z.string(),
  frontmatter: frontmatterSchema,
  content: hastRootSchema,
  assets: z.array(
    z.tuple([
      z.string().regex(/^figure-[1-9]\d*(\.(csv|json|vl\.json)|-[A-Za-z0-9._-]+)$/, "expected a chart's download"),
      z.string(),
    ]),
  ),
  interactive: z.boolean(),
  chartCount: z.number().int().nonnegative(),
  keyFigure: z.object({label: z.string(), text: z.string()}).nullable(),
  numbers: z.array(reportNumberSchema),
  tables: z.array(reportTableSchema),
  estimates: z.array(estimatedPointSchema),
  warnings: z.array(storedWarningSchema),
});

/**
 * What a rendered report read back from JSON must be besides its shape: its
 * template where its slug says, and its content what a fresh render could
 * have made (content-check.ts). For `superRefine`.
 */
export function checkRenderedReport(
  report: Pick<RenderedReport, 'slug' | 'path' | 'content'>,
  context: z.RefinementCtx,
): void {
  if (report.path !== `${TEMPLATES_DIR}/${report.slug}.mdx`)
    context.addIssue({code: 'custom', path: ['path'], message: `expected \`${TEMPLATES_DIR}/${report.slug}.mdx\``});
  const problems = checkContent(report.content);
  if (problems.length > 0)
    context.addIssue({
      code: 'custom',
      path: ['content'],
      message: `${REFUSED_CONTENT}, which no render of a template makes: ${problems.join('; ')}`,
    });
}

/**
 * A rendered report read back from JSON (the cache, a shard): keys in the
 * order written. It is input like the data: its slug must be a report name
 * (it becomes a folder of the site), its assets the files a chart writes,
 * and its content what a fresh render could have made (content-check.ts):
 * markup smuggled into a cache entry or a shard is refused, never published.
 */
export const renderedReportSchema: z.ZodType<RenderedReport> = renderedReportFields.superRefine(checkRenderedReport);

/** Draws a chart from its spec: in this thread, or in a worker, or from the build's cache. Throws a ChartError. */
export type ChartRenderer = (spec: unknown) => Promise<RenderedChart>;

export interface RenderOptions {
  /** Times the evaluate stage. */
  readonly measure?: <T>(stage: 'evaluate', work: () => Promise<T>) => Promise<T>;
  /** How charts are drawn (default: in this thread, with Vega). */
  readonly renderChart?: ChartRenderer;
  /**
   * Reads an input file of the project (`data/cars.json`) for a chart's `data.url`; rejects when
   * there is no such input. Without it, a chart with `data.url` is an error.
   */
  readonly readInput?: (path: string) => Promise<string>;
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
  const report = page && (await finishReport(page, own, options));
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
  readonly estimates: readonly EstimatedPoint[];
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
  const evaluated = await evaluateOnce(template, scope, catalog, options);
  if (!evaluated.diagnostics.hasErrors || template.compiled.development) return evaluated;
  // Compiled in production mode, the template's elements carry no place: run it again in development mode
  // (compile-template.ts), with a page of its own, for the error at its exact line and column. The MDX compiler
  // is loaded on first use: the process that runs templates has compiled them, so this loads nothing new.
  const compiled = await (await import('./compile-template.js')).inDevelopment(template.compiled);
  if (!compiled) return evaluated;
  const again = await evaluateOnce({...template, compiled}, scope, catalog, options);
  // The same template on the same data fails the same way; should it not, the first run's errors stand.
  return again.diagnostics.hasErrors ? again : evaluated;
}

/** evaluateReport's one run of the template, as it was compiled. */
async function evaluateOnce(
  template: PreparedTemplate,
  scope: TemplateScope,
  catalog: Catalog,
  options: Pick<RenderOptions, 'measure'>,
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
        (id, place) => claimId(state.ids, id, place),
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
      estimates: [...state.estimated.values()],
    },
    diagnostics,
  };
}

/**
 * The second half of renderReport: read the data files the charts name
 * (with `readInput`), draw the page's charts into their figures (with
 * `renderChart`: in this thread by default, or from a build's cache), and
 * check the whole page against the rules of html-rules.ts once more (a
 * template's code may change the nodes it made, and the page may have
 * crossed from the process that ran it); problems join the report's
 * `diagnostics`. `undefined` when any chart, or the page, had an error.
 */
export async function finishReport(
  page: EvaluatedPage,
  diagnostics: Diagnostics,
  options: Pick<RenderOptions, 'renderChart' | 'readInput'> = {},
): Promise<RenderedReport | undefined> {
  const specs = await readChartData(page.path, page.charts, options.readInput, diagnostics);
  if (!specs) return undefined;
  const assets = new Map<string, string>();
  const drawn = await drawCharts(page.path, page.charts, specs, assets, diagnostics, options.renderChart ?? drawHere);
  if (!drawn || diagnostics.hasErrors) return undefined;
  const problems = checkContent(page.content);
  if (problems.length > 0) {
    diagnostics.error(page.path, `${REFUSED_CONTENT}: ${problems.join('; ')}`, {line: 1, column: 1}, 'template-error');
    return undefined;
  }
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
    tables: pageTables(page.content),
    estimates: page.estimates,
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
    recordNumber(state, {
      scenario: key.scenario,
      output: key.output,
      point,
      ...formatted,
      label: key.label,
      figure: scope.figureKey(key.scenario, point, key.output),
    });
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

/** A chart's spec as it is drawn (data files inline) and the files it read, by URL. */
interface ChartSpec {
  readonly spec: unknown;
  readonly files: ReadonlyMap<string, {readonly path: string; readonly text: string}>;
}

/**
 * Read the data files the charts name in `data.url` (each once) and put
 * their text into the specs; an interactive chart's live copy gets the
 * same spec. A URL outside the project's inputs, or a file that cannot be
 * read, is an error at its chart; `undefined` when there was any.
 */
async function readChartData(
  path: string,
  charts: readonly ChartRequest[],
  readInput: RenderOptions['readInput'],
  diagnostics: Diagnostics,
): Promise<Map<ChartRequest, ChartSpec> | undefined> {
  const specs = new Map<ChartRequest, ChartSpec>();
  const texts = new Map<string, Promise<string>>();
  let failed = false;
  for (const request of charts) {
    const urls = dataUrls(request.spec);
    const files = new Map<string, {path: string; text: string}>();
    for (const url of urls) {
      const problem = (reason: string) => {
        failed = true;
        diagnostics.error(
          path,
          `Chart ${request.number}: cannot read \`data.url\` \`${url.url}\` at \`${url.at}\`: ${reason}`,
          request.place,
          'chart-error',
        );
      };
      if ('problem' in url) {
        problem(url.problem);
        continue;
      }
      if (!readInput) {
        problem('expected inline `values` here (this page is rendered without the project files)');
        continue;
      }
      let text = texts.get(url.path);
      if (!text) {
        text = readInput(url.path);
        text.catch(() => undefined);
        texts.set(url.path, text);
      }
      try {
        files.set(url.url, {path: url.path, text: await text});
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        problem(code === 'ENOENT' ? `no file \`${url.path}\` in the project` : `${code ?? (error as Error).message}`);
      }
    }
    const spec =
      files.size === 0
        ? request.spec
        : inlineDataFiles(request.spec, new Map([...files].map(([url, file]) => [url, file.text])));
    if (files.size > 0 && request.interactive) setInteractiveSpec(request.figure, spec);
    specs.set(request, {spec, files});
  }
  return failed ? undefined : specs;
}

/**
 * Draw each requested chart into its figure with its data table and
 * downloads; false when any chart failed. The charts are drawn at once (in
 * workers, when the renderer has them), their figures completed in order.
 */
async function drawCharts(
  path: string,
  charts: readonly ChartRequest[],
  specs: ReadonlyMap<ChartRequest, ChartSpec>,
  assets: Map<string, string>,
  diagnostics: Diagnostics,
  renderChart: ChartRenderer,
): Promise<boolean> {
  const drawings = charts.map((request) => {
    const {spec, files} = specs.get(request) ?? {spec: request.spec, files: new Map()};
    const rendered = renderChart(spec);
    // The narrow variant for phones (single and layered views): drawn beside the wide one.
    const narrow = narrowSpec(spec);
    const renderedNarrow = narrow ? renderChart(narrow) : undefined;
    // Settled now, read below in order: a failure is reported at its chart, not as an unhandled rejection.
    rendered.catch(() => undefined);
    renderedNarrow?.catch(() => undefined);
    return {request, datasets: inlineDatasets(spec), files, rendered, renderedNarrow};
  });
  let failed = false;
  for (const {request, datasets, files, rendered, renderedNarrow} of drawings) {
    try {
      const {svg, warnings, table} = await rendered;
      const refused = checkSvgMarkup(svg);
      if (refused.length > 0) throw new Error(`its SVG holds what the page may not: ${refused.join('; ')}`);
      // A narrow variant that fails to draw is no loss: phones then get the wide chart, scrolling sideways.
      const narrowSvg = await renderedNarrow?.then(
        (chart) =>
          narrowVariantServes(chart, {warnings}) && checkSvgMarkup(chart.svg).length === 0 ? chart.svg : undefined,
        () => undefined,
      );
      const scope = `${slugOf(path)}-figure-${request.number}`;
      completeFigure(
        request,
        scopeSvgIds(svg, scope),
        narrowSvg === undefined ? undefined : scopeSvgIds(narrowSvg, `${scope}-narrow`),
        datasets[0] ?? (table ? {columns: table.columns, rows: table.rows, total: table.total} : undefined),
        files,
        assets,
      );
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
  narrowSvg: string | undefined,
  data: (ChartData & {total?: number}) | undefined,
  files: ChartSpec['files'],
  assets: Map<string, string>,
): void {
  const holder = request.figure.children.find(
    (child): child is Element => child.type === 'element' && child.tagName === 'div',
  );
  // The figure's role="img" box carries the chart's name and description, and its data table the
  // numbers: Vega's per-mark roles inside would be unlabelled noise, so the SVG is hidden from the
  // accessibility tree (it stays visible); unless its marks are links, which must stay reachable. With a
  // narrow variant, the stylesheet shows one of the two by the width of the screen.
  holder?.children.push({type: 'raw', value: hiddenSvg(svg, narrowSvg === undefined ? undefined : 'chart-wide')});
  if (narrowSvg !== undefined) holder?.children.push({type: 'raw', value: hiddenSvg(narrowSvg, 'chart-narrow')});
  const base = `figure-${request.number}`;
  const links: Element[] = [];
  if (files.size > 0) {
    // Data read from files: each file as it is, under a name of this figure.
    const byPath = new Map([...files.values()].map((file) => [file.path, file.text]));
    for (const [path, text] of byPath) {
      const name = `${base}-${(path.split('/').pop() ?? 'data').replace(/[^A-Za-z0-9._-]/g, '_')}`;
      assets.set(name, text);
      links.push(h('a', {href: name, download: name}, `Data (${path})`));
    }
  } else if (data && data.rows.length > 0) {
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
  if (data && data.rows.length > 0) extras.push(dataTable(data, request.number, data.total ?? data.rows.length));
  extras.push(
    h(
      'p.chart-downloads',
      links.flatMap((link, index) => (index === 0 ? [link] : [' · ' as never, link])),
    ),
  );
  request.figure.children.push(...extras);
}

/** An SVG from Vega, hidden from the accessibility tree unless its marks are links, with a class added to Vega's `marks`. */
function hiddenSvg(svg: string, className: string | undefined): string {
  const marked = className === undefined ? svg : svg.replace(/^(<svg [^>]*class=")marks"/, `$1marks ${className}"`);
  const linked = /<a\s[^>]*xlink:href=/.test(svg);
  return linked ? marked : marked.replace(/^<svg /, '<svg aria-hidden="true" ');
}

function dataTable(data: ChartData, number: number, total: number): Element {
  const shown = data.rows.slice(0, TABLE_ROW_LIMIT);
  const cell = (value: unknown) =>
    value === undefined || value === null
      ? ''
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? decimals(value, 0)
          : significant(value, 6)
        : typeof value === 'string'
          ? value
          : JSON.stringify(value);
  return h('details.chart-data', [
    h(
      'summary',
      `Data of figure ${number}${total > shown.length ? ` (first ${shown.length} of ${total.toLocaleString('en-US')} rows)` : ''}`,
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
