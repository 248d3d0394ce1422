import {describe, expect, it} from 'vitest';
import {DelegatingMap} from '../../src/data/delegating-map.js';

/** A view that answers lookups itself and counts the reads of the whole map. */
class CountingMap extends DelegatingMap<number> {
  wholeReads = 0;

  constructor(private readonly inner: ReadonlyMap<string, number>) {
    super();
  }

  get(key: string): number | undefined {
    return this.inner.get(key);
  }

  has(key: string): boolean {
    return this.inner.has(key);
  }

  protected whole(): ReadonlyMap<string, number> {
    this.wholeReads++;
    return this.inner;
  }
}

describe('DelegatingMap', () => {
  it('answers size, iteration and forEach from the whole map, passing itself to forEach', () => {
    const map = new CountingMap(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    expect(map.size).toBe(2);
    expect([...map]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect([...map.keys()]).toEqual(['a', 'b']);
    expect([...map.values()]).toEqual([1, 2]);
    const seen: Array<[string, number, boolean]> = [];
    map.forEach((value, key, owner) => seen.push([key, value, owner === map]));
    expect(seen).toEqual([
      ['a', 1, true],
      ['b', 2, true],
    ]);
    expect(map.wholeReads).toBe(5);
    expect(map.get('a')).toBe(1);
    expect(map.wholeReads).toBe(5);
  });
});
