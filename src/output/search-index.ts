import MiniSearch from 'minisearch';
import type {SearchDocument} from '../render/search-documents.js';

/** How the index is built; the browser loads it with the same options, which the index file carries. */
const INDEX_OPTIONS = {
  fields: ['title', 'page', 'text'],
  storeFields: ['url', 'page', 'title', 'excerpt'],
} as const;

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
  const search = new MiniSearch<SearchDocument>({
    ...INDEX_OPTIONS,
    fields: [...INDEX_OPTIONS.fields],
    storeFields: [...INDEX_OPTIONS.storeFields],
  });
  search.addAll([...documents]);
  const payload = {options: INDEX_OPTIONS, index: search.toJSON()};
  // `<` escaped as in the pages' JSON blocks: harmless in a script file, and the same text everywhere.
  return `globalThis.tradeoffsSearch = ${JSON.stringify(payload).replace(/</g, '\\u003c')};\n`;
}
