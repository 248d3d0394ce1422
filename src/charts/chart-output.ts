import {z} from 'zod';

/** A problem Vega or Vega-Lite reported while compiling or drawing a chart. */
export class ChartError extends Error {
  override name = 'ChartError';
}

export const renderedChartSchema = z.object({
  svg: z.string(),
  /** Warnings Vega-Lite or Vega logged (for example a field missing from the data). */
  warnings: z.array(z.string()),
});
export type RenderedChart = Readonly<z.infer<typeof renderedChartSchema>>;

/**
 * Prefix every id an SVG defines (Vega's gradients and clip paths), and the
 * references to them, so that several charts on one page (or every report
 * in the print edition) never share an id.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1] as string));
  if (ids.size === 0) return svg;
  return svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (whole, lead: string, id: string) =>
    ids.has(id) ? `${lead}${prefix}-${id}` : whole,
  );
}
