/**
 * The explorer's state, which lives in the page's address so a link
 * reproduces the view: the scenario it starts from, the sweep point (the
 * options `tradeoffs estimate` takes), and the reader's edits of the
 * scenario's fields, each a path and the value written there.
 *
 *   explore.html?scenario=deepseek-v3-pretraining&at.hardware=h100-sxm&set.cluster.gpus=4096
 *
 * A value is JSON when it reads as JSON (`4096`, `true`, `null` to remove
 * the field, `{"low":1.5,"mode":2,"high":3}`), else the text itself
 * (`h100-sxm`). The address is untrusted: what it sets goes through the
 * same checks as a data file, and what cannot be read is listed, not used.
 */

/** The sweep-point options of `tradeoffs estimate` (`--hardware`, `--gpus`, `--precision`, `--technique`). */
export const POINT_KEYS = ['hardware', 'gpus', 'precision', 'technique'] as const;
export type PointKey = (typeof POINT_KEYS)[number];
export type PointInput = Partial<Record<PointKey, string>>;

export type Path = ReadonlyArray<string | number>;

/** One edit: the value written at a path of the scenario, or `null` to leave the field out. */
export interface Edit {
  readonly path: Path;
  readonly value: unknown;
}

export interface ExplorerState {
  readonly scenario: string | undefined;
  readonly point: PointInput;
  readonly edits: readonly Edit[];
}

/** What an address may hold: past these, the rest is ignored (and said). */
const MAX_EDITS = 200;
const MAX_VALUE_LENGTH = 2000;

/** Keys that reach an object's prototype: never a path segment. */
const REFUSED_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** Read the state from an address's query (`location.search`); `ignored` lists what could not be used. */
export function readState(search: string): {state: ExplorerState; ignored: string[]} {
  const params = new URLSearchParams(search);
  const ignored: string[] = [];
  let scenario: string | undefined;
  const point: PointInput = {};
  const edits: Edit[] = [];
  for (const [key, text] of params) {
    if (key === 'scenario') {
      scenario = text;
    } else if (key.startsWith('at.') && (POINT_KEYS as readonly string[]).includes(key.slice(3))) {
      if (text !== '') point[key.slice(3) as PointKey] = text;
    } else if (key.startsWith('set.')) {
      const path = parsePath(key.slice(4));
      if (!path || text.length > MAX_VALUE_LENGTH || edits.length >= MAX_EDITS) ignored.push(key);
      else edits.push({path, value: parseValue(text)});
    } else {
      ignored.push(key);
    }
  }
  return {state: {scenario, point, edits}, ignored};
}

/** The query for a state (`?scenario=…`), keys in a fixed order: the same state, the same address. */
export function writeState(state: ExplorerState): string {
  const parts: string[] = [];
  if (state.scenario !== undefined) parts.push(`scenario=${encode(state.scenario)}`);
  for (const key of POINT_KEYS) {
    const value = state.point[key];
    if (value !== undefined) parts.push(`at.${key}=${encode(value)}`);
  }
  for (const edit of state.edits) parts.push(`set.${edit.path.join('.')}=${encode(writeValue(edit.value))}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** A dotted path (`cluster.gpus`, `sweep.techniques.0.name`): names and indices, never a prototype key. */
export function parsePath(text: string): Path | undefined {
  const segments = text.split('.');
  const path: Array<string | number> = [];
  for (const segment of segments) {
    if (REFUSED_SEGMENTS.has(segment) || !/^[A-Za-z0-9_]+$/.test(segment)) return undefined;
    path.push(/^(0|[1-9][0-9]{0,5})$/.test(segment) ? Number(segment) : segment);
  }
  return path;
}

/** A value as written in an address: JSON when it reads as JSON, else the text. */
export function parseValue(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    return text;
  }
}

/** The text of a value in an address: text as it is unless it would read as JSON, everything else as JSON. */
export function writeValue(value: unknown): string {
  if (typeof value === 'string' && parseValue(value) === value) return value;
  return JSON.stringify(value);
}

/** Percent-encoding for a query, leaving the characters a query may hold as they are (braces, brackets, colons, commas). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/%(7B|7D|5B|5D|3A|2C|40|2F)/g, (escaped) => decodeURIComponent(escaped));
}

/** Whether two paths are the same. */
export function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((segment, index) => segment === b[index]);
}

/** Whether `path` is `prefix` or below it. */
export function isUnder(path: Path, prefix: Path): boolean {
  return path.length >= prefix.length && prefix.every((segment, index) => segment === path[index]);
}

/**
 * The edits with `edit` applied: it replaces any edit at its path or below
 * (the value it writes holds them), and is dropped when it writes what the
 * scenario already has there (`base`: the value at the path before any edit).
 */
export function withEdit(edits: readonly Edit[], edit: Edit, base: unknown): Edit[] {
  const kept = edits.filter((each) => !isUnder(each.path, edit.path));
  if (sameValue(edit.value, base === undefined ? null : base)) return kept;
  return [...kept, edit];
}

/** Deep equality of plain data (what JSON can hold). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every(
      (key) =>
        Object.hasOwn(b, key) && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}
