import {nearestId} from '../diagnostics/nearest-id.js';

/** Vega-Lite's mark types (vega-lite src/mark.ts, and its composite marks). */
const MARK_TYPES = [
  'arc',
  'area',
  'bar',
  'image',
  'line',
  'point',
  'rect',
  'rule',
  'text',
  'tick',
  'trail',
  'circle',
  'square',
  'geoshape',
  'boxplot',
  'errorbar',
  'errorband',
];

/**
 * Catch the mistakes Vega-Lite reports badly (an unknown mark type fails deep
 * in the compiler with "Cannot read properties of undefined") and data that
 * would be fetched while drawing: a build puts the data files a spec names
 * inline first (data-files.ts), so drawing reads nothing. Full JSON-schema validation costs about
 * 1.9 s per build to compile the schema, too much for every build.
 * Returns the problems found, empty when none.
 */
export function checkChartSpec(spec: unknown): string[] {
  const problems: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${path}[${index}]`));
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if ('mark' in record) {
      const mark = record.mark;
      const type = typeof mark === 'string' ? mark : (mark as {type?: unknown} | null)?.type;
      if (typeof type !== 'string' || !MARK_TYPES.includes(type)) {
        const suggestion = typeof type === 'string' ? nearestId(type, MARK_TYPES) : undefined;
        const expected = suggestion ? `did you mean \`${suggestion}\`?` : `expected one of ${MARK_TYPES.join(', ')}`;
        problems.push(`Unknown mark type \`${String(type)}\` at \`${path}.mark\`, ${expected}`);
      }
    }
    if (record.data && typeof record.data === 'object' && 'url' in (record.data as object)) {
      problems.push(
        `Unexpected \`data.url\` at \`${path}.data\`, expected inline \`values\` (a build reads a chart's data files before drawing it; drawing itself loads nothing)`,
      );
    }
    for (const [key, value] of Object.entries(record)) {
      if (key !== 'data' && key !== 'config' && key !== 'datasets') visit(value, `${path}.${key}`);
    }
  };
  visit(spec, 'spec');
  return problems;
}
