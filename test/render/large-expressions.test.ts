import {describe, expect, it} from 'vitest';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {largeExpressions} from '../../src/render/large-expressions.js';
import {prepareTemplate} from '../../src/render/prepare-template.js';

const rows = (count: number) =>
  JSON.stringify(Array.from({length: count}, (_, index) => ({chip: `chip-${index}`, days: index * 1.5})));

describe('large expressions', () => {
  it('finds a braced expression over the limit, with its offset', () => {
    const text = `---\ntitle: "{not an expression}"\n---\n\nText {1 + 1}.\n\n<Chart spec={{data: {values: ${rows(10)}}}} />\n`;
    const [found, ...rest] = largeExpressions(text, 100);
    expect(rest).toEqual([]);
    expect(text.slice(found?.offset, (found?.offset ?? 0) + (found?.length ?? 0))).toMatch(/^\{\{data: .*\}\}$/);
  });

  it('skips code, export blocks, strings, template literals and comments', () => {
    const big = 'x'.repeat(200);
    const text = [
      `export const rows = [{a: '${big}'}]`,
      '',
      '```js',
      `{${big}}`,
      '```',
      '',
      `Inline \`{${big}}\` code.`,
      '',
      `{"}" + '{' + \`\${"}"}{\` /* } */ + 1}`,
      '',
    ].join('\n');
    expect(largeExpressions(text, 100)).toEqual([]);
  });

  it('reads a 1.3 MB literal in linear time, and the template is refused at once with where to put the data', async () => {
    const text = `---\ntitle: T\nsummary: s\n---\n\n<Chart spec={{data: {values: ${rows(40_000)}}, mark: 'point'}} />\n`;
    expect(text.length).toBeGreaterThan(1_200_000);
    const diagnostics = new Diagnostics();
    const started = performance.now();
    expect(await prepareTemplate('templates/x.mdx', text, diagnostics)).toBeUndefined();
    // Compiling it would take minutes; refusing it is a scan (well under a second, with room for a busy machine).
    expect(performance.now() - started).toBeLessThan(5000);
    const [message] = diagnostics.files[0]?.messages ?? [];
    expect(message?.place).toEqual({line: 6, column: 13});
    expect(message?.reason).toMatch(/expected at most 24 KB.*data: \{url: 'data\/rows.csv'\}.*export const rows/);
  });

  it('compiles a template whose data is in an export block', async () => {
    const text = `---\ntitle: T\nsummary: s\n---\n\nexport const rows = ${rows(600)}\n\n<Chart spec={{data: {values: rows}, mark: 'point'}} />\n`;
    const diagnostics = new Diagnostics();
    expect(await prepareTemplate('templates/x.mdx', text, diagnostics)).toBeDefined();
    expect(diagnostics.hasErrors).toBe(false);
  });
});
