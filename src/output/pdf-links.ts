import path from 'node:path';

/**
 * Links in PDFs Chromium prints, and PDFs as the build cache hands them back.
 *
 * Chromium resolves a page's relative links against the file it printed,
 * which is in the staging folder (`file:///…/.reports-staging-<pid>-…/x/`):
 * the builder's path, dead once the site is swapped in, and different in
 * every build. Those links are made relative again, to the PDF's own folder
 * (`pdf/`), where a PDF reader resolves them: the same bytes in every build,
 * and links that work beside the site.
 */

/** A literal PDF string after `/URI`: `(…)` with `\(`, `\)` and `\\` escaped. */
const URI_LITERAL = /\/URI \(((?:[^()\\]|\\[\s\S])*)\)/g;

/**
 * Rewrite every link into the printed site (`siteUrl`, the staging folder
 * as a file URL) relative to `pdfPath`, the PDF's path in the site. The
 * rewritten string is shorter and padded with spaces to the same length,
 * so the byte offsets of the file (its cross-reference table) stay valid.
 */
export function relativeSiteLinks(bytes: Uint8Array, siteUrl: string, pdfPath: string): Buffer {
  const base = siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`;
  const text = Buffer.from(bytes).toString('latin1');
  const fixed = text.replace(URI_LITERAL, (whole, literal: string) => {
    const url = literal.replace(/\\([\s\S])/g, '$1');
    if (!url.startsWith(base)) return whole;
    const target = url.slice(base.length);
    const hash = target.indexOf('#');
    const [file, fragment] = hash === -1 ? [target, ''] : [target.slice(0, hash), target.slice(hash)];
    const relative = `${path.posix.relative(path.posix.dirname(pdfPath), file) || '.'}${file.endsWith('/') ? '/' : ''}${fragment}`;
    const replacement = `/URI (${relative.replace(/[()\\]/g, '\\$&')})`;
    return replacement.length <= whole.length ? replacement.padEnd(whole.length, ' ') : whole;
  });
  return Buffer.from(fixed, 'latin1');
}

/** Names (decoded: `/J#61vaScript` is `/JavaScript`) a PDF of the site never holds: actions beyond links, scripts, forms, embedded files, encryption. */
const REFUSED_NAMES = new Set([
  'JavaScript',
  'JS',
  'Launch',
  'OpenAction',
  'AA',
  'SubmitForm',
  'ImportData',
  'ResetForm',
  'GoToR',
  'GoToE',
  'Movie',
  'Sound',
  'Rendition',
  'RichMedia',
  'EmbeddedFile',
  'EmbeddedFiles',
  'AcroForm',
  'XFA',
  'Encrypt',
  // Objects compressed inside streams could hide any of the above from this check; Chromium writes none.
  'ObjStm',
]);

/**
 * Why a PDF is not one the build could have printed, or `undefined` when it
 * could be: a PDF cached by an earlier build is input like any other, and is
 * published only if it has the shape Chromium gives the site's pages (a PDF
 * header and end, no object streams, no actions but links to http(s) pages,
 * mail addresses or files of the site). A PDF that fails is printed again;
 * an odd byte in a compressed font may fail it too, which only costs that.
 */
export function pdfProblem(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes).toString('latin1');
  if (!text.startsWith('%PDF-1.')) return 'no PDF header';
  if (!/%%EOF\s*$/.test(text)) return 'no end of file marker';
  for (const [, name = ''] of text.matchAll(/\/([^\s/<>[\]()%{}]+)/g)) {
    const decoded = name.replace(/#([0-9A-Fa-f]{2})/g, (_hex, code: string) => String.fromCharCode(parseInt(code, 16)));
    if (REFUSED_NAMES.has(decoded)) return `/${decoded}`;
  }
  for (const match of text.matchAll(/\/URI\s*(\((?:[^()\\]|\\[\s\S])*\)|<[^>]*>)/g)) {
    const token = match[1] ?? '';
    const url = token.startsWith('(')
      ? token.slice(1, -1).replace(/\\([\s\S])/g, '$1')
      : Buffer.from(token.slice(1, -1).replace(/\s/g, ''), 'hex').toString('latin1');
    if (
      !/^(https?:|mailto:|(\.\.\/|[a-z0-9#]))/i.test(url) ||
      /^[a-z][a-z0-9+.-]*:/i.test(url.replace(/^(https?|mailto):/i, ''))
    )
      return `a link to ${JSON.stringify(url.slice(0, 40))}`;
  }
  // A link written another way (a URI in a stream, an indirect string) would escape the check above.
  if (/\/URI\s*\d/.test(text)) return 'a link as an indirect object';
  return undefined;
}
