import {VFile} from 'vfile';
import {describe, expect, it} from 'vitest';
import {compileTemplate, sourceMapOf} from '../../src/render/compile-template.js';
import {evaluateTemplate} from '../../src/render/evaluate-template.js';
import {TemplateError} from '../../src/render/template-error.js';

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
