import type {Config} from 'vega-lite';
import {FONT_FAMILY} from './fonts.js';

/** The font stack of charts: the bundled Inter first (its metrics lay the chart out). */
export const CHART_FONT = `${FONT_FAMILY}, system-ui, sans-serif`;

/**
 * The one chart theme. Text, axes and grid are drawn in `currentColor`, so
 * a chart follows the page's light or dark theme (and print) without a
 * second rendering; the categorical palette (Okabe & Ito 2008, colour-blind
 * safe) reads on both backgrounds; label limits are roomy, and real glyph
 * widths (text-metrics.ts) keep labels whole.
 */
export const chartTheme: Config = {
  background: null as unknown as string,
  font: CHART_FONT,
  padding: 8,
  view: {stroke: null},
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 600,
    labelLimit: 400,
    labelColor: 'currentColor',
    titleColor: 'currentColor',
    gridColor: 'currentColor',
    gridOpacity: 0.14,
    domainColor: 'currentColor',
    domainOpacity: 0.5,
    tickColor: 'currentColor',
    tickOpacity: 0.5,
  },
  legend: {
    labelFontSize: 11,
    titleFontSize: 12,
    labelLimit: 400,
    labelColor: 'currentColor',
    titleColor: 'currentColor',
  },
  title: {
    fontSize: 14,
    fontWeight: 600,
    anchor: 'start',
    limit: 800,
    color: 'currentColor',
    subtitleColor: 'currentColor',
  },
  text: {color: 'currentColor'},
  range: {
    category: ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'],
  },
  bar: {color: '#0072B2'},
  line: {color: '#0072B2'},
  point: {color: '#0072B2'},
  area: {color: '#56B4E9'},
  rule: {color: 'currentColor'},
};

/**
 * The theme with a spec's own `config` (and any further configs) merged
 * over it, key by key at every depth, so a spec that sets
 * `config: {axis: {grid: false}}` keeps the theme's colours for the rest of
 * its axes. Lists and other values are replaced whole.
 */
export function themedConfig(...configs: unknown[]): Config {
  let merged: Record<string, unknown> = chartTheme as Record<string, unknown>;
  for (const config of configs) merged = mergeDeep(merged, config);
  return merged as Config;
}

function mergeDeep(base: Record<string, unknown>, over: unknown): Record<string, unknown> {
  if (!isPlainObject(over)) return base;
  const merged: Record<string, unknown> = {...base};
  for (const [key, value] of Object.entries(over)) {
    const under = merged[key];
    merged[key] = isPlainObject(under) && isPlainObject(value) ? mergeDeep(under, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
