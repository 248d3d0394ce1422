import {isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node} from 'yaml';
import type {Position} from 'unist';
import type {Diagnostics} from '../diagnostics/diagnostics.js';

/** A path into a parsed document: map keys and sequence indices. */
export type DataPath = ReadonlyArray<string | number>;

/** A YAML file parsed with its positions kept, so any value can be traced back to line and column. */
export interface YamlSource {
  /** Path relative to the project root, as shown in messages. */
  readonly path: string;
  readonly document: Document.Parsed;
  readonly lineCounter: LineCounter;
}

/**
 * Parse YAML text keeping source positions (`yaml`'s `parseDocument` with a
 * line counter). Syntax errors become positioned messages; the result is
 * `undefined` when the file cannot be used.
 */
export function parseYamlSource(path: string, text: string, diagnostics: Diagnostics): YamlSource | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(text.replace(/^\uFEFF/, ''), {lineCounter, prettyErrors: false, uniqueKeys: true});
  const source: YamlSource = {path, document, lineCounter};
  for (const error of document.errors) {
    diagnostics.error(path, yamlReason(error.message), rangeToPosition(source, error.pos), 'yaml-syntax');
  }
  for (const warning of document.warnings) {
    diagnostics.warn(path, yamlReason(warning.message), rangeToPosition(source, warning.pos), 'yaml-syntax');
  }
  return document.errors.length > 0 ? undefined : source;
}

/** The `yaml` package appends a code excerpt after a colon and newline; keep the sentence. */
function yamlReason(message: string): string {
  const sentence = message.split('\n')[0] ?? message;
  return sentence.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Convert a `[start, end]` character range to a unist position. */
export function rangeToPosition(source: YamlSource, range: readonly [number, number] | readonly number[]): Position {
  const startOffset = range[0] ?? 0;
  const endOffset = Math.max(startOffset, range[1] ?? startOffset);
  const start = source.lineCounter.linePos(startOffset);
  const end = source.lineCounter.linePos(endOffset);
  return {
    start: {line: start.line, column: start.col, offset: startOffset},
    end: {line: end.line, column: end.col, offset: endOffset},
  };
}

/** The node at `path`, or the deepest node on the way there when the path does not fully exist. */
export function nodeAt(source: YamlSource, path: DataPath): Node | undefined {
  let node: unknown = source.document.contents;
  for (const segment of path) {
    const next = childOf(node, segment);
    if (next === undefined) break;
    node = next;
  }
  return isNode(node) ? node : undefined;
}

/** The key node of `key` inside the map at `path` (for messages about a key itself). */
export function keyNodeAt(source: YamlSource, path: DataPath, key: string): Node | undefined {
  const map = nodeAt(source, path);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
  return pair && isNode(pair.key) ? pair.key : undefined;
}

/** The position of the value at `path` (or of the deepest existing node on the way). */
export function positionAt(source: YamlSource, path: DataPath): Position | undefined {
  const node = nodeAt(source, path);
  return node?.range ? rangeToPosition(source, [node.range[0], node.range[1]]) : undefined;
}

function childOf(node: unknown, segment: string | number): unknown {
  if (isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
    return pair?.value ?? undefined;
  }
  if (isSeq(node) && typeof segment === 'number') return node.items[segment];
  return undefined;
}
