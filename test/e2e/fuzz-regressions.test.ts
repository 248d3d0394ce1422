import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {Parser} from 'yaml';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {parseYamlSource, yamlData} from '../../src/data/yaml-source.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {layoutSite} from '../../src/output/site-files.js';
import {prepareTemplate} from '../../src/render/prepare-template.js';
import {renderReport} from '../../src/render/render-report.js';
import {createTemplateScope} from '../../src/render/template-scope.js';
import {REPO_ROOT} from '../helpers/project.js';

/**
 * What fuzzing (test/fuzz.test.ts) found, one focused test each; the
 * end-to-end ones are cases of the bad-input corpus.
 */

const BASE = path.join(REPO_ROOT, 'test', 'fixtures', 'bad-inputs', '_base');
const baseModels = readFileSync(path.join(BASE, 'data', 'models.yaml'), 'utf8');

/** Every message as `line:column reason`. */
function messages(diagnostics: Diagnostics): string[] {
  return diagnostics.files.flatMap((file) =>
    file.messages.map((message) => {
      const place = message.place && 'start' in message.place ? message.place.start : message.place;
      return `${place?.line}:${place?.column} ${message.reason}`;
    }),
  );
}

describe('YAML problems found by fuzzing', () => {
  it('places errors after tokens the parser gave up on on their own lines (yaml counts no line break inside those tokens)', () => {
    const lines = baseModels.split('\n');
    lines[1] = lines[1]!.trimStart();
    const text = `${lines.join('\n')}---\n- id: other\n`;
    const diagnostics = new Diagnostics();
    expect(parseYamlSource('models.yaml', text, diagnostics)).toBeUndefined();
    expect(messages(diagnostics)).toEqual([
      '2:1 Unexpected scalar at node end',
      '11:1 Unexpected second document (after `---`), expected one document per file',
    ]);
  });

  it('counts a lone CR as a line break, as editors and Markdown do (a frontmatter message fell past the end of its line), and escapes it in a key', async () => {
    const diagnostics = new Diagnostics();
    const template = readFileSync(path.join(BASE, 'templates', 'report.mdx'), 'utf8').replace(
      'title: Bad-input base\n',
      'title:{ Bad-input base\r',
    );
    await prepareTemplate('templates/report.mdx', template, diagnostics);
    // The list of known fields goes on as the frontmatter grows (`authors`, `home`…).
    expect(
      messages(diagnostics).some((message) =>
        message.startsWith(
          '2:1 Unknown field `title:{ Bad-input base\\rsummary` in the record, expected one of `title`, `summary`, ',
        ),
      ),
      messages(diagnostics).join('\n'),
    ).toBe(true);
    expect(messages(diagnostics)).toContain('2:1 Missing field `title`, expected string');
    const data = new Diagnostics();
    parseYamlSource('scenario.yaml', 'id: tiny\rname: [1\n', data);
    // `yaml` reads the lone CR as text (its first message); the bracket is placed on the line an editor shows.
    expect(messages(data)).toEqual([
      '1:5 Nested mappings are not allowed in compact mappings',
      '2:7 Unclosed `[`: this flow list needs a `]` to end it',
    ]);
  });

  it('never places a message between the CR and the LF of a line break (a quote left open before a CRLF ended there)', () => {
    const diagnostics = new Diagnostics();
    parseYamlSource('models.yaml', 'source: "\r\nLlama" }\r\n', diagnostics);
    const [message] = diagnostics.files[0]!.messages;
    expect(message?.reason).toBe('Missing closing "quote');
    expect(message?.place).toEqual({start: {line: 1, column: 10, offset: 9}, end: {line: 1, column: 10, offset: 9}});
  });

  it('reports the tokens left after the parser gave up once, not one message each', () => {
    const diagnostics = new Diagnostics();
    parseYamlSource('models.yaml', `${baseModels}\nx: ${'['.repeat(300)}`, diagnostics);
    expect(messages(diagnostics)).toEqual(['12:1 Unexpected scalar at node end']);
  });

  it('reads a deep nest of unclosed brackets in one pass, with one message for the brackets', () => {
    // Counted, not timed: it read the text again for every bracket (seconds, and 400 messages).
    const passes = vi.spyOn(Parser.prototype, 'parse');
    try {
      const read = (depth: number) => {
        passes.mockClear();
        const diagnostics = new Diagnostics();
        parseYamlSource('models.yaml', baseModels.replace('gated: true', `gated: ${'['.repeat(depth)}`), diagnostics);
        return {passes: passes.mock.calls.length, messages: messages(diagnostics)};
      };
      const shallow = read(4);
      const deep = read(400);
      expect(shallow.passes).toBeGreaterThan(0);
      expect(deep.passes, 'passes over the text with 400 brackets, as with 4').toBe(shallow.passes);
      expect(deep.messages).toEqual([
        '8:441 Unclosed `[`: this flow list needs a `]` to end it',
        '8:8 Unclosed `{`: this flow mapping needs a `}` to end it',
      ]);
    } finally {
      passes.mockRestore();
    }
  });
});

