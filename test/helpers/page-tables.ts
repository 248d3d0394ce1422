import type {Element, Root} from 'hast';
import {toString} from 'hast-util-to-string';
import {visit} from 'unist-util-visit';

/** A page's text, its white space collapsed, as a reader reads it. */
export const pageText = (page: Root): string => toString(page).replace(/\s+/g, ' ');

/**
 * The body rows of every table on `page` whose header cells begin with `headers` (a figure's data table names its
 * fields), as the text of their cells, in the page's order.
 */
export function tableRows(page: Root, headers: readonly string[]): string[][] {
  const found: string[][] = [];
  visit(page, 'element', (table: Element) => {
    if (table.tagName !== 'table') return;
    const names: string[] = [];
    visit(table, 'element', (cell: Element) => {
      if (cell.tagName === 'th') names.push(toString(cell).trim());
    });
    if (headers.some((header, index) => names[index] !== header)) return;
    visit(table, 'element', (row: Element) => {
      if (row.tagName !== 'tr') return;
      const cells = row.children.filter(
        (child): child is Element => child.type === 'element' && child.tagName === 'td',
      );
      if (cells.length > 0) found.push(cells.map((cell) => toString(cell).trim()));
    });
  });
  return found;
}

/** A figure printed on a page (`$4.49M`, `9.12×`, `2.62M GPU-h`, `48.1%`) as a number in its unit's base (M, k scaled). */
export function printedNumber(printed: string): number {
  const match = /(-|−)?\$?([\d,.]+)\s*([kMB])?/.exec(printed);
  if (!match) throw new Error(`no number in ${printed}`);
  const scale = {k: 1e3, M: 1e6, B: 1e9}[match[3] ?? ''] ?? 1;
  return (match[1] ? -1 : 1) * Number((match[2] ?? '').replace(/,/g, '')) * scale;
}

/** Group `index` of a match, or '' where the match or the group is missing (the test's own expect names the miss). */
export const group = (match: RegExpExecArray | null | undefined, index: number): string => match?.[index] ?? '';

/** Group `index` of a match as a number, a minus sign read as `−` or `-`. */
export const groupNumber = (match: RegExpExecArray | null | undefined, index: number): number =>
  Number(group(match, index).replace('−', '-'));

/** Cell `index` of a table row, or '' where there is none. */
export const cell = (row: readonly string[] | undefined, index: number): string => row?.[index] ?? '';

/** The captions on `page` ("Figure N. …", in page order) whose whiskers are said to be the 5th–95th percentiles. */
export function whiskeredCaptions(page: Root): string[] {
  const captions = pageText(page).match(/Figure \d+\. [^]*?(?=Figure \d+\.|$)/g) ?? [];
  return captions.filter((caption) => /[Ww]hiskers (are )?the 5th–95th percentiles/.test(caption));
}

/** What a predicted training estimate's whiskers are drawn over, beyond goodput and the constants (training-ranges.ts). */
export const TRAINING_DRAWS = [
  "its error on published runs (wider where a chip's matrix-multiply rate is not measured)",
  "the memory model's error",
] as const;
