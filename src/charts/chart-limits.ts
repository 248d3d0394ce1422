/**
 * How much a chart may draw and read. A chart ships as inline SVG, one
 * element (or path vertex) per mark item, so what is limited is what is
 * drawn, after the spec's own transforms (aggregate, filter, bin): a
 * histogram of 100,000 rows draws 20 bars and is fine. What a chart reads
 * before its transforms is limited much higher, so that a runaway input
 * (a `sequence` of millions, a huge literal) is refused before Vega holds it
 * in memory: 5 million generated rows took 4.4 GB.
 */

/** Most mark items a chart may draw (points, bars, line vertices…): beyond it, aggregate first. */
export const MAX_CHART_POINTS = 5000;

/** Most rows a chart may read before its transforms, over all its data (inline, named datasets, generators, files). */
export const MAX_INPUT_ROWS = 250_000;

/** Most characters of data text (CSV, JSON, topojson) a chart may read. */
export const MAX_INPUT_CHARACTERS = 64 * 1024 * 1024;

/** What a spec reads before its transforms: rows (a text's lines count as rows) and characters of text. */
export interface InputSize {
  readonly rows: number;
  readonly characters: number;
}

/**
 * The rows and text a Vega-Lite spec reads: inline `values` (a list's
 * items; a string's lines; an object, such as topojson, by its JSON
 * length), named `datasets`, and `sequence` generators by their length.
 */
export function inputSize(spec: unknown): InputSize {
  let rows = 0;
  let characters = 0;
  const count = (values: unknown): void => {
    if (Array.isArray(values)) rows += values.length;
    else if (typeof values === 'string') {
      characters += values.length;
      rows += lineCount(values);
    } else if (values && typeof values === 'object') characters += JSON.stringify(values).length;
  };
  const walk = (node: unknown, key: string | undefined): void => {
    if (Array.isArray(node)) {
      node.forEach((item) => walk(item, undefined));
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (key === 'data') {
      if ('values' in record) count(record.values);
      if (record.sequence && typeof record.sequence === 'object') rows += sequenceLength(record.sequence);
    }
    if (key === 'datasets') {
      for (const values of Object.values(record)) count(values);
      return;
    }
    for (const [name, value] of Object.entries(record)) if (name !== 'config') walk(value, name);
  };
  walk(spec, undefined);
  return {rows, characters};
}

/** Rows a `sequence` generator makes: ⌈(stop − start) / step⌉, step 1 by default (vega-lite SequenceParams). */
function sequenceLength(sequence: object): number {
  const {start, stop, step = 1} = sequence as {start?: unknown; stop?: unknown; step?: unknown};
  if (typeof start !== 'number' || typeof stop !== 'number' || typeof step !== 'number') return 0;
  if (step === 0 || !Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step)) return Infinity;
  return Math.max(0, Math.ceil((stop - start) / step));
}

function lineCount(text: string): number {
  let lines = 1;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines++;
  return lines;
}

/** A scenegraph node as Vega's View hands it out: marks hold items, group items hold marks. */
interface SceneMark {
  readonly marktype?: string;
  readonly role?: string;
  readonly items?: ReadonlyArray<{readonly items?: readonly SceneMark[]}>;
}

/**
 * The mark items a rendered view draws for its data: items of every mark
 * whose role is `mark` (the spec's marks; axes, legends and titles have
 * roles of their own), inside groups, facets and concatenations. A line
 * counts its vertices.
 */
export function countMarkItems(root: SceneMark): number {
  let count = 0;
  const visit = (mark: SceneMark): void => {
    const items = mark.items ?? [];
    if (mark.marktype === 'group') {
      for (const item of items) for (const child of item.items ?? []) visit(child);
    } else if (mark.role === 'mark') count += items.length;
  };
  visit(root);
  return count;
}
