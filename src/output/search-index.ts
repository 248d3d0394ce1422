import SearchableMap from 'minisearch/SearchableMap';
import type {SearchDocument} from '../render/search-documents.js';
import {tokenCounts} from './search-terms.js';

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
 * A term's postings: by field id, each document's short id and count of the
 * term, in pairs, in the order the documents came (a few numbers in an
 * array rather than MiniSearch's map of maps: at 200 reports the index is
 * most of what the build holds as it writes the site).
 */
type Postings = Array<number[] | undefined>;

/**
 * A search index made as documents come: the site's pages hand it each
 * report's sections in turn while they are written, so no build holds
 * every report's text at once.
 *
 * The index is MiniSearch's (minisearch 7.2.0, its default tokenizer and
 * lower-casing, the options above), made without its `add`: that walks
 * the index's radix tree once per word of the text, and at 200 reports
 * (3 million words) took about 2 s of the build, most of a one-report
 * edit's writing. Here each section's tokens are counted first
 * (tokenCounts), and the tree, MiniSearch's own SearchableMap, is walked
 * once per new term. What MiniSearch's `toJSON` writes depends on the
 * order terms first came (the tree's order) and on each document's counts,
 * not on the walks: the same JSON, byte for byte (test/output/search-index.test.ts
 * checks it against MiniSearch's `addAll`).
 */
export function searchIndexer(): SearchIndexer {
  const fieldIds: Record<string, number> = Object.fromEntries(INDEX_OPTIONS.fields.map((field, id) => [field, id]));
  const tree = new SearchableMap<Postings>();
  // The tree's values by term: a term seen before is found without walking the tree.
  const postingsOf = new Map<string, Postings>();
  const documentIds = new Map<number, string>();
  const ids = new Set<string>();
  const fieldLength = new Map<number, number[]>();
  const storedFields = new Map<number, Record<string, string>>();
  const averageFieldLength: number[] = [];
  let count = 0;
  const addDocument = (document: SearchDocument) => {
    if (ids.has(document.id)) throw new Error(`MiniSearch: duplicate ID ${document.id}`);
    ids.add(document.id);
    const shortId = count;
    count += 1;
    documentIds.set(shortId, document.id);
    const stored: Record<string, string> = {};
    for (const field of INDEX_OPTIONS.storeFields) stored[field] = document[field];
    storedFields.set(shortId, stored);
    const lengths: number[] = [];
    fieldLength.set(shortId, lengths);
    for (const field of INDEX_OPTIONS.fields) {
      const fieldId = fieldIds[field] as number;
      const tokens = tokenCounts(document[field]);
      // A field's length is its distinct tokens before lower-casing (MiniSearch's `new Set(tokens).size`).
      lengths[fieldId] = tokens.size;
      // MiniSearch's running average, in its order of operations (addFieldLength).
      averageFieldLength[fieldId] = ((averageFieldLength[fieldId] ?? 0) * (count - 1) + tokens.size) / count;
      // Lower-cased (MiniSearch's processTerm), in the order terms first occur; the empty token is no term.
      const terms = new Map<string, number>();
      for (const [token, occurrences] of tokens) {
        const term = token.toLowerCase();
        if (term) terms.set(term, (terms.get(term) ?? 0) + occurrences);
      }
      for (const [term, occurrences] of terms) {
        let postings = postingsOf.get(term);
        if (!postings) {
          postings = tree.fetch(term, () => []);
          postingsOf.set(term, postings);
        }
        const documents = postings[fieldId];
        if (documents) documents.push(shortId, occurrences);
        else postings[fieldId] = [shortId, occurrences];
      }
    }
  };
  return {
    add: (documents) => {
      for (const document of documents) addDocument(document);
    },
    get count() {
      return count;
    },
    script: () => {
      // MiniSearch's toJSON (serializationVersion 2), its members in its order.
      const index: Array<[string, Record<number, Record<number, number>>]> = [];
      for (const [term, postings] of tree) {
        // Objects with integer keys list them in ascending order, as MiniSearch's maps of ascending ids come out.
        const data: Record<number, Record<number, number>> = {};
        postings.forEach((documents, fieldId) => {
          if (!documents) return;
          const counts: Record<number, number> = {};
          for (let at = 0; at < documents.length; at += 2)
            counts[documents[at] as number] = documents[at + 1] as number;
          data[fieldId] = counts;
        });
        index.push([term, data]);
      }
      const json = {
        documentCount: count,
        nextId: count,
        documentIds: Object.fromEntries(documentIds),
        fieldIds,
        fieldLength: Object.fromEntries(fieldLength),
        averageFieldLength,
        storedFields: Object.fromEntries(storedFields),
        dirtCount: 0,
        index,
        serializationVersion: 2,
      };
      const payload = {options: INDEX_OPTIONS, index: json};
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
