import type {Config} from 'vega-lite';

/** The font charts are drawn with; the site's stylesheet uses the same stack. */
export const CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/**
 * The one chart theme: a transparent background (the page decides), muted
 * grid, a colour-blind-safe categorical palette (Okabe & Ito 2008), and
 * roomy label limits so long hardware names are not cut.
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
    gridColor: '#e3e3e3',
    domainColor: '#888888',
    tickColor: '#888888',
  },
  legend: {labelFontSize: 11, titleFontSize: 12, labelLimit: 400},
  title: {fontSize: 14, fontWeight: 600, anchor: 'start', limit: 800},
  range: {
    category: ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'],
  },
  bar: {color: '#0072B2'},
  line: {color: '#0072B2'},
  point: {color: '#0072B2'},
};
