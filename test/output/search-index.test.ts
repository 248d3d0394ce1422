// The site's search index is made a report at a time as the pages are written: the same script as all at once.
import {describe, expect, it} from 'vitest';
import {searchIndexer, searchIndexScript} from '../../src/output/search-index.js';
import type {SearchDocument} from '../../src/render/search-documents.js';

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
