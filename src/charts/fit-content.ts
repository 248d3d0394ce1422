import type {View} from 'vega';
import type {Box} from './label-overlaps.js';

/** Where a drawn chart's content ends against its drawing, in pixels. */
export interface DrawnLayout {
  /** The SVG's width. */
  readonly svgWidth: number;
  /** The plot's width (Vega's `width` signal). */
  readonly plotWidth: number;
  /** The right edge of everything drawn, padding included: beyond `svgWidth`, content is cut off. */
  readonly contentRight: number;
}

/** Read the layout of a drawn view: its SVG's width, its plot's, and the right edge of its scene. */
export function drawnLayout(svg: string, view: View, bounds: Box | undefined): DrawnLayout {
  const svgWidth = Number(/^<svg [^>]*\swidth="([\d.]+)"/.exec(svg)?.[1] ?? Number.NaN);
  const padding = view.padding() as {left?: number; right?: number};
  const [originX] = view.origin();
  const contentRight = (padding.left ?? 0) + (originX ?? 0) + (bounds?.x2 ?? 0) + (padding.right ?? 0);
  return {svgWidth, plotWidth: view.width(), contentRight};
}

/** Smallest plot width a refitted chart is given (px). */
const MIN_PLOT_WIDTH = 40;

/**
 * Vega's `autosize: fit` fits the plot, axes and legends to the width, but
 * not marks drawn past the plot (a text mark beside the last bar, a label
 * at a reference line near the edge): those are cut off at the SVG's edge.
 * For such a chart, the spec again with the plot narrowed by what stuck out
 * and `autosize: pad`, which sizes the SVG to all it draws. Called again on
 * that drawing (with the first one's width as `target`) while it is still
 * wider. `undefined` when nothing sticks out.
 */
export function refitSpec(spec: object, layout: DrawnLayout, target: number): object | undefined {
  const autosize = (spec as {autosize?: unknown}).autosize;
  const type = typeof autosize === 'string' ? autosize : (autosize as {type?: unknown} | undefined)?.type;
  if (type !== 'fit' && type !== 'fit-x') return undefined;
  const overflow = Math.max(layout.contentRight, layout.svgWidth) - target;
  if (!(overflow > 0.5) || layout.plotWidth <= MIN_PLOT_WIDTH) return undefined;
  const width = Math.max(MIN_PLOT_WIDTH, Math.floor(layout.plotWidth - overflow));
  return {...spec, width, autosize: {type: 'pad'}};
}

/** Most times a chart is drawn again to fit its width. */
export const MAX_REFITS = 3;
