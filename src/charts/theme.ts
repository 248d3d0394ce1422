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
