import type {Config} from 'vega-lite';
import {LABEL_OVERLAP_PREFIX} from './label-overlaps.js';
import {themedConfig} from './theme.js';

/**
 * Total width of a chart's narrow variant in CSS pixels: it fits the text
 * column of a 390 px phone (390 − 2 × 16 px of page padding = 358 px)
 * without scaling, and a 360 px phone (328 px) at 96%.
 */
export const NARROW_CHART_WIDTH = 340;

/** Widest a drawn narrow variant may come out (a refitted one can be a little wider): the 390 px phone's column. */
const NARROW_MAX_WIDTH = 358;

/** Smallest font size in a narrow variant: 12 px, so text stays at 11 px or more even when a 360 px phone scales it. */
const NARROW_MIN_FONT_SIZE = 12;

/** Longest axis label in a narrow variant (px), so the labels leave the plot room: cut with "…" beyond it. */
const NARROW_LABEL_LIMIT = 150;

/** Longest legend gradient in a narrow variant (px). */
const NARROW_GRADIENT_LENGTH = 240;

/** What a narrow variant changes in the theme: larger text, fewer ticks, legends below in one column. */
const NARROW_CONFIG: Config = {
  axis: {labelFontSize: 12, titleFontSize: 12, labelLimit: NARROW_LABEL_LIMIT},
  // About one tick per 70 px of plot, where the wide default is one per 40 px (vega-lite's axis tickCount).
  axisX: {tickCount: {signal: 'ceil(width/70)'}},
  legend: {
    labelFontSize: 12,
    titleFontSize: 12,
    orient: 'bottom',
    direction: 'vertical',
    columns: 1,
    labelLimit: NARROW_CHART_WIDTH - 40,
    gradientLength: NARROW_GRADIENT_LENGTH,
    // Below the whole chart from its left edge (not from the plot's, after the axis labels): a legend
    // the width of the chart leaves the plot its room. (Vega's legend layout; vega-typings config.d.ts.)
    layout: {bottom: {anchor: 'start', frame: 'bounds'}},
  } as unknown as Config['legend'],
  title: {fontSize: 14, limit: NARROW_CHART_WIDTH},
  text: {fontSize: 12},
};

/** Composed views, which cannot be fitted to a width as one: their narrow variant would not be narrow. */
const COMPOSED = ['hconcat', 'vconcat', 'concat', 'facet', 'repeat'];

/**
 * The narrow variant of a Vega-Lite spec, for phones: the same chart fitted
 * to NARROW_CHART_WIDTH in all (axes and legends included), text at 12 px,
 * fewer ticks on the x axis, legends below the plot in one column, long axis
 * labels cut. Only for a single or layered view; `undefined` for composed
 * views (concatenations, facets, repeats), which keep their one drawing and
 * scroll sideways on a narrow screen instead of shrinking.
 *
 * A spec's own settings win over the narrow theme except where they would
 * make text smaller than 12 px, a legend wider than one column, an axis
 * label longer than 150 px or a gradient longer than 240 px.
 */
export function narrowSpec(spec: unknown): Record<string, unknown> | undefined {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return undefined;
  const record = spec as Record<string, unknown>;
  if (COMPOSED.some((key) => key in record) || !('mark' in record || 'layer' in record)) return undefined;
  if (hasFacetChannel(record)) return undefined;
  const narrowed = narrowNode(record) as Record<string, unknown>;
  wrapTitles(narrowed);
  return {
    ...narrowed,
    width: NARROW_CHART_WIDTH,
    autosize: {type: 'fit-x', contains: 'padding'},
    config: themedConfig(narrowed.config, NARROW_CONFIG),
  };
}

/** Whether a view or any of its layers facets by `row`, `column` or `facet`. */
function hasFacetChannel(node: Record<string, unknown>): boolean {
  const encoding = node.encoding;
  if (encoding && typeof encoding === 'object' && ['row', 'column', 'facet'].some((key) => key in encoding))
    return true;
  const layers = node.layer;
  return Array.isArray(layers) && layers.some((layer) => layer && typeof layer === 'object' && hasFacetChannel(layer));
}

