import {writeSync} from 'node:fs';
import {Worker} from 'node:worker_threads';
import fc from 'fast-check';
import {isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document, type Node} from 'yaml';
import type {Diagnostics} from '../../src/diagnostics/diagnostics.js';

/**
 * Mutations for the fuzz test (test/fuzz.test.ts): plain data that
 * fast-check generates, shrinks and prints, applied to the text of a valid
 * file. Positions are natural numbers taken modulo the text's length, so any
 * mutation applies to any text.
 */

// ---------------------------------------------------------------------------
// Settings

/** An integer from the environment, or the default. */
export function envInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${raw}`);
  return value;
}

// ---------------------------------------------------------------------------
// Text mutations

export type TextOp =
  | {readonly op: 'delete'; readonly at: number; readonly length: number}
  | {readonly op: 'insert'; readonly at: number; readonly text: string}
  | {readonly op: 'duplicate-line'; readonly line: number}
  | {readonly op: 'delete-line'; readonly line: number}
  | {readonly op: 'swap-lines'; readonly a: number; readonly b: number}
  | {readonly op: 'swap-chars'; readonly at: number}
  | {readonly op: 'indent'; readonly line: number; readonly by: number}
  | {readonly op: 'crlf'}
  | {readonly op: 'bom'};

/** Apply text mutations in order. */
export function applyTextOps(text: string, ops: readonly TextOp[]): string {
  let result = text;
  for (const op of ops) result = applyTextOp(result, op);
  return result;
}

function applyTextOp(text: string, op: TextOp): string {
  const lines = () => text.split('\n');
  switch (op.op) {
    case 'delete': {
      const at = op.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + op.length);
    }
    case 'insert': {
      const at = op.at % (text.length + 1);
      return text.slice(0, at) + op.text + text.slice(at);
    }
    case 'duplicate-line': {
      const all = lines();
      const index = op.line % all.length;
      all.splice(index, 0, all[index]!);
      return all.join('\n');
    }
    case 'delete-line': {
      const all = lines();
      all.splice(op.line % all.length, 1);
      return all.join('\n');
    }
    case 'swap-lines': {
      const all = lines();
      const a = op.a % all.length;
      const b = op.b % all.length;
      [all[a], all[b]] = [all[b]!, all[a]!];
      return all.join('\n');
    }
    case 'swap-chars': {
      if (text.length < 2) return text;
      const at = op.at % (text.length - 1);
      return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
    }
    case 'indent': {
      const all = lines();
      const index = op.line % all.length;
      const line = all[index]!;
      all[index] = op.by >= 0 ? ' '.repeat(op.by) + line : line.replace(new RegExp(`^ {0,${-op.by}}`), '');
      return all.join('\n');
    }
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'bom':
      return `\uFEFF${text}`;
  }
}

/** Text that means something to YAML, or to a reader of it, or is merely hostile. */
export const YAML_TOKENS = [
  ':',
  ': ',
  '-',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '?',
  '? ',
  '#',
  '|',
  '>',
  '&a ',
  '*a',
  '&a [1, 2] ',
  '<<: *a\n',
  '!!',
  '!!str ',
  '!!int ',
  '!!float ',
  '!!binary ',
  '!!set ',
  '!!map ',
  '!!seq ',
  '!custom ',
  '!<tag:yaml.org,2002:str> ',
  '"',
  "'",
  '\\',
  '`',
  '@',
  '%',
  '%YAML 1.2\n---\n',
  '%TAG ! tag:x,2000:\n',
  '---\n',
  '...\n',
  '\t',
  '\uFEFF',
  '\r\n',
  '\r',
  '\n',
  '\n\n',
  '\0',
  '\u2028',
  '\u0085',
  '\uD800',
  '\uDFFF',
  '😀',
  '\u202E',
  ' ',
  '    ',
  '~',
  'null',
  'true',
  'no',
  'yes',
  'on',
  '.nan',
  '.inf',
  '-.inf',
  '1e400',
  '-1e400',
  '0x10',
  '0o17',
  '1_000',
  '0',
  '-0',
  '-1',
  '1e308',
  '9007199254740993',
  '__proto__: 1\n',
  '__proto__',
  'constructor: 1\n',
  'prototype',
  '{__proto__: {polluted: true}}',
  '[[[[[[[[[[',
  ']]]]]]]]]]',
  '{{{{{{{{{{',
  '}}}}}}}}}}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '=HYPERLINK("http://evil")',
  'javascript:alert(1)',
];

