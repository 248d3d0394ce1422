/**
 * Some members of a JSON object, read from its bytes without decoding the
 * rest: a site's manifest is 23 MB at 200 reports, almost all of it reports,
 * and a build asks only a few of its other members. Made for JSON the tool
 * wrote and reads back as untrusted input (json-file.ts): what is kept is
 * then parsed and checked as usual, and what is skipped is not checked at all.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const decoder = new TextDecoder('utf-8', {fatal: true});

/**
 * The JSON object in `bytes` (UTF-8, a byte order mark allowed) with only
 * the members whose key `keep` accepts, as JSON text: their bytes as they
 * are, decoded. The values of the others are skipped by following their
 * strings and brackets only. `undefined` when the bytes are not an object.
 */
export function jsonMembers(bytes: Uint8Array, keep: (key: string) => boolean): string | undefined {
  const end = bytes.length;
  const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
  const skipSpace = (at: number) => {
    while (at < end && isSpace(bytes[at])) at++;
    return at;
  };
  // Past the closing quote of the string opening at `at`, or -1.
  const stringEnd = (at: number): number => {
    for (let from = at + 1; ;) {
      const quote = bytes.indexOf(QUOTE, from);
      if (quote === -1) return -1;
      let slashes = 0;
      while (bytes[quote - 1 - slashes] === BACKSLASH) slashes++;
      if (slashes % 2 === 0) return quote + 1;
      from = quote + 1;
    }
  };
  // Past the value opening at `at` (its closing bracket, for an object or array), or -1.
  const valueEnd = (at: number): number => {
    const first = bytes[at];
    if (first === QUOTE) return stringEnd(at);
    if (first !== 0x5b && first !== 0x7b) {
      while (at < end && !isSpace(bytes[at]) && bytes[at] !== 0x2c && bytes[at] !== 0x7d && bytes[at] !== 0x5d) at++;
      return at;
    }
    let depth = 0;
    while (at < end) {
      const byte = bytes[at];
      if (byte === QUOTE) {
        at = stringEnd(at);
        if (at === -1) return -1;
        continue;
      }
      if (byte === 0x5b || byte === 0x7b) depth++;
      else if (byte === 0x5d || byte === 0x7d) depth--;
      at++;
      if (depth === 0) return at;
    }
    return -1;
  };
  try {
    // A byte order mark, as parseJsonAt allows.
    let at = skipSpace(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
    if (bytes[at] !== 0x7b) return undefined;
    const members: string[] = [];
    at = skipSpace(at + 1);
    if (bytes[at] === 0x7d) return skipSpace(at + 1) === end ? '{}' : undefined;
    for (;;) {
      if (bytes[at] !== QUOTE) return undefined;
      const keyEnd = stringEnd(at);
      if (keyEnd === -1) return undefined;
      const key: unknown = JSON.parse(decoder.decode(bytes.subarray(at, keyEnd)));
      if (typeof key !== 'string') return undefined;
      const colon = skipSpace(keyEnd);
      if (bytes[colon] !== 0x3a) return undefined;
      const value = skipSpace(colon + 1);
      const after = valueEnd(value);
      if (after === -1) return undefined;
      if (keep(key)) members.push(decoder.decode(bytes.subarray(at, after)));
      at = skipSpace(after);
      if (bytes[at] === 0x2c) at = skipSpace(at + 1);
      else if (bytes[at] === 0x7d) return skipSpace(at + 1) === end ? `{${members.join(',')}}` : undefined;
      else return undefined;
    }
  } catch {
    // A key that is not JSON, or bytes that are not UTF-8.
    return undefined;
  }
}
