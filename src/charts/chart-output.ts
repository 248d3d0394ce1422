import {z} from 'zod';

/** A problem Vega or Vega-Lite reported while compiling or drawing a chart. */
export class ChartError extends Error {
  override name = 'ChartError';
}

export const renderedChartSchema = z.object({
  svg: z.string(),
  /** Warnings Vega-Lite or Vega logged (for example a field missing from the data). */
  warnings: z.array(z.string()),
  /**
   * The chart's main data as Vega parsed it, when it came as text (a data
   * file, CSV text): its columns, its first rows (for the page's data table) and how many rows it has.
   */
  table: z
    .object({
      columns: z.array(z.string()),
      rows: z.array(z.record(z.string(), z.unknown())),
      total: z.number().int().nonnegative(),
    })
    .optional(),
});
export type RenderedChart = Readonly<z.infer<typeof renderedChartSchema>>;

/** Rows of a chart's data the page shows as a table (all of them are in the downloads). */
export const TABLE_ROW_LIMIT = 200;

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