/** Text that breaks a template's frontmatter, MDX or JSX, or its expressions. */
export const TEMPLATE_TOKENS = [
  '{',
  '}',
  '<',
  '>',
  '/>',
  '</',
  '</div>',
  '<div>',
  '<>',
  '</>',
  '`',
  '```',
  '\n```\n',
  '$',
  '*',
  '_',
  '#',
  '|',
  '\\',
  '"',
  "'",
  '=',
  ',',
  '(',
  ')',
  '[',
  ']',
  '\n',
  '\n\n',
  '\t',
  '\r\n',
  '\uFEFF',
  '\0',
  '\uD800',
  '😀',
  '---',
  '\n---\n',
  '---\ntitle: x\n---\n',
  'title:',
  'summary: ',
  '\norder: 1e400\n',
  '\norder: 1.5\n',
  '\n__proto__: 1\n',
  '\nkey_figure: 5\n',
  '\nkey_figure: {scenario: tiny, output: gpuHours, label: x}\n',
  '\nkey_figure: {scenario: nope, output: gpuHours, label: x}\n',
  '\nkey_figure: {scenario: tiny, output: nope, label: x, hardware: h100-sxm}\n',
  '!!binary ',
  '&a ',
  '*a',
  ': ',
  '<Chart spec={{}} />',
  '<Chart />',
  '<Chart spec={5} />',
  '<Chart spec={null} caption={1} />',
  '<Chart id="a" spec={{mark: "bar"}} interactive />',
  '<Chart spec={{data: {values: []}, mark: "point"}} />',
  '<Chart spec={{data: {values: [{a: 1}]}, mark: "bar", encoding: {x: {field: "a", type: "quantitative"}}}} interactive={1} />',
  '<Chart spec={{data: {url: "data.csv"}, mark: "bar"}} />',
  '<Chart spec={{data: {values: Array.from({length: 6000}, (_, i) => ({i}))}, mark: "tick", encoding: {x: {field: "i", type: "quantitative"}}}} />',
  '{undefined.x}',
  '{null.x}',
  '{1/0}',
  '{-1/0}',
  '{0/0}',
  '{1n}',
  '{Symbol()}',
  '{new Date()}',
  '{[1, 2]}',
  '{{a: 1}}',
  '{() => 1}',
  '{(() => { throw new Error("boom") })()}',
  '{(() => { throw 1 })()}',
  '{(() => { throw null })()}',
  '{Object.create(null)}',
  '{estimate}',
  '{estimate()}',
  "{estimate('nope')}",
  "{estimate('tiny', {hardware: 'nope'})}",
  "{estimate('tiny', {gpus: -1})}",
  "{estimate('tiny', {gpus: 0.5})}",
  "{estimate('tiny', {precision: 'fp4'})}",
  "{estimate('tiny', {technique: 'nope'})}",
  "{estimate('tiny').gpuHours}",
  "{sweep('tiny').length}",
  "{sweep('nope')}",
  "{sensitivity('tiny', 'gpuHours').length}",
  "{sensitivity('tiny', 'nope')}",
  '{calibration().length}',
  '{calibrationMedianError()}',
  "{catalog.chip('h100-sxm').name}",
  "{catalog.chip('nope')}",
  "{catalog.model('__proto__')}",
  '{catalog.scenarios.length}',
  '{catalog.hardware[0].memory.capacity_gb}',
  "{format(1e400, 'USD')}",
  "{format(NaN, 'GPU-h')}",
  "{format(-0, 'fraction')}",
  "{format(1, 'nope')}",
  "{format('x', 'USD')}",
  "{formatRange(null, 'USD')}",
  "{formatRange({p5: 3, p50: 2, p95: 1}, 'days')}",
  '{describeLayout({})}',
  '{describeLayout(null)}',
  '{demandCurve([1], [1], 1).length}',
  '{demandOutcome({})}',
  '{demandOutcome({efficiencyFactor: 0, elasticity: -1, passThrough: 2}).computeChange}',
  '<Estimate scenario="tiny" output="gpuHours" />',
  '<Estimate scenario="tiny" output="nope" />',
  '<Estimate scenario={1} output={[]} />',
  '<Estimate scenario="tiny" output="gpuHours" gpus="8" />',
  '<Estimate scenario="tiny" output="toString" />',
  '<Estimate scenario="tiny" output="__proto__" />',
  '<Metric value={NaN} unit="USD" />',
  '<Metric value="a" />',
  '<Metric value={1} unit="USD" range={{p5: 1}} />',
  '<Metric value={1e308} unit="FLOP" range={{p5: 1, p50: 1e308, p95: Infinity}} />',
  '<Cite id={undefined} />',
  '<Cite id="nope" />',
  '<Cite id="llama3-herd" />',
  '<Ref to="nope" />',
  '<Ref to="a" />',
  '<Figure id="a" caption="x">x</Figure>',
  '<Figure id="A B" caption="x" />',
  '<Figure caption={1} />',
  '<Callout kind="bogus">x</Callout>',
  '<Callout title={{}} />',
  '<KeyFigures items={5} />',
  '<KeyFigures items={[{scenario: "tiny", output: "gpuHours"}]} />',
  '<KeyFigures items={[null]} />',
  '<ScenarioTable scenario="tiny" outputs={null} />',
  '<ScenarioTable scenario="tiny" outputs={["gpuHours", "nope"]} />',
  '<Assumptions x />',
  '<Assumptions />',
  '<Nope />',
  '<nope.x />',
  '<div style={{color: "red"}}>x</div>',
  '<div style="text-align: right">x</div>',
  '<a href="javascript:alert(1)">x</a>',
  '<img src="data:text/html,x" />',
  '<a href={"\\tjavascript:x"}>x</a>',
  '<div onClick={() => 1} />',
  '<script>alert(1)</script>',
  '<iframe src="https://example.com" />',
  '<svg><script>x</script></svg>',
  '<!-- x -->',
  '{/* x */}',
  'export const x = 1\n\n',
  'export const estimate = 1\n\n',
  "import x from 'node:fs'\n\n",
  'export default 1\n\n',
  'export function f() { return f() }\n\n{f()}\n\n',
  '[x]: https://example.com\n',
  "{{type: 'element'}}",
  "{{type: 'raw', value: '<script>alert(1)</script>'}}",
  "{{type: 'text'}}",
  "{{type: 'root', children: [1]}}",
  '{[[1, [2]], "a"]}',
  '{false}',
  '{true && "x"}',
  "export const format = (v) => 'x'\n\n",
  "export const y = (() => { throw 'boom' })()\n\n",
  'export const z = 1\n\nexport const z = 2\n\n',
  "import x from './nope.js'\n\n",
  '[link](javascript:alert(1))',
  '![img](data:image/png;base64,AAAA)',
  '| a | b |\n| --- | :-: |\n| 1 | 2 |\n',
  '$$x$$',
  '&amp;',
  '&#0;',
  '&nbsp;',
];

