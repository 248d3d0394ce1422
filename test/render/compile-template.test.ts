import path from 'node:path';
import {VFile} from 'vfile';
import {describe, expect, it} from 'vitest';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {compileTemplate, inDevelopment, sourceMapOf} from '../../src/render/compile-template.js';
import {evaluateTemplate} from '../../src/render/evaluate-template.js';
import type {Props} from '../../src/render/jsx-runtime.js';
import {prepareTemplate} from '../../src/render/prepare-template.js';
import {evaluateReport} from '../../src/render/render-report.js';
import {TemplateError} from '../../src/render/template-error.js';
import {createTemplateScope} from '../../src/render/template-scope.js';
import {REPO_ROOT} from '../helpers/project.js';

const TEMPLATE = [
  '---',
  'title: T',
  'summary: s',
  '---',
  '',
  'export const check = (value) => {',
  '  if (value > 1) throw new Error(`too big: ${value}`)',
  '  return value',
  '}',
  '',
  '# Title',
  '',
  'Value: {check(2)}.',
  '',
].join('\n');

describe('compiled templates', () => {
  it('carry their source and no source map: one is made again, for the same code, only when asked', async () => {
    const compiled = await compileTemplate(new VFile({path: 'templates/t.mdx', value: TEMPLATE}));
    expect(compiled.source).toEqual({path: 'templates/t.mdx', text: TEMPLATE});
    expect(Object.keys(compiled)).not.toContain('sourceMap');
    const map = await sourceMapOf(compiled);
    expect(map?.sources).toEqual(['templates/t.mdx']);
    expect(await sourceMapOf({...compiled, code: `${compiled.code}\n`})).toBeUndefined();
  });

  it('place an error thrown inside an export block where it was thrown, with the map made then', async () => {
    const compiled = await compileTemplate(new VFile({path: 'templates/t.mdx', value: TEMPLATE}));
    const error = await evaluateTemplate(compiled, {}, {}).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).message).toBe('too big: 2');
    // On line 7, where the source map places the `throw` (as it did when every compile made a map), not
    // at the expression on line 13 that called it.
    expect((error as TemplateError).place).toEqual({line: 7, column: 15});
  });
});

/** A template whose component on line 7 (column 3, in a list item) and `<div>` on line 9 stop it, as asked. */
const STOPPING = (stop: 'component' | 'element' | 'none') =>
  [
    '---',
    'title: T',
    'summary: s',
    '---',
    '',
    '- one',
    `- <Boom stop={${stop === 'component'}} n={1} />`,
    '',
    stop === 'element' ? '<div style="color: red">x</div>' : '<div>x</div>',
    '',
  ].join('\n');

describe('templates compiled in production mode', () => {
  it('carry no element places in their code; compiled again in development mode, they do', async () => {
    const compiled = await compileTemplate(new VFile({path: 'templates/t.mdx', value: STOPPING('none')}));
    expect(compiled.development).toBe(false);
    expect(compiled.code).not.toContain('jsxDEV');
    const development = await inDevelopment(compiled);
    expect(development?.development).toBe(true);
    expect(development?.code).toContain('lineNumber: 9');
    expect(await inDevelopment(development!)).toBe(development);
  });

  it("place a component's error at its tag, and give the component its place and its own props only", async () => {
    const seen: Array<{keys: string[]; place: unknown}> = [];
    const Boom = (props: Props, place: unknown) => {
      seen.push({keys: Object.keys(props), place});
      if (props.stop) throw new Error('boom');
      return null;
    };
    for (const development of [false, true]) {
      const text = STOPPING('component');
      const compiled = await compileTemplate(new VFile({path: 'templates/t.mdx', value: text}), development);
      const error = await evaluateTemplate(compiled, {}, {Boom}).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).message).toBe('boom');
      expect((error as TemplateError).place).toEqual({line: 7, column: 3});
    }
    expect(seen).toEqual([
      {keys: ['stop', 'n'], place: {line: 7, column: 3}},
      {keys: ['stop', 'n'], place: {line: 7, column: 3}},
    ]);
  });

  it("place an element's error by running the template again in development mode", async () => {
    const catalog = await loadCheckedCatalog(
      path.join(REPO_ROOT, 'test', 'fixtures', 'bad-inputs', '_base'),
      new Diagnostics(),
    );
    const scope = createTemplateScope(catalog);
    const text = STOPPING('element').replace(/^- <Boom.*$/m, '- two');
    const prepared = await prepareTemplate('templates/t.mdx', text, new Diagnostics());
    expect(prepared?.compiled.development).toBe(false);
    // Run as compiled, the error has no place: its element's is only in development mode's code.
    const unplaced = await evaluateTemplate(prepared!.compiled, {}, {}).catch((thrown: unknown) => thrown);
    expect((unplaced as TemplateError).place).toBeUndefined();
    const {page, diagnostics} = await evaluateReport(prepared!, scope, catalog);
    expect(page).toBeUndefined();
    const [message] = diagnostics.files.flatMap((file) => file.messages);
    expect(message?.reason).toMatch(/^Inline `style` on <div>/);
    expect([message?.line, message?.column]).toEqual([9, 1]);
  });
});