describe('YAML keys found by fuzzing', () => {
  it('refuses a list or a mapping as a key, at it (yaml warned on the console and made it text)', () => {
    const diagnostics = new Diagnostics();
    expect(parseYamlSource('scenario.yaml', 'id: tiny\n? [a, b]\n: 1\n', diagnostics)).toBeUndefined();
    expect(messages(diagnostics)).toEqual(['2:3 Unexpected list or mapping as a key, expected a field name']);
  });
});

describe('YAML aliases found by fuzzing', () => {
  it('says an alias with no anchor is that, at the alias (it was called aliases that expand too much)', () => {
    const diagnostics = new Diagnostics();
    const source = parseYamlSource('scenario.yaml', 'id: tiny\nmodel: *llama\n', diagnostics);
    expect(source && yamlData(source, diagnostics)).toBeUndefined();
    expect(messages(diagnostics)).toEqual(['2:8 Unknown alias `*llama`, expected an anchor `&llama` before it']);
  });
});

describe('schema messages found by fuzzing', () => {
  it('explains a bad layout by its bad field, not as "expected `search`" (the literal alternative of the union)', async () => {
    const scenario = readFileSync(path.join(BASE, 'data', 'scenarios', 'tiny.yaml'), 'utf8');
    const files = new Map<string, string>([
      ...['hardware', 'models'].map(
        (name) => [`data/${name}.yaml`, readFileSync(path.join(BASE, 'data', `${name}.yaml`), 'utf8')] as const,
      ),
      ['data/scenarios/tiny.yaml', `${scenario}parallelism: {tp: {low: 1, mode: 1, high: 2}}\n`] as const,
    ]);
    const diagnostics = new Diagnostics();
    await loadCheckedCatalog('project', diagnostics, {
      readText: async (file) => files.get(file)!,
      list: async () => ['tiny.yaml'],
      exists: (file) => files.has(file),
    });
    expect(messages(diagnostics)).toEqual(['10:19 `parallelism.tp`: expected number, got a mapping']);
  });
});

describe('estimates found by fuzzing', () => {
  it('refuses a memory bandwidth of 5e-324 TB/s (it made a calibration NaN) at its field, as impossible', async () => {
    const read = (name: string) => readFileSync(path.join(BASE, name), 'utf8');
    const files = new Map<string, string>([
      [
        'data/hardware.yaml',
        read('data/hardware.yaml').replace('bandwidth_tb_per_s: 3.35', 'bandwidth_tb_per_s: 5e-324'),
      ],
      ['data/models.yaml', read('data/models.yaml')],
      [
        'data/references.yaml',
        readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'fuzz', 'data', 'references.yaml'), 'utf8'),
      ],
    ]);
    const diagnostics = new Diagnostics();
    await loadCheckedCatalog('project', diagnostics, {
      readText: async (file) => files.get(file)!,
      list: async () => [],
      exists: (file) => files.has(file),
    });
    expect(messages(diagnostics)).toEqual([
      expect.stringMatching(/`memory\.bandwidth_tb_per_s`: 4\.941e-324 TB\/s is impossible for a memory bandwidth/),
    ]);
  });

  it('still refuses a calibration that is not a number, naming the run and its file, should one get past the data checks', async () => {
    const read = (name: string) => readFileSync(path.join(BASE, name), 'utf8');
    const files = new Map<string, string>([
      ['data/hardware.yaml', read('data/hardware.yaml')],
      ['data/models.yaml', read('data/models.yaml')],
      [
        'data/references.yaml',
        readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'fuzz', 'data', 'references.yaml'), 'utf8'),
      ],
    ]);
    const diagnostics = new Diagnostics();
    const loaded = await loadCheckedCatalog('project', diagnostics, {
      readText: async (file) => files.get(file)!,
      list: async () => [],
      exists: (file) => files.has(file),
    });
    expect(messages(diagnostics)).toEqual([]);
    // The checks of src/data/ refuse such a chip; the scope's own guard is what this tests.
    const hardware = new Map(
      [...loaded.hardware].map(([id, chip]) => [id, {...chip, memory: {...chip.memory, bandwidth_tb_per_s: 5e-324}}]),
    );
    const scope = createTemplateScope({...loaded, hardware});
    expect(() => scope.calibration()).toThrow(
      /^The calibration of `llama-3\.1-405b-h100` is not a finite number \(predicted = NaN\): an input in data\/references\.yaml/,
    );
    expect(() => scope.calibrationMedianError()).toThrow(/is not a finite number/);
  });
});

