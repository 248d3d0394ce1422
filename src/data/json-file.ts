import type {z} from 'zod';
import {Diagnostics} from '../diagnostics/diagnostics.js';
import {validateAt} from './validate.js';
import {parseYamlSource} from './yaml-source.js';

/**
 * Read JSON the tool wrote earlier (a site's manifest, a shard, a cache entry)
 * as untrusted input: parsed, then checked against `schema`. `undefined` when
 * it is not JSON or does not match; no messages (a cache entry that fails is
 * simply a miss).
 */
export function parseJsonQuietly<Schema extends z.ZodType>(text: string, schema: Schema): z.infer<Schema> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/**
 * Parse JSON text and check it against `schema`; every problem is an error on
 * `path` at its line and column (a syntax error where it is, a wrong value at
 * the value), like the problems of the YAML data. `undefined` when anything
 * was wrong.
 */
export function parseJsonAt<Schema extends z.ZodType>(
  path: string,
  text: string,
  schema: Schema,
  diagnostics: Diagnostics,
): z.infer<Schema> | undefined {
  const body = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    diagnostics.error(path, jsonSyntaxReason(error), jsonSyntaxPlace(error, body), 'schema');
    return undefined;
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // Positions only when something is wrong: JSON is YAML, and the YAML reader keeps them.
  const source = parseYamlSource(path, body, new Diagnostics());
  if (source) return validateAt(schema, value, source, [], diagnostics);
  const [issue] = result.error.issues;
  diagnostics.error(
    path,
    `Unexpected content: ${issue?.message ?? 'not what this version of tradeoffs writes'}`,
    undefined,
    'schema',
  );
  return undefined;
}

/**
 * The parser's reason, without the text it quotes: the file is untrusted and
 * may be anything (a shard listing a link to /etc/passwd), so no part of it
 * is echoed, not even the character it stumbled on.
 */
function jsonSyntaxReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = /^Unexpected token\b/.test(message)
    ? 'an unexpected character'
    : message
        .replace(/ in JSON at position \d+.*$/s, '')
        .replace(/ after JSON at position \d+.*$/s, ' after the JSON')
        .replace(/, ".*$/s, '');
  return `Unexpected JSON syntax: ${reason} (expected JSON as tradeoffs writes it)`;
}

/** Node reports where JSON broke as an offset (`… at position 12`): the line and column of that offset. */
function jsonSyntaxPlace(error: unknown, text: string): {line: number; column: number; offset: number} | undefined {
  const message = error instanceof Error ? error.message : '';
  const match = /at position (\d+)/.exec(message);
  const offset = match ? Number(match[1]) : /end of JSON input/.test(message) ? text.length : undefined;
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset);
  const line = (before.match(/\r\n?|\n/g)?.length ?? 0) + 1;
  const column = offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return {line, column, offset};
}

/**
 * Values as JSON lines, one value a line (JSON text holds no raw line break), in a file the tool
 * writes for itself (a cache entry, a spilled report) whose parts are read apart (jsonLine).
 */
export function toJsonLines(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join('\n');
}

/** The text of line `index` (from 0) of JSON lines (toJsonLines), decoded alone; `undefined` past the last. */
export function jsonLine(bytes: Buffer, index: number): string | undefined {
  let start = 0;
  for (let line = 0; line < index; line++) {
    const end = bytes.indexOf(0x0a, start);
    if (end === -1) return undefined;
    start = end + 1;
  }
  const end = bytes.indexOf(0x0a, start);
  return bytes.toString('utf8', start, end === -1 ? bytes.length : end);
}
