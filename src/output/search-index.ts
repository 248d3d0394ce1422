import MiniSearch from 'minisearch';
import type {SearchDocument} from '../render/search-documents.js';

/** How the index is built; the browser loads it with the same options, which the index file carries. */
const INDEX_OPTIONS = {
  fields: ['title', 'page', 'text'],
  storeFields: ['url', 'page', 'title', 'excerpt'],
} as const;

/** The site's search index made a report at a time: documents added in the site's order, then the script. */
export interface SearchIndexer {
  /** Add one report's sections (the next in the site's order). */
  add(documents: readonly SearchDocument[]): void;
  /** The sections added so far. */
  readonly count: number;
  /** The index of everything added, as the script searchIndexScript makes. */
  script(): string;
}

/**
 * A search index made as documents come: the site's pages hand it each
 * report's sections in turn while they are written, so no build holds
 * every report's text at once. MiniSearch's `addAll` adds one document after
 * the other: the same index as searchIndexScript of them all.
 */
export function searchIndexer(): SearchIndexer {
  const search = new MiniSearch<SearchDocument>({
    ...INDEX_OPTIONS,
    fields: [...INDEX_OPTIONS.fields],
    storeFields: [...INDEX_OPTIONS.storeFields],
  });
  let count = 0;
  return {
    add: (documents) => {
      search.addAll([...documents]);
      count += documents.length;
    },
    get count() {
      return count;
    },
    script: () => {
      const payload = {options: INDEX_OPTIONS, index: search.toJSON()};
      // `<` escaped as in the pages' JSON blocks: harmless in a script file, and the same text everywhere.
      return `globalThis.tradeoffsSearch = ${JSON.stringify(payload).replace(/</g, '\\u003c')};\n`;
    },
  };
}

/**
 * The site's search index as a script (`search-index.js`): MiniSearch's
 * index of every report's sections, built at build time, assigned to
 * `globalThis.tradeoffsSearch` with the options it was built with. A script
 * rather than JSON because a page opened from disk (`file://`) may load a
 * script of its folder but not fetch a file; the site's
 * Content-Security-Policy allows its own scripts. Deterministic: documents
 * in the site's order, MiniSearch's JSON in insertion order.
 */
export function searchIndexScript(documents: readonly SearchDocument[]): string {
  const indexer = searchIndexer();
  indexer.add(documents);
  return indexer.script();
}
