import {parse, resetSVGDefIds, View, type Spec} from 'vega';
import {compile, type TopLevelSpec} from 'vega-lite';
import {hasData} from './chart-data.js';
import {ChartError, type RenderedChart} from './chart-output.js';
import {checkChartSpec} from './check-spec.js';
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
    throw new ChartError('No data to draw, expected inline `data: {values: [...]}` with at least one row');
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
  return {svg: drawn.svg, warnings: [...drawn.warnings, ...overlaps]};
}

/** Compile and draw one spec; what its scene says about its fit and its labels is read before the view goes. */
async function drawView(
  spec: object,
): Promise<{svg: string; warnings: string[]; layout: DrawnLayout; overlaps: LabelOverlap[]}> {
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
    view = new View(parse(vegaSpec), {renderer: 'none', logger, logLevel: 2, loader: noLoader});
    // Vega numbers gradients and clip paths with a counter shared by the whole process: start it
    // afresh, so a chart's SVG depends on its spec alone (not on the charts drawn before it, in this
    // thread or another). scopeSvgIds then makes the ids unique on the page.
    resetSVGDefIds();
    const svg = await view.toSVG();
    const errors = warnings.filter((warning) => warning.startsWith('error: '));
    if (errors.length > 0) throw new ChartError(errors.join('; '));
    const root = (view.scenegraph() as unknown as {root: SceneMark & {bounds?: Box}}).root;
    return {
      svg,
      warnings: warnings.filter((warning) => !DROPPING_FIT.test(warning)),
      layout: drawnLayout(svg, view, root.bounds),
      overlaps: findLabelOverlaps(root),
    };
  } catch (error) {
    if (error instanceof ChartError) throw error;
    throw new ChartError(`Vega could not draw the chart: ${(error as Error).message}`, {cause: error});
  } finally {
    view?.finalize();
  }
}

/**
 * Vega-Lite's note that a fitted chart with a banded axis keeps that axis's
 * step (`height: {step: …}` with `autosize: fit-x`): the chart is drawn as
 * asked, so it is not a warning.
 */
const DROPPING_FIT = /^Dropping "fit(-[xy])?" because spec has discrete/;

/** Charts never load anything: a loader that refuses, in case a spec slips a URL past the check. */
const noLoader = {
  load: () => Promise.reject(new ChartError('charts cannot load data from files or URLs')),
  sanitize: () => Promise.reject(new ChartError('charts cannot load data from files or URLs')),
  http: () => Promise.reject(new ChartError('charts cannot load data from URLs')),
  file: () => Promise.reject(new ChartError('charts cannot load data from files')),
} as never;

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
      messages.push(args.map(String).join(' '));
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
