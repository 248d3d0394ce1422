import {
  CST,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  parseDocument,
  visit,
  type Document,
  type Node,
  type YAMLError,
} from 'yaml';
import type {Position} from 'unist';
import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {printable} from '../diagnostics/printable.js';

/** A path into a parsed document: map keys and sequence indices. */
export type DataPath = ReadonlyArray<string | number>;

/** A YAML file parsed with its positions kept, so any value can be traced back to line and column. */
export interface YamlSource {
  /** Path relative to the project root, as shown in messages. */
  readonly path: string;
  readonly document: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** The text parsed (without a byte-order mark). */
  readonly text: string;
}

/**
 * The start of every line of `text`, after each CRLF, LF or lone CR, as
 * editors (and Markdown, for frontmatter) count lines. Not `yaml`'s own line
 * counter: the parser counts the line breaks of the tokens it understands,
 * and misses those inside the tokens it gives up on after a syntax error, so
 * every position after one would be on the wrong line.
 */
function countLines(text: string): LineCounter {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (const match of text.matchAll(/\r\n?|\n/g)) lineCounter.addNewLine(match.index + match[0].length);
  return lineCounter;
}

/**
 * Parse YAML text keeping source positions (`yaml`'s `parseDocument` with a
 * line counter). A leading byte-order mark is dropped and CRLF line endings
 * read as LF, so positions are the ones an editor shows. Syntax errors become
 * positioned messages, and so does what data files never need and hostile
 * ones use: keys that could reach an object's prototype (`__proto__`,
 * `constructor`, `prototype`), explicit tags beyond YAML's core ones, and
 * the same key twice in a mapping. The result is `undefined` when the file
 * cannot be used.
 */
export function parseYamlSource(path: string, text: string, diagnostics: Diagnostics): YamlSource | undefined {
  const body = text.replace(/^\uFEFF/, '');
  const document = parseDocument(body, {prettyErrors: false, uniqueKeys: true});
  const source: YamlSource = {path, document, lineCounter: countLines(body), text: body};
  const tooDeep = document.errors.find((error) => error.code === 'RESOURCE_EXHAUSTION');
  if (tooDeep) {
    // The parser ran out of stack: one message, the rest are echoes of it.
    diagnostics.error(path, TOO_DEEP, rangeToPosition(source, tooDeep.pos), 'yaml-syntax');
    return undefined;
  }
  let refused: ReturnType<typeof refusedNodes>;
  try {
    refused = refusedNodes(source);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    diagnostics.error(path, TOO_DEEP, rangeToPosition(source, [0, 0]), 'yaml-syntax');
    return undefined;
  }
  // The same message at the same place once: the many collections a deep unclosed nest leaves open all point at one bracket.
  const said = new Set<string>();
  const say = (reason: string, range: readonly number[], fatal: boolean) => {
    const position = rangeToPosition(source, range);
    const key = `${fatal}\0${reason}\0${position.start.offset}\0${position.end.offset}`;
    if (said.has(key)) return;
    said.add(key);
    if (fatal) diagnostics.error(path, reason, position, 'yaml-syntax');
    else diagnostics.warn(path, reason, position, 'yaml-syntax');
  };
  const openers = lazy(() => flowOpeners(body));
  for (const [index, error] of document.errors.entries()) {
    if (error.code === 'DUPLICATE_KEY' && refused.duplicateAt.has(error.pos[0])) continue;
    // Once the parser has given up on the document, it reports every token left as unexpected: echoes of the first error.
    if (index > 0 && error.code === 'UNEXPECTED_TOKEN' && / in YAML stream\b/.test(error.message)) continue;
    const unclosed = unclosedFlowCollection(openers, error);
    if (unclosed) say(unclosed.reason, unclosed.range, true);
    else say(error.code === 'MULTIPLE_DOCS' ? MULTIPLE_DOCUMENTS : yamlReason(error.message), error.pos, true);
  }
  for (const problem of refused.problems) say(problem.reason, problem.range, true);
  for (const warning of document.warnings) say(yamlReason(warning.message), warning.pos, false);
  return document.errors.length > 0 || refused.problems.length > 0 ? undefined : source;
}

/**
 * The document's data as plain JavaScript values; `undefined`, with a
 * positioned message, when building them would exhaust resources (aliases
 * that expand to an exponential number of nodes: the "billion laughs").
 */
export function yamlData(source: YamlSource, diagnostics: Diagnostics): {value: unknown} | undefined {
  try {
    return {value: source.document.toJS({maxAliasCount: MAX_ALIAS_COUNT})};
  } catch (error) {
    if (error instanceof RangeError) {
      diagnostics.error(source.path, TOO_DEEP, rangeToPosition(source, [0, 0]), 'yaml-syntax');
      return undefined;
    }
    const message = error instanceof Error ? error.message : String(error);
    // `yaml` reads an alias whose anchor is missing (or comes after it) without an error, and fails making values of it.
    const unresolved = /^Unresolved alias\b.*: (.*)$/.exec(message)?.[1];
    let first: Node | undefined;
    visit(source.document, {
      Alias(_, alias) {
        if (unresolved !== undefined && alias.source !== unresolved) return undefined;
        first = alias;
        return visit.BREAK;
      },
    });
    const reason =
      unresolved === undefined
        ? `Aliases expand to too many values (${message}), expected each alias used a few times`
        : `Unknown alias \`*${unresolved}\`, expected an anchor \`&${unresolved}\` before it`;
    diagnostics.error(source.path, reason, rangeToPosition(source, first?.range ?? [0, 0]), 'yaml-syntax');
    return undefined;
  }
}

const MULTIPLE_DOCUMENTS = 'Unexpected second document (after `---`), expected one document per file';

