/**
 * MiniSearch's default tokenizer, counted: `text.split(/[\n\r\p{Z}\p{P}]+/u)`
 * (its `tokenize`, minisearch 7.2.0 src/MiniSearch.ts, SPACE_OR_PUNCTUATION)
 * scanned a character at a time against a table of the separators, each
 * token counted as it is found rather than kept in an array. At 200 reports
 * the split was a third of the search index's time; the scan makes the same
 * tokens at about a third of its cost (test/output/search-terms.test.ts
 * checks it against the split).
 */

/** One separator: a line break, a space (Unicode Z) or a punctuation mark (Unicode P). */
const SEPARATOR = /^[\n\r\p{Z}\p{P}]$/u;

/** Per UTF-16 code unit: 1 a separator, 0 not, 2 a surrogate (a pair is one code point, looked up whole). */
let table: Uint8Array | undefined;

function separatorTable(): Uint8Array {
  if (table) return table;
  table = new Uint8Array(0x10000);
  for (let unit = 0; unit < 0x10000; unit++) {
    table[unit] = unit >= 0xd800 && unit <= 0xdfff ? 2 : SEPARATOR.test(String.fromCharCode(unit)) ? 1 : 0;
  }
  return table;
}

/**
 * The width in code units of the separator at `at` (1, or 2 for a surrogate
 * pair), or 0 when the code point there is none. A lone surrogate is a code
 * point of its own under the `u` flag, and none of Z or P.
 */
function separatorAt(text: string, at: number, lookup: Uint8Array): number {
  const unit = text.charCodeAt(at);
  const kind = lookup[unit];
  if (kind !== 2) return kind as number;
  const next = at + 1 < text.length ? text.charCodeAt(at + 1) : 0;
  if (unit > 0xdbff || next < 0xdc00 || next > 0xdfff) return 0;
  return SEPARATOR.test(text.slice(at, at + 2)) ? 2 : 0;
}

/**
 * How many times each token of `text.split(/[\n\r\p{Z}\p{P}]+/u)` occurs,
 * in the order each first occurs; the empty tokens a leading or trailing
 * separator (or an empty text) makes included, as the split makes them.
 */
export function tokenCounts(text: string): Map<string, number> {
  const lookup = separatorTable();
  const counts = new Map<string, number>();
  const count = (token: string) => counts.set(token, (counts.get(token) ?? 0) + 1);
  let start = 0;
  let at = 0;
  while (at < text.length) {
    let width = separatorAt(text, at, lookup);
    if (width === 0) {
      // Not a separator: one code unit on (a surrogate pair's second unit is no separator either).
      at += 1;
      continue;
    }
    count(text.slice(start, at));
    // The whole run of separators is one split.
    while (width > 0) {
      at += width;
      width = at < text.length ? separatorAt(text, at, lookup) : 0;
    }
    start = at;
  }
  count(text.slice(start));
  return counts;
}
