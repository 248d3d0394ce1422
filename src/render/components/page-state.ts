import type {Element} from 'hast';
import type {Point} from 'unist';
import {z} from 'zod';
import {compareText} from '../../tool/compare.js';

/** A chart a template asked for; drawn after the template has run (drawing is asynchronous). */
export interface ChartRequest {
  readonly spec: unknown;
  readonly place: Point | undefined;
  /** The figure to draw into. */
  readonly figure: Element;
  readonly number: number;
  readonly caption: string | undefined;
  /** Hydrated into a live chart in the browser (tooltips, sliders). */
  readonly interactive: boolean;
}

/** What one page's components record while the template runs, resolved once it has run. */
export interface PageState {
  readonly charts: ChartRequest[];
  /** Figure ids (charts included) → their numbers. */
  readonly figures: Map<string, number>;
  /** Figures in order, for numbering. */
  figureCount: number;
  /** `<Ref>` placeholders to fill with "Figure n" once every figure is known. */
  readonly refs: Array<{readonly to: string; readonly element: Element; readonly place: Point | undefined}>;
  /** `<Cite>` placeholders, numbered by first citation. */
  readonly citations: Array<{readonly id: string; readonly element: Element; readonly place: Point | undefined}>;
  /** `<Assumptions>` placeholders, filled with the inputs of every scenario the page used. */
  readonly assumptions: Array<{readonly element: Element; readonly place: Point | undefined}>;
  /** Scenario ids the page's numbers came from, in first-use order. */
  readonly scenariosUsed: Set<string>;
  /** The estimated numbers the page prints (`<Estimate>`, `<KeyFigures>`, the key figure), by id, for `tradeoffs compare`. */
  readonly numbers: Map<string, ReportNumber>;
  /** Ids the template gave elements (page-ids.ts), with where. */
  readonly ids: Map<string, Point | undefined>;
  /** Every estimate the page asked for (a scenario at a point), by scenario and point: the site's downloads. */
  readonly estimated: Map<string, EstimatedPoint>;
}

/** One estimate a page asked for, with every output (kept in cached reports and shards: keys in the order written). */
export const estimatedPointSchema = z.object({
  scenario: z.string(),
  /** The sweep point's values (`{hardware: 'h100-sxm'}`), empty for the scenario as written. */
  point: z.record(z.string(), z.union([z.string(), z.number()])),
  outputs: z.array(
    z.object({
      name: z.string(),
      unit: z.string(),
      /** The median when uncertain; null when the estimate has no such number. */
      value: z.number().nullable(),
      /** The 5th, 50th and 95th percentiles, when the output is uncertain. */
      range: z.object({p5: z.number(), p50: z.number(), p95: z.number()}).nullable(),
    }),
  ),
});
export type EstimatedPoint = z.infer<typeof estimatedPointSchema>;

/** The key of an estimate by scenario and point, sorted by axis. */
export function pointKey(scenario: string, point: Readonly<Record<string, string | number | undefined>>): string {
  const axes = Object.entries(point)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, value]) => `${name}=${value}`)
    .join(',');
  return axes ? `${scenario}@${axes}` : scenario;
}

/** One estimated number a page prints (kept in cached reports and manifests: keys in the order written). */
export const reportNumberSchema = z.object({
  /** `scenario.output`, with the sweep point when there is one: `deepseek-v3-pretraining.gpuHours@hardware=h100`. */
  id: z.string(),
  label: z.string(),
  /** The median when uncertain; null when the estimate has no such number (a cost without a price). */
  value: z.number().nullable(),
  unit: z.string(),
  /** As printed, range included. */
  text: z.string(),
  /**
   * The figure it is, whatever scenario it was asked of: the same for every
   * scenario point with the same setup and assumptions (src/check/setups.ts),
   * so a build can check that one figure prints one value on every page.
   */
  figure: z.string().optional(),
});
export type ReportNumber = Readonly<z.infer<typeof reportNumberSchema>>;

/**
 * A table a page prints (Markdown, `<ScenarioTable>`, HTML, a chart's data)
 * as its text, for `tradeoffs compare` to find the numbers in
 * (printed-numbers.ts): where it is, its column headers and its rows' cells.
 * Cells with an `<Estimate>` are empty here: the estimate is tracked as one.
 */
export const reportTableSchema = z.object({
  /** `section where-it-goes table 1`, `figure figure-3 table 1`. */
  where: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string())),
});
export type ReportTable = Readonly<z.infer<typeof reportTableSchema>>;

/** Remember a number the page prints, under an id made of its scenario, output and sweep point. */
export function recordNumber(
  state: PageState,
  number: {
    scenario: string;
    output: string;
    point: Readonly<Record<string, string | number>>;
    label: string;
    value: number | null;
    unit: string;
    text: string;
    figure?: string | undefined;
  },
): void {
  const point = Object.entries(number.point)
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, value]) => `${name}=${value}`)
    .join(',');
  const id = `${number.scenario}.${number.output}${point ? `@${point}` : ''}`;
  if (!state.numbers.has(id))
    state.numbers.set(id, {
      id,
      label: number.label,
      value: number.value,
      unit: number.unit,
      text: number.text,
      ...(number.figure === undefined ? {} : {figure: number.figure}),
    });
}

export function createPageState(): PageState {
  return {
    charts: [],
    figures: new Map(),
    figureCount: 0,
    refs: [],
    citations: [],
    assumptions: [],
    scenariosUsed: new Set(),
    numbers: new Map(),
    ids: new Map(),
    estimated: new Map(),
  };
}
