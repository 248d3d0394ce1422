import {parse, resetSVGDefIds, View, type Spec} from 'vega';
import {compile, type TopLevelSpec} from 'vega-lite';
import {hasData} from './chart-data.js';
import {countMarkItems, inputSize, MAX_CHART_POINTS, MAX_INPUT_CHARACTERS, MAX_INPUT_ROWS} from './chart-limits.js';
import {ChartError, TABLE_ROW_LIMIT, type RenderedChart} from './chart-output.js';
import {checkChartSpec} from './check-spec.js';
import {linkLoader} from './link-loader.js';
export {ChartError, scopeSvgIds, type RenderedChart} from './chart-output.js';
import {useFontMetrics} from './text-metrics.js';
import {themedConfig} from './theme.js';
import {drawnLayout, MAX_REFITS, refitSpec, type DrawnLayout} from './fit-content.js';
import {
  findLabelOverlaps,
  LABEL_OVERLAP_PREFIX,
  type Box,
  type LabelOverlap,
  type SceneMark,
} from './label-overlaps.js';

/**
 * Render a Vega-Lite spec (as pasted from the Vega editor) to an SVG string at
 * build time: Vega-Lite → Vega → a headless View (`renderer: 'none'`) →
 * `toSVG()`, the way vega-lite's own `vl2svg` does. The theme is merged under
 * the spec's own `config`.
 */
export function renderChartSvg(spec: unknown): Promise<RenderedChart> {
  // One chart at a time per thread: Vega's id counters (reset below) are shared by the whole thread.
  const rendered = drawing.then(() => drawChart(spec));
  drawing = rendered.catch(() => undefined);
  return rendered;
}

/** The chart being drawn in this thread, if any. */
let drawing: Promise<unknown> = Promise.resolve();

async function drawChart(spec: unknown): Promise<RenderedChart> {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new ChartError(`Expected a Vega-Lite spec object, got ${Array.isArray(spec) ? 'a list' : typeof spec}`);
  }
  useFontMetrics();
  const problems = checkChartSpec(spec);
  if (problems.length > 0) throw new ChartError(`Invalid Vega-Lite spec: ${problems.join('; ')}`);
  if (!hasData(spec))
    throw new ChartError(
      'No data to draw, expected `data: {values: [...]}` with at least one row, or `data: {url: "data/…"}`',
    );
  const input = inputSize(spec);
  if (input.rows > MAX_INPUT_ROWS || input.characters > MAX_INPUT_CHARACTERS) {
    const read =
      input.rows > MAX_INPUT_ROWS
        ? `${formatCount(input.rows)} rows of data, expected at most ${formatCount(MAX_INPUT_ROWS)}`
        : `${formatCount(input.characters)} characters of data, expected at most ${formatCount(MAX_INPUT_CHARACTERS)}`;
    throw new ChartError(`The chart reads ${read} before its transforms: summarise the data before the chart`);
  }
  // A fitted chart whose marks reach past its axes (a label beside a line at the edge) is cut off by
  // Vega's fit: draw it again at the plot width that leaves them room, sized to its content.
  let drawn = await drawView(spec);
  const target = drawn.layout.svgWidth;
  for (let attempt = 0; attempt < MAX_REFITS; attempt++) {
    const refit = refitSpec(spec, drawn.layout, target);
    if (!refit) break;
    drawn = await drawView(refit);
  }
  const overlaps = drawn.overlaps.map(({label, over}) => `${LABEL_OVERLAP_PREFIX}${label}" is drawn over ${over}`);
  const warnings = [...drawn.warnings, ...overlaps];
  return drawn.table ? {svg: drawn.svg, warnings, table: drawn.table} : {svg: drawn.svg, warnings};
}