/** Expressions for a JSX attribute, most of the wrong type. */
export const ATTRIBUTE_VALUES = [
  '{5}',
  '{null}',
  '{undefined}',
  '{[]}',
  '{{}}',
  '{NaN}',
  '{Infinity}',
  '{-0}',
  '{1n}',
  '{true}',
  '{false}',
  "{'__proto__'}",
  '{() => 1}',
  '{Symbol()}',
  '{new Date(0)}',
  "{'x'.repeat(100000)}",
  '{{__proto__: {x: 1}}}',
  '{Object.create(null)}',
  '{[null]}',
  '"tiny"',
  '"gpuHours"',
  '"h100-sxm"',
  '"nope"',
  '""',
  '"<script>"',
  '{"javascript:alert(1)"}',
];

// ---------------------------------------------------------------------------
// Structure mutations (YAML)

/** A value to put in a document: plain data, with mappings as key-value pairs so any key (`__proto__` too) can be written. */
export type YamlValue =
  | null
  | boolean
  | number
  | string
  | readonly YamlValue[]
  | {readonly pairs: ReadonlyArray<readonly [string, YamlValue]>};

export type StructOp =
  | {readonly op: 'set'; readonly node: number; readonly value: YamlValue}
  | {readonly op: 'delete'; readonly node: number}
  | {readonly op: 'rename'; readonly node: number; readonly key: string}
  | {readonly op: 'duplicate'; readonly node: number}
  | {readonly op: 'copy'; readonly from: number; readonly to: number}
  /** A scalar changed for one of its own type: a number for another number, text for another word, a boolean flipped. */
  | {readonly op: 'tweak'; readonly node: number; readonly number: number; readonly word: string}
  /** A number made uncertain around itself: a range or a distribution, `spread` wide. */
  | {
      readonly op: 'widen';
      readonly node: number;
      readonly kind: 'triangular' | 'uniform' | 'normal' | 'lognormal';
      readonly spread: number;
    };

