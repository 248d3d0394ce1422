/** A chart's inline data, for its table and downloads. */
export interface ChartData {
  /** Column names in first-seen order. */
  readonly columns: string[];
  readonly rows: ReadonlyArray<Record<string, unknown>>;
}

/**
 * The inline datasets of a Vega-Lite spec (top level, layers, concatenations,
 * facets), largest first; the first is the chart's data for readers.
 */
export function inlineDatasets(spec: unknown): ChartData[] {
  const datasets: ChartData[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const values = (record.data as {values?: unknown} | undefined)?.values;
    if (Array.isArray(values)) datasets.push(toChartData(values));
    for (const key of ['layer', 'hconcat', 'vconcat', 'concat', 'spec']) if (key in record) visit(record[key]);
  };
  visit(spec);
  return datasets.sort((a, b) => b.rows.length - a.rows.length);
}

/**
 * Whether a spec has anything to draw: inline values with at least one row
 * somewhere (top level, layers, concatenations, facets), a named dataset
 * with rows, or a data generator (`sequence`, `sphere`, `graticule`). A chart
 * without is an empty frame on the page, which is always a mistake.
 */
export function hasData(spec: unknown): boolean {
  const datasets = ((spec ?? {}) as {datasets?: unknown}).datasets;
  const named = (name: unknown): boolean => {
    const rows =
      datasets && typeof datasets === 'object' && typeof name === 'string' && Object.hasOwn(datasets, name)
        ? (datasets as Record<string, unknown>)[name]
        : undefined;
    return Array.isArray(rows) ? rows.length > 0 : rows !== undefined;
  };
  const visit = (node: unknown): boolean => {
    if (Array.isArray(node)) return node.some(visit);
    if (!node || typeof node !== 'object') return false;
    const record = node as Record<string, unknown>;
    const data = record.data;
    if (data && typeof data === 'object') {
      const {values, name} = data as {values?: unknown; name?: unknown};
      if (Array.isArray(values) ? values.length > 0 : values !== undefined && values !== '') return true;
      if (name !== undefined && named(name)) return true;
      if (['sequence', 'sphere', 'graticule'].some((generator) => generator in data)) return true;
    }
    return ['layer', 'hconcat', 'vconcat', 'concat', 'spec'].some((key) => key in record && visit(record[key]));
  };
  return visit(spec);
}

function toChartData(values: unknown[]): ChartData {
  const columns: string[] = [];
  const rows = values.map((value) => {
    const row = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {value};
    for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
    return row;
  });
  return {columns, rows};
}

/**
 * CSV per RFC 4180, safe to open in a spreadsheet: a text cell starting with
 * `=`, `+`, `-`, `@`, a tab, a carriage return or a line feed, also after
 * leading spaces that a spreadsheet may skip, is prefixed with `'` so it is
 * never read as a formula (OWASP, CSV injection). Numbers stay numbers.
 */
export function toCsv(data: ChartData): string {
  const cell = (value: unknown): string => {
    if (value === undefined || value === null) return '';
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
    let text = typeof value === 'string' ? value : JSON.stringify(value);
    if (/^[\t\r\n]|^[ \u00a0]*[=+\-@]/.test(text)) text = `'${text}`;
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [
    data.columns.map(cell).join(','),
    ...data.rows.map((row) => data.columns.map((column) => cell(row[column])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