/** Compile and draw one spec; what its scene says about its fit and its labels is read before the view goes. */
async function drawView(spec: object): Promise<{
  svg: string;
  warnings: string[];
  layout: DrawnLayout;
  overlaps: LabelOverlap[];
  table: RenderedChart['table'];
}> {
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  let vegaSpec: Spec;
  try {
    const topLevel = spec as TopLevelSpec;
    vegaSpec = compile(topLevel, {config: themedConfig(topLevel.config), logger}).spec;
  } catch (error) {
    throw new ChartError(`Invalid Vega-Lite spec: ${(error as Error).message}`, {cause: error});
  }
  let view: View | undefined;
  try {
    view = new View(parse(vegaSpec), {renderer: 'none', logger, logLevel: 2, loader: linkLoader});
    // Vega numbers gradients and clip paths with a counter shared by the whole process: start it
    // afresh, so a chart's SVG depends on its spec alone (not on the charts drawn before it, in this
    // thread or another). scopeSvgIds then makes the ids unique on the page.
    resetSVGDefIds();
    // Run the dataflow (the spec's transforms) first, and count what it would draw before drawing it.
    await view.runAsync();
    const marks = countMarkItems((view.scenegraph() as unknown as {root: Parameters<typeof countMarkItems>[0]}).root);
    if (marks > MAX_CHART_POINTS) {
      throw new ChartError(
        `The chart draws ${formatCount(marks)} marks, expected at most ${formatCount(MAX_CHART_POINTS)}: aggregate (bin, sample or summarise) the data first, as every mark becomes SVG on the page`,
      );
    }
    const svg = await view.toSVG();
    const errors = warnings.filter((warning) => warning.startsWith('error: '));
    if (errors.length > 0) throw new ChartError(errors.join('; '));
    const table = textTable(spec, view);
    const root = (view.scenegraph() as unknown as {root: SceneMark & {bounds?: Box}}).root;
    return {
      svg,
      warnings: warnings.filter((warning) => !DROPPING_FIT.test(warning)),
      layout: drawnLayout(svg, view, root.bounds),
      overlaps: findLabelOverlaps(root),
      table,
    };
  } catch (error) {
    if (error instanceof ChartError) throw error;
    throw new ChartError(`Vega could not draw the chart: ${(error as Error).message}`, {cause: error});
  } finally {
    view?.finalize();
  }
}

/**
 * The main data of a chart whose data came as text (a file's CSV or JSON, put inline by the build), as
 * Vega parsed it, for the page's data table: Vega-Lite names its first source `source_0`. None for
 * inline lists (the page tabulates those itself) or for geographic features.
 */
function textTable(spec: object, view: View): RenderedChart['table'] {
  const data = (spec as {data?: {values?: unknown}}).data;
  if (!data || typeof data.values !== 'string') return undefined;
  let tuples: unknown;
  try {
    tuples = view.data('source_0');
  } catch {
    return undefined;
  }
  if (!Array.isArray(tuples) || tuples.length === 0) return undefined;
  const columns: string[] = [];
  const rows = tuples.slice(0, TABLE_ROW_LIMIT).map((tuple: Record<string, unknown>) => {
    const row: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(tuple)) {
      if (!columns.includes(key)) columns.push(key);
      row[key] = value instanceof Date ? value.toISOString() : value;
    }
    return row;
  });
  if (columns.includes('geometry')) return undefined;
  return {columns, rows, total: tuples.length};
}

function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** What Vega says when a headless view cannot listen for a selection's or param's events (vega-view events.js). */
const STATIC_EVENT_WARNING = /^Can not resolve event source: /;

/**
 * Vega-Lite's note that a fitted chart with a banded axis keeps that axis's
 * step (`height: {step: …}` with `autosize: fit-x`): the chart is drawn as
 * asked, so it is not a warning.
 */
const DROPPING_FIT = /^Dropping "fit(-[xy])?" because spec has discrete/;

/** A Vega logger that keeps warnings and errors instead of printing them. */
function collectingLogger(messages: string[]) {
  let level = 2;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: unknown[]) {
      messages.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn(...args: unknown[]) {
      const text = args.map(String).join(' ');
      // A static SVG has no window to listen to: params and selections come alive in the hydrated copy.
      if (!STATIC_EVENT_WARNING.test(text)) messages.push(text);
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger as never;
}
