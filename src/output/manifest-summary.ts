import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type {z} from 'zod';
import {parseJsonQuietly} from '../data/json-file.js';
import {MANIFEST_FILE} from '../project.js';
import {siteManifestSchema} from './manifest.js';

/**
 * What a build asks of the site in place before it renders: whether it is up
 * to date (the tool, sampling, options, input hashes and file hashes) and
 * which PDFs it holds. Everything of the manifest but its reports.
 */
export const manifestSummarySchema = siteManifestSchema.omit({reports: true});
export type ManifestSummary = Readonly<z.infer<typeof manifestSummarySchema>>;

/**
 * The manifest of a site folder without its reports, checked as readManifest
 * checks the whole (`undefined`: none, or not what this tool writes; no
 * messages: a build treats both as no site to trust). The reports are most
 * of the file (at 200 reports, 20 of its 23 MB are their tables and numbers),
 * and reading them made the build process hold about 150 MB more from its
 * start (text, parsed JSON and its checked copy; issue #18): here they are
 * skipped as bytes, never decoded. Their value must still be a JSON array;
 * whoever needs them reads the whole manifest (readManifest), which checks them.
 */
export async function readManifestSummary(folder: string): Promise<ManifestSummary | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path.join(folder, MANIFEST_FILE));
  } catch {
    return undefined;
  }
  const text = membersWithout(bytes, 'reports');
  return text === undefined ? undefined : parseJsonQuietly(text, manifestSummarySchema);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const decoder = new TextDecoder('utf-8', {fatal: true});

/**
 * The JSON object in `bytes` (UTF-8) with the member named `skipped` left
 * out, as JSON text: the other members' bytes as they are, decoded. The
 * skipped member's value must be an array; only its strings and brackets are
 * followed, to find its end (JSON.parse checks the rest). `undefined` when
 * the bytes are not an object of that shape.
 */
export function membersWithout(bytes: Uint8Array, skipped: string): string | undefined {
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
      const colon = skipSpace(keyEnd);
      if (bytes[colon] !== 0x3a) return undefined;
      const value = skipSpace(colon + 1);
      const after = valueEnd(value);
      if (after === -1) return undefined;
      if (key !== skipped) members.push(decoder.decode(bytes.subarray(at, after)));
      else if (bytes[value] !== 0x5b) return undefined;
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
