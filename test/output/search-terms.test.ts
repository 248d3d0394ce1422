// The search index's tokenizer: the tokens of MiniSearch's default split, counted in the order they first occur.
import {describe, expect, it} from 'vitest';
import {tokenCounts} from '../../src/output/search-terms.js';
import {seededRandom} from '../../src/uncertain/random.js';

/** MiniSearch's default tokenize (minisearch 7.2.0), counted. */
function splitCounts(text: string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const token of text.split(/[\n\r\p{Z}\p{P}]+/u)) counts.set(token, (counts.get(token) ?? 0) + 1);
  return [...counts];
}

describe('tokenCounts', () => {
  it('counts the tokens of the split, with the empty ones a text starting or ending at a separator makes', () => {
    expect([...tokenCounts('')]).toEqual([['', 1]]);
    expect([...tokenCounts(', ')]).toEqual([['', 2]]);
    expect([...tokenCounts('GPU-hours, GPU hours.')]).toEqual([
      ['GPU', 2],
      ['hours', 2],
      ['', 1],
    ]);
  });

  it('makes the split’s tokens of any text: astral punctuation, surrogate pairs and lone surrogates', () => {
    // Separators of every kind (Zs, Zl, Zp, P, astral Po), letters on and off the BMP, lone surrogates.
    const pieces = [
      'a',
      'B',
      'é',
      'İ',
      'ß',
      ' ',
      ',',
      '.',
      '-',
      '_',
      '\n',
      '\r',
      '\t',
      '\u00a0',
      '\u2028',
      '\u2029',
      '\u3000',
      '—',
      '«',
      '\u{10100}',
      '\u{16FE2}',
      '\u{1F600}',
      '\u{1D400}',
      '\ud800',
      '\udc00',
      '\udbff',
    ];
    const random = seededRandom(18);
    for (let round = 0; round < 5000; round++) {
      let text = '';
      const length = Math.floor(random() * 14);
      for (let index = 0; index < length; index++) text += pieces[Math.floor(random() * pieces.length)];
      expect([...tokenCounts(text)], JSON.stringify(text)).toEqual(splitCounts(text));
    }
  });
});
