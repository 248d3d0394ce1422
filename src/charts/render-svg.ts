import {parse, View, type Spec} from 'vega';
import {compile, type TopLevelSpec} from 'vega-lite';
import {hasData} from './chart-data.js';
import {checkChartSpec} from './check-spec.js';
import {useFontMetrics} from './text-metrics.js';
import {chartTheme} from './theme.js';

/** A problem Vega or Vega-Lite reported while compiling or drawing a chart. */
export class ChartError extends Error {
  override name = 'ChartError';
}

export interface RenderedChart {
  readonly svg: string;
  /** Warnings Vega-Lite or Vega logged (for example a field missing from the data). */
  readonly warnings: string[];
}

/**
 * Render a Vega-Lite spec (as pasted from the Vega editor) to an SVG string at
 * build time: Vega-Lite → Vega → a headless View (`renderer: 'none'`) →
 * `toSVG()`, the way vega-lite's own `vl2svg` does. The theme is merged under
 * the spec's own `config`.
 */
export async function renderChartSvg(spec: unknown): Promise<RenderedChart> {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new ChartError(`Expected a Vega-Lite spec object, got ${Array.isArray(spec) ? 'a list' : typeof spec}`);
  }
  useFontMetrics();
  const problems = checkChartSpec(spec);
  if (problems.length > 0) throw new ChartError(`Invalid Vega-Lite spec: ${problems.join('; ')}`);
  if (!hasData(spec)) throw new ChartError('No data to draw, expected inline `data: {values: [...]}` with at least one row');
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
