/**
 * What a page's content may hold, one set of rules for every way content
 * reaches a page: elements a template writes (jsx-runtime.ts, which reports
 * them at their line and column), and the rendered content a build takes
 * from its cache or a shard, with each chart's SVG markup (content-check.ts).
 * The rules follow the site's Content-Security-Policy (page-layout.ts): no
 * script, no inline style, nothing that loads, embeds or redirects, no URL
 * that would run script.
 */

/** Elements that run, restyle, load, embed or redirect, with why each is refused. */
const REFUSED_ELEMENTS: ReadonlyMap<string, string> = new Map([
  [
    'script',
    "would be blocked by the site's Content-Security-Policy (no inline script), expected no script (interactive charts take `interactive` on <Chart>)",
  ],
  [
    'style',
    "would be blocked by the site's Content-Security-Policy (no inline style), expected a class from assets/style.css",
  ],
  ['link', "belongs to the page's head, which the tool writes: it would load a file into the page"],
  ['meta', "belongs to the page's head, which the tool writes: a `http-equiv` one would refresh or redirect the page"],
  ['base', 'would change where every relative link of the page points, expected relative links as they are'],
  ...['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal'].map(
    (name) =>
      [name, "embeds another document, which the site's Content-Security-Policy blocks, expected a link"] as const,
  ),
]);

/** Attributes (normalised: lower case, no `-` or `:`) that hold a URL a browser follows or loads. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'poster',
  'data',
  'cite',
  'xlinkhref',
  'srcset',
  'background',
  'ping',
  'manifest',
  'codebase',
  'longdesc',
  'lowsrc',
  'dynsrc',
]);

/** `http-equiv`, `httpEquiv` and `httpequiv` alike; `xlink:href` and `xLinkHref` alike. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-:]/g, '');
}

/** Why an element may not be in a page's content, or `undefined` when it may. */
export function refusedElement(tagName: string): string | undefined {
  return REFUSED_ELEMENTS.get(tagName.toLowerCase());
}

/**
 * Why an attribute may not be on an element of a page's content, or
 * `undefined` when it may: an inline event handler, a document inlined in
 * `srcdoc`, a URL that would run script, or an SVG animation that would
 * set one. Inline `style` is the caller's: the JSX runtime turns
 * `text-align` into a class, and rendered content never has one.
 */
export function refusedAttribute(tagName: string, name: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  const normalized = normalizeName(name);
  if (normalized.startsWith('on'))
    return `Event handler \`${name}\` on <${tagName}> would be blocked by the site's Content-Security-Policy, expected no inline script (interactive charts take \`interactive\` on <Chart>)`;
  if (normalized === 'srcdoc') return `\`${name}\` on <${tagName}> inlines a document, expected no embedded documents`;
  const text = Array.isArray(value) ? value.join(' ') : String(value);
  if (URL_ATTRIBUTES.has(normalized) && isUnsafeUrl(text)) {
    const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
    return `Unsafe URL in \`${name}\` on <${tagName}>: ${shown}, expected an http(s), relative or #fragment link`;
  }
  // SVG's <set>/<animate attributeName="href" to="javascript:…"> sets a URL the rules above never see.
  if (normalized === 'attributename' && (URL_ATTRIBUTES.has(normalizeName(text)) || /^on/i.test(text)))
    return `\`${name}="${text.slice(0, 40)}"\` on <${tagName}> would animate a link or handler, expected none`;
  return undefined;
}

/**
 * Whether a URL would run script or smuggle a document in (`javascript:`,
 * `vbscript:`, `data:`), read as a browser does: ASCII tabs and newlines
 * anywhere, and spaces and control characters in front, are ignored
 * (WHATWG URL parsing).
 */
export function isUnsafeUrl(value: string): boolean {
  const normalized = value
    .replace(/[\t\n\r]/g, '')
    // eslint-disable-next-line no-control-regex -- browsers skip leading control characters and spaces in URLs
    .replace(/^[\u0000-\u0020]+/, '')
    .toLowerCase();
  return /^(javascript|vbscript|data):/.test(normalized);
}