/** Keys whose number is a font size, floored at NARROW_MIN_FONT_SIZE. */
const FONT_SIZE_KEYS = new Set(['fontSize', 'labelFontSize', 'titleFontSize', 'subtitleFontSize']);

/** Copy a spec node, flooring font sizes and capping legend columns, label limits and gradient lengths. */
function narrowNode(node: unknown, key?: string): unknown {
  if (Array.isArray(node)) return node.map((item) => narrowNode(item));
  if (!node || typeof node !== 'object') {
    if (typeof node === 'number' && key !== undefined) return narrowNumber(key, node);
    return node;
  }
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(node as Record<string, unknown>)) {
    // Data is copied as it is (a value named `fontSize` in a row is data, not a setting).
    copy[name] = name === 'data' || name === 'datasets' || name === 'values' ? value : narrowNode(value, name);
  }
  return copy;
}

function narrowNumber(key: string, value: number): number {
  if (FONT_SIZE_KEYS.has(key)) return Math.max(value, NARROW_MIN_FONT_SIZE);
  if (key === 'columns') return Math.min(value, 1);
  if (key === 'labelLimit') return value === 0 ? NARROW_LABEL_LIMIT : Math.min(value, NARROW_LABEL_LIMIT);
  if (key === 'gradientLength') return Math.min(value, NARROW_GRADIENT_LENGTH);
  return value;
}

/** Most characters on a line of a wrapped title: about 250 px of 12 px Inter. */
const TITLE_LINE_CHARACTERS = 36;

/** Channels whose `title` is drawn as an axis or legend title (not tooltips or text). */
const TITLED_CHANNELS = ['x', 'y', 'x2', 'y2', 'color', 'fill', 'stroke', 'shape', 'size', 'opacity', 'strokeDash'];

/**
 * Break long titles (the chart's, axes' and legends') into lines, as Vega
 * draws a list of strings: a narrow chart has no room for a long one on a
 * line, and a cut title loses its unit.
 */
function wrapTitles(node: Record<string, unknown>): void {
  if (typeof node.title === 'string') node.title = wrapText(node.title);
  const encoding = node.encoding;
  if (encoding && typeof encoding === 'object') {
    for (const channel of TITLED_CHANNELS) {
      const definition = (encoding as Record<string, unknown>)[channel];
      if (!definition || typeof definition !== 'object' || Array.isArray(definition)) continue;
      const record = definition as Record<string, unknown>;
      if (typeof record.title === 'string') record.title = wrapText(record.title);
      for (const guide of ['axis', 'legend']) {
        const settings = record[guide];
        if (settings && typeof settings === 'object' && typeof (settings as {title?: unknown}).title === 'string') {
          const titled = settings as {title: string | string[]};
          titled.title = wrapText(titled.title as string);
        }
      }
    }
  }
  const layers = node.layer;
  if (Array.isArray(layers))
    for (const layer of layers) if (layer && typeof layer === 'object') wrapTitles(layer as Record<string, unknown>);
}

/** A text as lines of at most TITLE_LINE_CHARACTERS, broken at spaces; itself when it fits on one. */
export function wrapText(text: string): string | string[] {
  if (text.length <= TITLE_LINE_CHARACTERS) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > TITLE_LINE_CHARACTERS) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length > 1 ? lines : text;
}

/**
 * Whether a drawn narrow variant serves phones better than the wide chart
 * scrolling sideways: it fits the phone's column (a spec whose legend or
 * marks need more does not), and Vega drew none of its labels over another
 * mark where the wide chart draws them clear.
 */
export function narrowVariantServes(
  narrow: {svg: string; warnings: readonly string[]},
  wide: {warnings: readonly string[]},
): boolean {
  const width = Number(/^<svg [^>]*\swidth="([\d.]+)"/.exec(narrow.svg)?.[1] ?? Number.NaN);
  if (!(width <= NARROW_MAX_WIDTH)) return false;
  const known = new Set(wide.warnings);
  return narrow.warnings.every((warning) => !warning.startsWith(LABEL_OVERLAP_PREFIX) || known.has(warning));
}