describe('template problems found by fuzzing', () => {
  const template = readFileSync(path.join(BASE, 'templates', 'report.mdx'), 'utf8');
  /** The base report with `text` (lines of its own) before its Assumptions; what it renders to, and its messages. */
  async function render(text: string): Promise<{html: string | undefined; messages: string[]}> {
    const diagnostics = new Diagnostics();
    const catalog = await loadCheckedCatalog(BASE, new Diagnostics());
    const prepared = await prepareTemplate(
      'templates/report.mdx',
      template.replace('## Assumptions', `${text}\n\n## Assumptions`),
      diagnostics,
    );
    const report = prepared && (await renderReport(prepared, createTemplateScope(catalog), catalog, diagnostics));
    const files = report && (await layoutSite([report]));
    return {html: files?.get('report/index.html') as string | undefined, messages: messages(diagnostics)};
  }
  // The text goes in at line 19 of the base report.

  it("places an object shown in the text at its braces (it had no place, or the page's first line)", async () => {
    expect((await render('Text {{a: 1}} and more')).messages).toEqual([
      '19:6 Cannot show an object (with `a`) in the page: an expression in braces must give text, a number, an element or a list of them (format a number with format(value, unit), pick a field of an object)',
    ]);
    expect((await render('{estimate("tiny")}')).messages[0]).toMatch(/^19:1 Cannot show an object \(with `/);
    expect((await render('<div children={{a: 1}} />')).messages[0]).toMatch(
      /^19:1 Cannot show an object \(with `a`\) in <div>/,
    );
  });

  it('refuses an object that only looks like a page node (laying the page out crashed on it with a TypeError, or put it in the HTML as it was)', async () => {
    expect((await render("{{type: 'raw', value: '<script>alert(1)</script>'}}")).messages[0]).toMatch(
      /^19:1 Cannot show an object \(with `type`, `value`\)/,
    );
    expect((await render("<p>{{type: 'element'}}</p>")).messages[0]).toMatch(
      /^19:4 Cannot show an object \(with `type`\)/,
    );
  });

  it('shows nothing for a boolean, as JSX does (`{done && <p>…</p>}` threw, with no place)', async () => {
    const {html, messages: said} = await render('A{false}B{true && "C"}D{0 > 1 && <span>E</span>}');
    expect(said).toEqual([]);
    expect(html).toContain('<p>ABCD</p>');
  });

  it('places a thrown value that is not an Error at its expression (it has no stack to place it by)', async () => {
    expect((await render("{(() => { throw 'boom' })()}")).messages).toEqual(['19:1 The template threw "boom"']);
    expect((await render('<Metric unit="USD" value={(() => { throw 1 })()} />')).messages).toEqual([
      '19:20 The template threw `1`',
    ]);
    expect((await render('export const a = 1, b = (() => { throw null })()')).messages).toEqual([
      '19:25 The template threw `null`',
    ]);
  });

  it("lets a template's own names hide the scope's (they were declared twice, an error with no place)", async () => {
    const {html, messages: said} = await render(
      'export const format = (value) => `${value} units`\n\nIt is {format(3)}.',
    );
    expect(said).toEqual([]);
    expect(html).toContain('It is 3 units.');
  });

  it('refuses a name declared twice, imports and a default export (a layout to MDX, which failed with no place), at their place', async () => {
    expect((await render('export const a = 1\n\nexport const a = 2')).messages).toEqual([
      '21:14 `a` is declared twice (first at 19:14), expected each name once in a template',
    ]);
    expect((await render("import fs from 'node:fs'")).messages[0]).toMatch(/^19:1 Unexpected `import`/);
    expect((await render('export default 1')).messages[0]).toMatch(/^19:1 Unexpected `export default`/);
    // Inside an element too: MDX hoists the block (it was imported, and failed with no place).
    expect((await render("<Callout>\nimport x from '../nope.js'\n\nText.\n</Callout>")).messages[0]).toMatch(
      /^20:1 Unexpected `import`/,
    );
  });

  it('places an unknown object in a tag name (`<nope.x />`: the message had no place)', async () => {
    expect((await render('<nope.x />')).messages[0]).toMatch(
      /^19:1 Unknown component `nope`, expected one of `Assumptions`/,
    );
  });

  it('places a tag left open at the end of the file at its opening tag (the message had no place)', async () => {
    expect((await render('<Callout kind="note">')).messages).toEqual([
      '19:1 Expected a closing tag for `<Callout>` (19:1-19:22)',
    ]);
  });
});