type Path = Array<string | number>;

/** Every path in a document, the root first (map keys and sequence indices). */
function pathsOf(document: Document): Path[] {
  const paths: Path[] = [[]];
  const walk = (node: unknown, path: Path) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const child = [...path, String(pair.key.value)];
        paths.push(child);
        walk(pair.value, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const child = [...path, index];
        paths.push(child);
        walk(item, child);
      });
    }
  };
  walk(document.contents, []);
  return paths;
}

function toNode(document: Document, value: YamlValue): Node {
  if (value !== null && typeof value === 'object' && 'pairs' in value) {
    const map = new YAMLMap();
    for (const [key, child] of value.pairs)
      map.items.push(document.createPair(new Scalar(key), toNode(document, child)) as never);
    return map;
  }
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value) seq.items.push(toNode(document, item as YamlValue));
    return seq;
  }
  return new Scalar(value);
}

/** The map or sequence holding `path`, and the key or index of `path` in it. */
function parentOf(document: Document, path: Path): {parent: unknown; last: string | number} | undefined {
  if (path.length === 0) return undefined;
  const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  return {parent, last: path.at(-1)!};
}

/**
 * Apply structure mutations to YAML text: parse it, change nodes, write it
 * back. Text that does not parse cleanly is returned as it is.
 */
export function applyStructOps(text: string, ops: readonly StructOp[]): string {
  if (ops.length === 0) return text;
  const document = parseDocument(text);
  if (document.errors.length > 0) return text;
  for (const op of ops) {
    try {
      applyStructOp(document, op);
    } catch {
      // An op the document's shape no longer allows (a path through a renamed key): skipped.
    }
  }
  try {
    return document.toString({lineWidth: 0});
  } catch {
    // A document `yaml` reads but cannot write (an alias with no anchor, which text mutations make): left as it was.
    return text;
  }
}