const TOO_DEEP = 'Nested too deeply to read (hundreds of levels), expected data a few levels deep';

/** How many nodes aliases may expand to, as `yaml`'s own default. */
const MAX_ALIAS_COUNT = 100;

/** Keys that name or reach an object's prototype: refused in data, whatever the schema says. */
const REFUSED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The core schema's tags (YAML 1.2 §10.3); data has no use for others (`!!binary`, `!!set`, custom tags). */
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`),
);

type Problem = {reason: string; range: [number, number]};

/** Refused keys, keys that are collections, tags and repeated keys in a document, with the offsets of the repeats `yaml` also reports. */
function refusedNodes(source: YamlSource): {problems: Problem[]; duplicateAt: Set<number>} {
  const problems: Problem[] = [];
  const duplicateAt = new Set<number>();
  const rangeOf = (node: Node | undefined | null): [number, number] =>
    node?.range ? [node.range[0], node.range[1]] : [0, 0];
  visit(source.document, (_key, node) => {
    if (isNode(node) && node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
      problems.push({
        reason: `Unexpected tag \`${node.tag.replace('tag:yaml.org,2002:', '!!')}\`, expected plain YAML data (text, numbers, lists and mappings)`,
        range: rangeOf(node),
      });
    }
    if (!isMap(node)) return;
    const seen = new Map<string, Node>();
    for (const pair of node.items) {
      const keyNode = isNode(pair.key) ? pair.key : undefined;
      const resolved = isAlias(keyNode) ? keyNode.resolve(source.document) : keyNode;
      if (isMap(resolved) || isSeq(resolved)) {
        // `? [a, b] : c`: JavaScript objects have text keys only (`yaml` would warn on the console and make it "a,b").
        problems.push({reason: 'Unexpected list or mapping as a key, expected a field name', range: rangeOf(keyNode)});
        continue;
      }
      if (!isScalar(resolved)) continue;
      const name = String(resolved.value);
      if (REFUSED_KEYS.has(name)) {
        problems.push({
          reason: `Refused key \`${name}\`: it could change how every object of the program behaves (prototype pollution), expected a field name`,
          range: rangeOf(keyNode),
        });
      }
      const first = seen.get(name);
      if (first && keyNode) {
        const place = first.range ? source.lineCounter.linePos(first.range[0]) : undefined;
        problems.push({
          reason: `Duplicate key \`${printable(name)}\`${place ? ` (first at ${place.line}:${place.col})` : ''}, expected each key once in a mapping`,
          range: rangeOf(keyNode),
        });
        if (keyNode.range) duplicateAt.add(keyNode.range[0]);
      } else if (keyNode && !first) {
        seen.set(name, keyNode);
      }
    }
  });
  return {problems, duplicateAt};
}

/** A flow collection's opening bracket, and whether it is ever closed. */
interface FlowOpener {
  readonly offset: number;
  readonly source: string;
  readonly closed: boolean;
}

/** Every flow collection of a text, from one pass over its concrete syntax tree (none when it is nested too deeply to walk). */
function flowOpeners(text: string): FlowOpener[] {
  const openers: FlowOpener[] = [];
  try {
    for (const token of new Parser().parse(text)) {
      if (token.type !== 'document') continue;
      CST.visit(token, (item) => {
        for (const part of [item.key, item.value]) {
          if (!part || part.type !== 'flow-collection') continue;
          const expected = part.start.source === '[' ? ']' : '}';
          openers.push({
            offset: part.start.offset,
            source: part.start.source,
            closed: part.end.some((end) => end.source === expected),
          });
        }
      });
    }
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return [];
  }
  return openers;
}

/**
 * `yaml` reports a flow collection that is never closed where it gave up
 * (often lines later); point at the bracket that opened it instead.
 */
function unclosedFlowCollection(openers: () => readonly FlowOpener[], error: YAMLError): Problem | undefined {
  const closing = /end with an? ([\]}])/.exec(error.message)?.[1];
  if (!closing) return undefined;
  let opener: FlowOpener | undefined;
  for (const each of openers()) {
    if (each.closed || each.offset > error.pos[0] || (each.source === '[' ? ']' : '}') !== closing) continue;
    if (!opener || each.offset > opener.offset) opener = each;
  }
  if (!opener) return undefined;
  const kind = opener.source === '[' ? 'list' : 'mapping';
  return {
    reason: `Unclosed \`${opener.source}\`: this flow ${kind} needs a \`${closing}\` to end it`,
    range: [opener.offset, opener.offset + 1],
  };
}

/** A value computed on first use. */
function lazy<T>(compute: () => T): () => T {
  let value: {value: T} | undefined;
  return () => (value ??= {value: compute()}).value;
}

/** The `yaml` package appends a code excerpt after a colon and newline; keep the sentence. */
function yamlReason(message: string): string {
  const sentence = message.split('\n')[0] ?? message;
  return sentence.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Convert a `[start, end]` character range to a unist position. */
export function rangeToPosition(source: YamlSource, range: readonly [number, number] | readonly number[]): Position {
  // `yaml` may place an error one character past the end of the input, or between the CR and the LF of a line break.
  const clamp = (offset: number) => {
    const within = Math.min(Math.max(offset, 0), source.text.length);
    return source.text[within] === '\n' && source.text[within - 1] === '\r' ? within - 1 : within;
  };
  const startOffset = clamp(range[0] ?? 0);
  const endOffset = Math.max(startOffset, clamp(range[1] ?? startOffset));
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
    const pair = node.items.find(
      (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
    );
    return pair?.value ?? undefined;
  }
  if (isSeq(node) && typeof segment === 'number') return node.items[segment];
  return undefined;
}
