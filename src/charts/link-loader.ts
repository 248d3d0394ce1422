/**
 * The loader a chart's headless Vega view gets. It loads nothing: a build
 * puts every data file into the spec before drawing (data-files.ts), and
 * images are not fetched. It only vets the links of marks with `href`
 * (Vega asks its loader to `sanitize` each one; a loader that refused made
 * Vega fail with "Cannot read properties of null (reading 'href')"):
 * http(s) and mailto links, and relative ones, become links in the SVG;
 * any other scheme (`javascript:`, `data:`, `file:`) is dropped, leaving
 * the mark without a link.
 */
export const linkLoader = {
  load: () => Promise.reject(new Error('charts read their data before drawing, never from files or URLs')),
  sanitize: (uri: unknown, options?: {context?: string}) =>
    Promise.resolve({href: options?.context === 'href' ? safeLink(uri) : null}),
  http: () => Promise.reject(new Error('charts never load data from URLs')),
  file: () => Promise.reject(new Error('charts never load data from files')),
} as never;

/** Schemes a chart may link to (the OWASP allow-list approach: name the safe ones, refuse the rest). */
const SAFE_SCHEMES = ['http:', 'https:', 'mailto:'];

/**
 * `uri` as a link when it is safe: a URL with an allowed scheme, or one
 * without a scheme (relative, or a `#fragment`); otherwise `null`.
 * Control characters and spaces before the scheme are removed first, as
 * browsers do (`java\tscript:` is `javascript:` to them).
 */
export function safeLink(uri: unknown): string | null {
  if (typeof uri !== 'string' || uri.trim() === '') return null;
  // eslint-disable-next-line no-control-regex
  const bare = uri.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(bare)?.[1];
  if (scheme === undefined) return bare.startsWith('//') ? null : uri;
  return SAFE_SCHEMES.includes(`${scheme.toLowerCase()}:`) ? uri : null;
}