function applyStructOp(document: Document, op: StructOp): void {
  const paths = pathsOf(document);
  const pick = (index: number) => paths[index % paths.length]!;
  {
    switch (op.op) {
      case 'set': {
        const path = pick(op.node);
        if (path.length === 0) document.contents = toNode(document, op.value) as never;
        else document.setIn(path, toNode(document, op.value));
        break;
      }
      case 'delete': {
        const path = pick(op.node);
        if (path.length === 0) document.contents = null;
        else document.deleteIn(path);
        break;
      }
      case 'rename': {
        const located = parentOf(document, pick(op.node));
        if (!located || !isMap(located.parent)) break;
        const pair = located.parent.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(located.last),
        );
        if (pair) pair.key = new Scalar(op.key);
        break;
      }
      case 'duplicate': {
        // The nearest list item at or above the node: a record, or an entry of a list.
        let path = pick(op.node);
        while (path.length > 0 && typeof path.at(-1) !== 'number') path = path.slice(0, -1);
        const located = parentOf(document, path);
        if (!located || !isSeq(located.parent)) break;
        const index = located.last as number;
        const item = located.parent.items[index];
        located.parent.items.splice(
          index + 1,
          0,
          (isScalar(item) || isMap(item) || isSeq(item) ? item.clone() : item) as never,
        );
        break;
      }
      case 'tweak': {
        const path = pick(op.node);
        const node = path.length === 0 ? document.contents : document.getIn(path, true);
        if (!isScalar(node)) break;
        if (typeof node.value === 'number') node.value = op.number;
        // A date for a date (some of them impossible), any word for other text.
        else if (typeof node.value === 'string')
          node.value = DATE.test(node.value) ? DATES[Math.abs(Math.trunc(op.number)) % DATES.length]! : op.word;
        else if (typeof node.value === 'boolean') node.value = !node.value;
        break;
      }
      case 'widen': {
        const path = pick(op.node);
        const node = path.length === 0 ? document.contents : document.getIn(path, true);
        if (!isScalar(node) || typeof node.value !== 'number' || path.length === 0) break;
        const x = node.value;
        const pairs: Array<[string, YamlValue]> =
          op.kind === 'triangular'
            ? [
                ['low', x * (1 - op.spread / 2)],
                ['mode', x],
                ['high', x * (1 + op.spread)],
              ]
            : op.kind === 'uniform'
              ? [
                  ['dist', 'uniform'],
                  ['low', x * (1 - op.spread / 2)],
                  ['high', x * (1 + op.spread)],
                ]
              : op.kind === 'normal'
                ? [
                    ['dist', 'normal'],
                    ['mean', x],
                    ['sd', (x * op.spread) / 6],
                  ]
                : [
                    ['dist', 'lognormal'],
                    ['median', x],
                    ['sigma', op.spread],
                  ];
        document.setIn(path, toNode(document, {pairs}));
        break;
      }
      case 'copy': {
        const from = pick(op.from);
        const to = pick(op.to);
        const node = from.length === 0 ? document.contents : document.getIn(from, true);
        const copy = node && typeof (node as Node).clone === 'function' ? (node as Node).clone() : node;
        if (to.length === 0) document.contents = copy as never;
        else document.setIn(to, copy);
        break;
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Arbitraries

const SPECIAL_NUMBERS = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  1,
  2,
  3,
  4,
  5,
  7,
  8,
  12,
  16,
  61,
  64,
  128,
  256,
  1000,
  16384,
  65536,
  0.5,
  0.999,
  1.5,
  -1,
  -1e-9,
  1e-300,
  Number.MIN_VALUE,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.EPSILON,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  1e15,
  1e21,
  1e100,
  15.6e12,
];

export const numberArbitrary: fc.Arbitrary<number> = fc.oneof(
  {arbitrary: fc.constantFrom(...SPECIAL_NUMBERS), weight: 4},
  {arbitrary: fc.integer({min: -4, max: 5000}), weight: 3},
  {arbitrary: fc.double(), weight: 1},
  {arbitrary: fc.integer(), weight: 1},
);

/** Ids and names the seed projects use, words the schemas expect, and hostile strings. */
const WORDS = [
  'tiny',
  'h100-sxm',
  'b200-sxm',
  'llama-3.1-405b',
  'deepseek-v3',
  'llama3-herd',
  'predicted',
  'serving',
  'demand',
  'training',
  'inference',
  'search',
  'none',
  'causal',
  'non-causal',
  'bf16',
  'fp8',
  'fp4',
  'fp32',
  'mha',
  'gqa',
  'mqa',
  'mla',
  'dense',
  'moe',
  'dualpipe',
  '1f1b',
  'interleaved',
  'zero-bubble',
  'selective',
  'full',
  'uniform',
  'normal',
  'lognormal',
  'triangular',
  'mfu',
  'gpu_hours',
  'training_flops',
  'source',
  'id',
  '2025-01',
  '2025-13',
  '1999-00',
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '=1+1',
  '@SUM(A1)',
  'javascript:alert(1)',
  'https://example.com/../../etc/passwd',
  'file:///etc/passwd',
  '../../etc/passwd',
  '{{x}}',
  '${x}',
  '\u0000',
  '\uD800',
  '\u202E',
  '😀',
  'NaN',
  'Infinity',
  '1e400',
  '0x10',
  'x'.repeat(5000),
  'a-'.repeat(200),
];

export const stringArbitrary: fc.Arbitrary<string> = fc.oneof(
  {arbitrary: fc.constantFrom(...WORDS), weight: 4},
  {arbitrary: fc.string({maxLength: 12}), weight: 1},
  {arbitrary: fc.string({unit: 'binary', maxLength: 8}), weight: 1},
);

const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'id',
  'name',
  'kind',
  'source',
  'low',
  'mode',
  'high',
  'dist',
  'mean',
  'sd',
  'median',
  'sigma',
  'tp',
  'pp',
  'ep',
  'cp',
  'zero',
  'gpus',
  'hardware',
  'model',
  'precision',
  'sweep',
  'techniques',
  'parallelism',
  'recipe',
  'cost',
  'energy',
  'owned',
  'prefill',
  'decode',
  'concurrency',
  'mfu',
  'attention',
  'ffn',
  'experts',
  'layers',
  'heads',
  '',
];

export const keyArbitrary: fc.Arbitrary<string> = fc.oneof(
  {arbitrary: fc.constantFrom(...KEYS), weight: 4},
  {arbitrary: fc.string({maxLength: 8}), weight: 1},
);

const leafArbitrary: fc.Arbitrary<YamlValue> = fc.oneof(
  {arbitrary: numberArbitrary, weight: 5},
  {arbitrary: stringArbitrary, weight: 4},
  {arbitrary: fc.boolean(), weight: 1},
  {arbitrary: fc.constant(null), weight: 1},
);

const pairs = (...entries: Array<[string, fc.Arbitrary<YamlValue>]>) =>
  fc
    .tuple(
      ...entries.map(([key, value]) => fc.option(value, {nil: undefined, freq: 4}).map((each) => [key, each] as const)),
    )
    .map((list) => ({
      pairs: list.filter((entry): entry is readonly [string, YamlValue] => entry[1] !== undefined),
    }));

/** Values shaped like an uncertain number, with arbitrary numbers: they reach the distributions. */
const uncertainArbitrary: fc.Arbitrary<YamlValue> = fc.oneof(
  pairs(['low', numberArbitrary], ['mode', numberArbitrary], ['high', numberArbitrary]),
  pairs(
    ['dist', fc.constantFrom('uniform', 'normal', 'lognormal', 'beta', '__proto__')],
    ['low', numberArbitrary],
    ['high', numberArbitrary],
  ),
  pairs(['dist', fc.constant('normal')], ['mean', numberArbitrary], ['sd', numberArbitrary]),
  pairs(['dist', fc.constant('lognormal')], ['median', numberArbitrary], ['sigma', numberArbitrary]),
);

export const valueArbitrary: fc.Arbitrary<YamlValue> = fc.letrec<{value: YamlValue}>((tie) => ({
  value: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    {arbitrary: leafArbitrary, weight: 8},
    {arbitrary: uncertainArbitrary, weight: 2},
    {arbitrary: fc.array(tie('value'), {maxLength: 4}), weight: 1},
    {
      arbitrary: fc.array(fc.tuple(keyArbitrary, tie('value')), {maxLength: 4}).map((entries) => ({pairs: entries})),
      weight: 1,
    },
  ),
})).value;

