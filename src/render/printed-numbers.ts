import type {Element, ElementContent, Root, RootContent} from 'hast';
import {toString} from 'hast-util-to-string';
import type {ReportNumber, ReportTable} from './components/page-state.js';

/**
 * The numbers a page prints in its tables (Markdown tables, `<ScenarioTable>`,
 * HTML tables, and every chart's data table), for `tradeoffs compare`: a
 * price change that moves a table's cost from $5.56M to $4.97M is a change
 * to report, like a moved `<Estimate>`. A page keeps its tables as text
 * (`pageTables`, small in the manifest); `tableNumbers` reads the numbers
 * out of them.
 */

/** The tables of a page that print a number, in page order, each named by where it is. */
export function pageTables(content: Root): ReportTable[] {
  const tables: ReportTable[] = [];
  let section = 'top';
  const counts = new Map<string, number>();
  const visit = (node: Root | RootContent | ElementContent, figure: string | undefined): void => {
    if (node.type !== 'element' && node.type !== 'root') return;
    if (node.type === 'element') {
      if (/^h[1-6]$/.test(node.tagName) && typeof node.properties.id === 'string') section = node.properties.id;
      if (node.tagName === 'figure' && typeof node.properties.id === 'string') figure = node.properties.id;
      if (node.tagName === 'table') {
        const place = figure === undefined ? `section ${section}` : `figure ${figure}`;
        const index = (counts.get(place) ?? 0) + 1;
        counts.set(place, index);
        const rows = elementsIn(node, 'tr');
        const header = rows.find((row) => elementsIn(row, 'td').length === 0);
        const body = rows
          .filter((row) => row !== header)
          .map((row) => cellsOf(row).map((cell) => (containsEstimate(cell) ? '' : text(cell))));
        if (body.some((cells) => cells.some((cell) => parseFigure(cell) !== undefined)))
          tables.push({where: `${place} table ${index}`, columns: header ? cellsOf(header).map(text) : [], rows: body});
        return;
      }
    }
    for (const child of node.children) visit(child, figure);
  };
  visit(content, undefined);
  return tables;
}

/**
 * Every number in the tables: each cell that starts with a number
 * (`$5.56M`, `2.67M GPU-h (2.3–3.1M)`, `38.9%`, `3.71×10²⁴ FLOP`), under an
 * id that stays put when the numbers change: where the table is, the row's
 * name (its cells that are not numbers; else its first cell) and the
 * column's header, numbers in them masked (`At DeepSeek's stated MFU (#%)`),
 * and a count when two rows are named alike.
 */
export function tableNumbers(tables: readonly ReportTable[]): ReportNumber[] {
  const numbers: ReportNumber[] = [];
  for (const table of tables) {
    const names = new Map<string, number>();
    for (const cells of table.rows) {
      const words = cells.filter((cell) => cell !== '' && parseFigure(cell) === undefined);
      const rowName = words.length > 0 ? words.join(' · ') : (cells[0] ?? '');
      const masked = mask(rowName);
      const count = (names.get(masked) ?? 0) + 1;
      names.set(masked, count);
      const rowKey = count > 1 ? `${masked} #${count}` : masked;
      cells.forEach((cell, column) => {
        const parsed = parseFigure(cell);
        if (!parsed) return;
        const header = table.columns[column] ?? `column ${column + 1}`;
        numbers.push({
          id: `${table.where}: ${rowKey} / ${mask(header)}`,
          label: `${rowName} · ${header}`,
          value: parsed.value,
          unit: parsed.unit,
          text: cell,
        });
      });
    }
  }
  return numbers;
}

/**
 * Numbers masked, so a label that prints one (`On 2,048 H800s`) keeps its id when it moves; digits
 * that are part of a name (`H800`, `MI300X`, `Llama 3.1`) are not numbers and stay.
 */
function mask(label: string): string {
  return label.replace(/(?<![\p{L}\d.])\d[\d,]*(?:\.\d+)?(?![\p{L}\d])/gu, '#');
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SCALES: Record<string, number> = {k: 1e3, M: 1e6, B: 1e9, T: 1e12};

/**
 * The number a cell's text starts with, as the site formats numbers
 * (format-quantity.ts): an optional sign and `$`, digits with thousands
 * commas, a `×10ⁿ` exponent or a `k`/`M`/`B`/`T` suffix; the unit is what
 * follows, up to a range in brackets. `undefined` when the text does not
 * start with a number.
 */
export function parseFigure(printed: string): {value: number; unit: string} | undefined {
  const match = /^\s*([-−]?)(\$?)(\d[\d,]*(?:\.\d+)?)(?:×10([⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))?([kMBT](?![A-Za-z]))?\s*([^(]*)/.exec(
    printed,
  );
  if (!match) return undefined;
  const [, sign, dollar, digits, exponent, scale, rest] = match;
  let value = Number((digits as string).replace(/,/g, ''));
  if (exponent) {
    const power = Number(
      [...exponent].map((character) => (character === '⁻' ? '-' : String(SUPERSCRIPTS.indexOf(character)))).join(''),
    );
    value *= 10 ** power;
  }
  if (scale) value *= SCALES[scale] as number;
  if (sign) value = -value;
  const unit = (rest ?? '').trim();
  return {value, unit: dollar ? `USD${unit ? ` ${unit}` : ''}` : unit};
}

function elementsIn(node: Element, tagName: string): Element[] {
  const found: Element[] = [];
  const walk = (current: Element): void => {
    for (const child of current.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === tagName) found.push(child);
      else if (child.tagName !== 'table') walk(child);
    }
  };
  walk(node);
  return found;
}

function cellsOf(row: Element): Element[] {
  return row.children.filter(
    (child): child is Element => child.type === 'element' && (child.tagName === 'td' || child.tagName === 'th'),
  );
}

function containsEstimate(cell: Element): boolean {
  const classes = cell.properties.className;
  if (Array.isArray(classes) && classes.includes('estimate')) return true;
  return cell.children.some((child) => child.type === 'element' && containsEstimate(child));
}

function text(cell: Element): string {
  return toString(cell).replace(/\s+/g, ' ').trim();
}
