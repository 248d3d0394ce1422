/**
 * The search engine, loaded by the site's script on first use with the
 * site's index (`search-index.js`, built at build time): MiniSearch (no
 * dependencies, no eval, no fetch, so it works from disk and within the
 * site's Content-Security-Policy). Words match by prefix and with a little
 * fuzziness; section titles weigh more than report titles, which weigh more
 * than text.
 */
import MiniSearch, {type AsPlainObject, type Options} from 'minisearch';

interface Payload {
  readonly options: Options;
  readonly index: AsPlainObject;
}

interface Stored {
  readonly url: string;
  readonly page: string;
  readonly title: string;
  readonly excerpt: string;
}

(globalThis as {tradeoffsSearchEngine?: unknown}).tradeoffsSearchEngine = (payload: Payload) => {
  const search = MiniSearch.loadJS(payload.index, payload.options);
  return (query: string): Stored[] =>
    search.search(query, {prefix: true, fuzzy: 0.2, combineWith: 'AND', boost: {title: 3, page: 2}}).map((result) => {
      const stored = result as unknown as Stored;
      return {url: stored.url, page: stored.page, title: stored.title, excerpt: stored.excerpt};
    });
};