/** Numbers of the kind data holds (counts, sizes, rates, fractions), from tiny to huge. */
const plausibleNumberArbitrary: fc.Arbitrary<number> = fc.oneof(
  {arbitrary: fc.integer({min: 1, max: 512}), weight: 3},
  {arbitrary: fc.double({min: 1e-9, max: 1, noNaN: true}), weight: 2},
  {arbitrary: fc.integer({min: 0, max: 40}).map((exponent) => 2 ** exponent), weight: 2},
  {arbitrary: fc.double({min: 1, max: 1e30, noNaN: true}), weight: 1},
  {arbitrary: numberArbitrary, weight: 1},
);

/** Words that are valid somewhere in the seeds: ids, and the values of the schemas' enumerations. */
const VALID_WORDS = [
  'tiny',
  'predicted',
  'serving',
  'demand',
  'h100-sxm',
  'b200-sxm',
  'llama-3.1-405b',
  'deepseek-v3',
  'llama3-herd',
  'training',
  'inference',
  'demand',
  'none',
  'causal',
  'non-causal',
  'fp32',
  'tf32',
  'bf16',
  'fp16',
  'fp8',
  'fp6',
  'fp4',
  'int8',
  'mha',
  'gqa',
  'mqa',
  'mla',
  'dense',
  'moe',
  '1f1b',
  'interleaved',
  'zero-bubble',
  'dualpipe',
  'none',
  'selective',
  'full',
  'search',
  'mfu',
  'gpu_hours',
  'training_flops',
  'tokens_per_second_per_gpu',
  'wall_clock_days',
];

