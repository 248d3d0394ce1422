// The site's search index is made a report at a time as the pages are written: the same script as all at once.
import MiniSearch from 'minisearch';
import {describe, expect, it} from 'vitest';
import {searchIndexer, searchIndexScript} from '../../src/output/search-index.js';
import type {SearchDocument} from '../../src/render/search-documents.js';
import {seededRandom} from '../../src/uncertain/random.js';

const section = (page: string, id: string, text: string): SearchDocument => ({
  id: `${page}/index.html#${id}`,
  url: `${page}/index.html#${id}`,
  page,
  title: id,
  text,
  excerpt: text.slice(0, 20),
});

const reports: SearchDocument[][] = [
  [section('a', 'cost', 'GPU hours and the cost of a run'), section('a', 'energy', 'energy per token <b>')],
  [],
  [section('b', 'memory', 'memory per GPU by component'), section('b', 'cost', 'cost on other hardware')],
];

describe('searchIndexer', () => {
  it('makes, a report at a time, the script searchIndexScript makes of them all', () => {
    const indexer = searchIndexer();
    for (const documents of reports) indexer.add(documents);
    expect(indexer.count).toBe(4);
    expect(indexer.script()).toBe(searchIndexScript(reports.flat()));
  });

  it('depends on the order the reports come in (the site gives them in its order)', () => {
    const indexer = searchIndexer();
    for (const documents of [...reports].reverse()) indexer.add(documents);
    expect(indexer.script()).not.toBe(searchIndexScript(reports.flat()));
  });
});

/** The script of MiniSearch's own index of the documents (its `addAll`, the options the site's index is made with). */
function miniSearchScript(documents: readonly SearchDocument[]): string {
  const options = {fields: ['title', 'page', 'text'], storeFields: ['url', 'page', 'title', 'excerpt']};
  const search = new MiniSearch<SearchDocument>(options);
  search.addAll([...documents]);
  const payload = {options, index: search.toJSON()};
  return `globalThis.tradeoffsSearch = ${JSON.stringify(payload).replace(/</g, '\\u003c')};\n`;
}

describe('the search index', () => {
  it('is MiniSearch’s, byte for byte', () => {
    expect(searchIndexScript(reports.flat())).toBe(miniSearchScript(reports.flat()));
  });

  it('is MiniSearch’s for texts of any words: cases, shared prefixes, repeats, punctuation, empty fields', () => {
    const words = [
      'GPU',
      'gpu',
      'GPUs',
      'g',
      'hours',
      'hour',
      'H100',
      'h800',
      'ho',
      'Über',
      'über',
      'cost',
      'co',
      'costs',
      '—',
      ',',
      ' ',
      '\n',
      '',
      'İ',
      'ß',
      'e\u0301',
      '\u{1F600}',
      '\ud800',
      '<b>',
      '1.5×',
      '10%',
    ];
    const random = seededRandom(18);
    const text = (length: number) => {
      let value = '';
      for (let index = 0; index < length; index++)
        value += words[Math.floor(random() * words.length)] + (random() < 0.7 ? ' ' : '');
      return value;
    };
    for (let round = 0; round < 20; round++) {
      const documents = Array.from({length: 1 + Math.floor(random() * 8)}, (_, index) => ({
        ...section(`p${round}`, `s${index}`, text(Math.floor(random() * 40))),
        title: text(Math.floor(random() * 4)),
        page: text(Math.floor(random() * 3)),
      }));
      expect(searchIndexScript(documents)).toBe(miniSearchScript(documents));
    }
  });

  it('refuses a section added twice, as MiniSearch does', () => {
    const indexer = searchIndexer();
    indexer.add([section('a', 'cost', 'cost')]);
    expect(() => indexer.add([section('a', 'cost', 'other')])).toThrow(/duplicate ID/);
  });
});
