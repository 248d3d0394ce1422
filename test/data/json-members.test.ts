// Some members of a JSON object read from its bytes: the others skipped by their strings and brackets, never decoded.
import {describe, expect, it} from 'vitest';
import {jsonMembers} from '../../src/data/json-members.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const without = (skipped: string) => (key: string) => key !== skipped;

/** Values a scanner could stumble on: quotes, backslashes and brackets inside strings, non-ASCII, nesting. */
const TRICKY = {
  format: 1,
  reports: [
    {
      title: 'A "quoted" ] title } with \\ and \\" and ×–é 😀 [{',
      rows: [
        ['}', '{"x": [1]}'],
        ['\\', '"'],
      ],
    },
    [[], {}, [{'"]': '\\\\'}]],
  ],
  tool: {name: 'tradeoffs ] }', list: [1, -2.5e-3, true, false, null]},
  last: '\\',
};

describe('jsonMembers', () => {
  it('keeps the members asked for, as written, whatever the layout, and skips the others', () => {
    for (const text of [
      JSON.stringify(TRICKY),
      JSON.stringify(TRICKY, null, 1),
      `\uFEFF ${JSON.stringify(TRICKY, null, 3)}\n`,
    ]) {
      const {reports: _reports, ...rest} = TRICKY;
      expect(JSON.parse(jsonMembers(bytes(text), without('reports')) as string)).toEqual(rest);
      expect(JSON.parse(jsonMembers(bytes(text), (key) => key === 'tool') as string)).toEqual({tool: TRICKY.tool});
    }
    expect(jsonMembers(bytes('{"reports": [1, [2, {"a": "]"}]], "b": -1.5e3, "c": null}'), without('reports'))).toBe(
      '{"b": -1.5e3,"c": null}',
    );
    expect(jsonMembers(bytes(' { } '), () => true)).toBe('{}');
    expect(jsonMembers(bytes('{"a": 1}'), () => false)).toBe('{}');
  });

  it('is undefined for bytes that are not a JSON object', () => {
    for (const text of [
      '',
      '[]',
      'null',
      '"a"',
      '{',
      '{"a" 1}',
      '{"a": 1,}',
      '{"a": 1} x',
      '{"a": [1, 2}',
      '{"a": "\\',
      '{"a": "b\\"}',
      '{1: 2}',
    ])
      expect(
        jsonMembers(bytes(text), () => true),
        text,
      ).toBeUndefined();
    expect(jsonMembers(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), () => true)).toBeUndefined();
  });
});