const DATE = /^\d{4}-\d{2}(-\d{2})?$/;
/** Dates as prices give them, some of them impossible. */
const DATES = [
  '2024-12',
  '2025-01-31',
  '2024-02-29',
  '2025-13',
  '2025-00',
  '2025-02-29',
  '2025-04-31',
  '0000-01',
  '9999-99-99',
  '2025-1',
];

/** Changes that keep a file's shape, which often stays valid and reaches the estimator. */
export const gentleOpArbitrary: fc.Arbitrary<StructOp> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant('tweak' as const),
      node: fc.nat(),
      number: plausibleNumberArbitrary,
      word: fc.constantFrom(...VALID_WORDS),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('widen' as const),
      node: fc.nat(),
      kind: fc.constantFrom('triangular' as const, 'uniform' as const, 'normal' as const, 'lognormal' as const),
      spread: fc.double({min: 0, max: 2, noNaN: true}),
    }),
    weight: 2,
  },
  {arbitrary: fc.record({op: fc.constant('duplicate' as const), node: fc.nat()}), weight: 1},
);

export const structOpArbitrary: fc.Arbitrary<StructOp> = fc.oneof(
  {arbitrary: gentleOpArbitrary, weight: 3},
  {
    arbitrary: fc.record({
      op: fc.constant('tweak' as const),
      node: fc.nat(),
      number: plausibleNumberArbitrary,
      word: stringArbitrary,
    }),
    weight: 6,
  },
  {arbitrary: fc.record({op: fc.constant('set' as const), node: fc.nat(), value: valueArbitrary}), weight: 6},
  {arbitrary: fc.record({op: fc.constant('delete' as const), node: fc.nat()}), weight: 2},
  {arbitrary: fc.record({op: fc.constant('rename' as const), node: fc.nat(), key: keyArbitrary}), weight: 2},
  {arbitrary: fc.record({op: fc.constant('duplicate' as const), node: fc.nat()}), weight: 1},
  {arbitrary: fc.record({op: fc.constant('copy' as const), from: fc.nat(), to: fc.nat()}), weight: 1},
);

/** Text mutations, inserting from `tokens` (and now and then a very long line, deep nesting or random text). */
export function textOpArbitrary(
  tokens: readonly string[],
  nesting: readonly [open: string, close: string],
): fc.Arbitrary<TextOp> {
  // The heavy ones (a 50,000-character line, nesting up to past what the reader accepts) now and then: they cost tens of milliseconds.
  const inserted = fc.oneof(
    {arbitrary: fc.constantFrom(...tokens), weight: 24},
    {arbitrary: fc.string({maxLength: 6}), weight: 4},
    {arbitrary: fc.constant('x'.repeat(50_000)), weight: 1},
    {
      arbitrary: fc.integer({min: 1, max: 1500}).map((depth) => nesting[0].repeat(depth) + nesting[1].repeat(depth)),
      weight: 1,
    },
    {arbitrary: fc.integer({min: 1, max: 1500}).map((depth) => nesting[0].repeat(depth)), weight: 1},
  );
  return fc.oneof(
    {
      arbitrary: fc.record({
        op: fc.constant('delete' as const),
        at: fc.nat(),
        length: fc.oneof(fc.integer({min: 1, max: 4}), fc.integer({min: 1, max: 400})),
      }),
      weight: 4,
    },
    {arbitrary: fc.record({op: fc.constant('insert' as const), at: fc.nat(), text: inserted}), weight: 8},
    {arbitrary: fc.record({op: fc.constant('duplicate-line' as const), line: fc.nat()}), weight: 1},
    {arbitrary: fc.record({op: fc.constant('delete-line' as const), line: fc.nat()}), weight: 1},
    {arbitrary: fc.record({op: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat()}), weight: 1},
    {arbitrary: fc.record({op: fc.constant('swap-chars' as const), at: fc.nat()}), weight: 1},
    {
      arbitrary: fc.record({op: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({min: -4, max: 4})}),
      weight: 1,
    },
    {arbitrary: fc.constant({op: 'crlf' as const}), weight: 1},
    {arbitrary: fc.constant({op: 'bom' as const}), weight: 1},
  );
}

