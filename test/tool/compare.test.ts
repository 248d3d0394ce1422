import {describe, expect, it} from 'vitest';
import {byKey, compareText} from '../../src/tool/compare.js';

describe('compareText', () => {
  it('orders by code units, as a sort without a comparator does, whatever the locale', () => {
    const words = ['b', 'B', 'a-b', 'a_b', 'ä', 'a', 'A10', 'A9', ''];
    expect([...words].sort(compareText)).toEqual([...words].sort());
    expect(compareText('x', 'x')).toBe(0);
    expect(compareText('Z', 'a')).toBeLessThan(0);
  });
});

describe('byKey', () => {
  it('orders items by a text key', () => {
    const items = [{name: 'c'}, {name: 'a'}, {name: 'b'}];
    expect(items.sort(byKey((item) => item.name)).map((item) => item.name)).toEqual(['a', 'b', 'c']);
  });
});
