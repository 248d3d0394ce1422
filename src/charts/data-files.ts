import {INPUT_FOLDERS} from '../project.js';

/**
 * Vega-Lite specs as people paste them load their data from `data.url`
 * (`{"url": "data/cars.json"}`). A build reads such a file from the
 * project's inputs (never the network), hashes it with them, and puts its
 * text in the spec as inline `values` with the file's format, so Vega
 * parses it exactly as its loader would have (vega-loader's `read`, with
 * Vega-Lite's `format`), and the live copy in the browser needs no fetch.
 */

/** The formats Vega parses from text (vega-loader formats); Vega-Lite takes the type from the file's extension. */
const TEXT_FORMATS = ['json', 'csv', 'tsv', 'dsv', 'topojson'] as const;

/** A `data.url` of a spec, where it was found (`spec.layer[1].data`) and the project file it names, or why it cannot be read. */
export type DataUrl =
  | {readonly url: string; readonly at: string; readonly path: string}
  | {readonly url: string; readonly at: string; readonly problem: string};

/** Every `data` object with a `url` in a spec (top level, layers, concatenations, facets, lookups), in spec order. */
export function dataUrls(spec: unknown): DataUrl[] {
  const found: DataUrl[] = [];
  visitData(spec, (data, at) => {
    const url = data.url;
    if (typeof url !== 'string') {
      found.push({url: String(url), at, problem: 'expected `url` to be text'});
      return;
    }
    const format = (data.format ?? {}) as {type?: unknown};
    const type = format.type ?? extensionOf(url);
    if (typeof type === 'string' && !(TEXT_FORMATS as readonly string[]).includes(type)) {
      found.push({
        url,
        at,
        problem: `expected a format Vega reads from text (${TEXT_FORMATS.join(', ')}), got \`${type}\``,
      });
      return;
    }
    const resolved = projectPathOf(url);
    found.push(typeof resolved === 'string' ? {url, at, path: resolved} : {url, at, problem: resolved.problem});
  });
  return found;
}

/**
 * The project file a data URL names, relative to the project root (`data/cars.json`,
 * as Vega resolves a relative URL against its base), or why it names none:
 * only relative paths into the project's input folders, which a build hashes and
 * the dev server watches; never a scheme (`https:`, `file:`), an absolute path, or `..`
 * out of the project.
 */
export function projectPathOf(url: string): string | {problem: string} {
  const outside = {
    problem: `expected a relative path to a file under ${INPUT_FOLDERS.map((folder) => `${folder}/`).join(' or ')} (a build reads data from the project, never from the network)`,
  };
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/') || url.includes('\\') || /[?#]/.test(url)) return outside;
  const segments: string[] = [];
  for (const segment of url.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.pop() === undefined) return outside;
      continue;
    }
    segments.push(segment);
  }
  if (segments.length < 2 || !(INPUT_FOLDERS as readonly string[]).includes(segments[0] as string)) return outside;
  return segments.join('/');
}

/**
 * A copy of the spec with every `data.url` whose text `texts` holds (by URL)
 * replaced by inline `values` of that text and an explicit format type (the
 * one Vega-Lite would infer from the extension); the rest of the spec as it
 * was, `config` untouched.
 */
export function inlineDataFiles(spec: unknown, texts: ReadonlyMap<string, string>): unknown {
  const copy = (node: unknown, key: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((item) => copy(item, undefined));
    if (!node || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    if (key === 'data' && typeof record.url === 'string' && texts.has(record.url)) {
      const {url, format, ...rest} = record as {url: string; format?: Record<string, unknown>};
      return {...rest, values: texts.get(url), format: {...format, type: format?.type ?? extensionOf(url) ?? 'json'}};
    }
    const result: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(record)) result[name] = name === 'config' ? value : copy(value, name);
    return result;
  };
  return copy(spec, undefined);
}

/** The format Vega-Lite infers from a URL's extension (vega-lite src/compile/data/source.ts), if one it reads from text. */
function extensionOf(url: string): string | undefined {
  const match = /\.([a-z0-9]+)$/i.exec(url);
  const extension = match?.[1]?.toLowerCase();
  return (TEXT_FORMATS as readonly string[]).includes(extension ?? '') ? extension : undefined;
}

/** Call `visit` on every object under a `data` key (but in `config`), with where it is. */
function visitData(spec: unknown, visit: (data: Record<string, unknown>, at: string) => void): void {
  const walk = (node: unknown, at: string, key: string | undefined): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, `${at}[${index}]`, undefined));
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (key === 'data' && 'url' in record) visit(record, at);
    for (const [name, value] of Object.entries(record)) if (name !== 'config') walk(value, `${at}.${name}`, name);
  };
  walk(spec, 'spec', undefined);
}