/** Replace the value of the n-th JSX attribute of a template (`name="…"` or `name={…}` with no nested braces). */
export function replaceAttribute(text: string, index: number, value: string): string {
  const attributes = [...text.matchAll(/\b([a-zA-Z]+)=("[^"\n]*"|\{[^{}\n]*\})/g)];
  if (attributes.length === 0) return text;
  const match = attributes[index % attributes.length]!;
  const start = match.index + match[1]!.length + 1;
  return text.slice(0, start) + value + text.slice(start + match[2]!.length);
}

// ---------------------------------------------------------------------------
// Checks

/**
 * Whether every message of a run is in one of `texts`' files (path → the
 * text the tool read) at a line and column inside it: the start and the end
 * of its place, lines 1-based up to the file's line count, columns up to one
 * past the end of the line. Messages about folders (`io-error`) and about
 * the environment are allowed `files` without a place. Lines end at CRLF, LF
 * or a lone CR, as editors count them. Returns the problems.
 */
export function misplacedMessages(
  diagnostics: Diagnostics,
  texts: ReadonlyMap<string, string>,
  unplaced: ReadonlySet<string> = new Set(),
): string[] {
  const problems: string[] = [];
  for (const file of diagnostics.files) {
    for (const message of file.messages) {
      const where = `${file.path}: ${message.reason} (${message.ruleId})`;
      const text = texts.get(file.path ?? '');
      if (text === undefined) {
        if (!unplaced.has(file.path ?? '')) problems.push(`${where}: not a file of the project`);
        continue;
      }
      const place = message.place;
      if (!place) {
        problems.push(`${where}: no line and column`);
        continue;
      }
      const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
      const points = 'start' in place ? [place.start, place.end] : [place];
      for (const point of points) {
        const line = lines[point.line - 1];
        if (
          !Number.isInteger(point.line) ||
          !Number.isInteger(point.column) ||
          line === undefined ||
          point.column < 1 ||
          point.column > line.length + 1
        ) {
          problems.push(
            `${where}: at ${point.line}:${point.column}, outside the file (${lines.length} lines${line === undefined ? '' : `, line ${point.line} has ${line.length} characters`})`,
          );
        }
      }
    }
  }
  return problems;
}

/** Paths (`a.b[2]`) of the numbers in a value that are NaN, or infinite when `finite`, to a depth. */
export function badNumbers(value: unknown, finite: boolean, path = '', seen = new Set<object>()): string[] {
  if (typeof value === 'number')
    return Number.isNaN(value) || (finite && !Number.isFinite(value)) ? [`${path || '(value)'} = ${value}`] : [];
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  const entries = Array.isArray(value)
    ? value.map((item, index) => [`[${index}]`, item] as const)
    : Object.entries(value).map(([key, item]) => [`.${key}`, item] as const);
  return entries.flatMap(([key, item]) => badNumbers(item, finite, `${path}${key}`, seen));
}

// ---------------------------------------------------------------------------
// Hangs

/**
 * A watchdog on a thread of its own: `arm` before a case and `disarm` after
 * it. A case still running after `limitMs` is a hang, which no timer on the
 * blocked main thread could report (a loop in synchronous code never yields):
 * the watchdog writes the case to stderr (with a synchronous write, as the
 * worker's own stream goes through the blocked thread) and kills the
 * process, so the test fails rather than never ending.
 */
export class Watchdog {
  readonly #worker: Worker;

  constructor(readonly limitMs: number) {
    this.#worker = new Worker(
      `
      const {parentPort} = require('node:worker_threads');
      const {writeSync} = require('node:fs');
      let timer;
      parentPort.on('message', (message) => {
        clearTimeout(timer);
        if (message.type !== 'arm') return;
        timer = setTimeout(() => {
          writeSync(2, '\\nfuzz: a case ran for more than ' + message.limitMs + ' ms; the tool hangs on:\\n' + message.label + '\\n');
          process.kill(process.pid, 'SIGKILL');
        }, message.limitMs);
      });
      `,
      {eval: true},
    );
    this.#worker.unref();
  }

  arm(label: () => string): void {
    this.#worker.postMessage({type: 'arm', limitMs: this.limitMs, label: label()});
  }

  disarm(): void {
    this.#worker.postMessage({type: 'disarm'});
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

/** Write to stderr now (tests' console output is buffered). */
export function note(text: string): void {
  writeSync(2, `${text}\n`);
}
