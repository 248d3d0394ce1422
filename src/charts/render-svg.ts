import {parse, resetSVGDefIds, View, type Spec} from 'vega';
import {compile, type TopLevelSpec} from 'vega-lite';
import {hasData} from './chart-data.js';
import {ChartError, type RenderedChart} from './chart-output.js';
import {checkChartSpec} from './check-spec.js';
export {ChartError, scopeSvgIds, type RenderedChart} from './chart-output.js';
import {useFontMetrics} from './text-metrics.js';
import {chartTheme} from './theme.js';

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
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  let vegaSpec: Spec;
  try {
    const topLevel = spec as TopLevelSpec;
    vegaSpec = compile(topLevel, {config: {...chartTheme, ...(topLevel.config ?? {})}, logger}).spec;
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
    return {svg, warnings};
  } catch (error) {
    if (error instanceof ChartError) throw error;
    throw new ChartError(`Vega could not draw the chart: ${(error as Error).message}`, {cause: error});
  } finally {
    view?.finalize();
  }
}

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
