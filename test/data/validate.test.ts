import {describe, expect, it} from 'vitest';
import {z} from 'zod';
import {uncertain} from '../../src/data/schemas/uncertain.js';
import {validateAt} from '../../src/data/validate.js';
import {parseYamlSource, yamlData} from '../../src/data/yaml-source.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';

// The shape of a demand scenario's `pass_through`: an uncertain number, or one with its own source.
const share = uncertain(z.number().gte(0).lte(1));
const schema = z.strictObject({pass_through: z.union([share, z.strictObject({value: share, source: z.string()})])});

/** The messages validating `text` against the schema gives, as `line:column reason`. */
function messagesOf(text: string): string[] {
  const diagnostics = new Diagnostics();
  const source = parseYamlSource('scenario.yaml', text, diagnostics);
  if (!source) throw new Error('the YAML should parse');
  const data = yamlData(source, diagnostics);
  validateAt(schema, data?.value, source, [], diagnostics);
  return diagnostics.files.flatMap((file) =>
    file.messages.map((message) => `${message.line}:${message.column} ${message.reason}`),
  );
}

describe('validate: a union explains the branch the value came closest to', () => {
  it('reads a misspelt key of `{value, source}` as that branch, not as a distribution missing `dist`', () => {
    expect(messagesOf('pass_through:\n  valu: {low: 0.5, mode: 0.9, high: 1}\n  source: "[?] assumed"\n')).toEqual([
      '2:3 Unknown field `valu` in `pass_through`, did you mean `value`?',
    ]);
  });

  it('reads a misspelt triangular bound as the triangular branch', () => {
    expect(messagesOf('pass_through: {lo: 0.5, mode: 0.9, high: 1}\n')).toEqual([
      '1:16 Unknown field `lo` in `pass_through`, did you mean `low`?',
    ]);
  });

  it('names the distributions when the value picks one by `dist`', () => {
    expect(messagesOf('pass_through: {dist: gamma, low: 0.5, high: 1}\n')).toEqual([
      expect.stringMatching(/^1:\d+ `pass_through.dist`: expected one of `uniform`, `normal`, `lognormal`/),
    ]);
  });

  it('says a number is expected of a scalar that is none', () => {
    expect(messagesOf('pass_through: lots\n')).toEqual([expect.stringMatching(/^1:15 .*expected number/)]);
  });
});
