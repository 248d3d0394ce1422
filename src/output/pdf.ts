import {createHash} from 'node:crypto';
import {existsSync, statSync} from 'node:fs';
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import type {Browser, Page, Route} from 'playwright-core';
import path from 'node:path';
import {contentTypeOf} from './content-types.js';
import {pdfProblem, relativeSiteLinks} from './pdf-links.js';

/** Where Debian's Chromium is; `TRADEOFFS_CHROMIUM` points elsewhere. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags for a headless Chromium on a machine with no network but the registries (DEVELOPERS.md). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A page to print, from the staged site. */
export interface PrintJob {
  /** Path of the page in the site (`calibration/index.html`, `print.html`). */
  readonly page: string;
  /** Path of the PDF in the site (`pdf/calibration.pdf`). */
  readonly pdf: string;
  /** The running header. */
  readonly title: string;
}

/** Chromium is not where it should be: the message says how to install it. */
export class ChromiumMissingError extends Error {
  override name = 'ChromiumMissingError';
}

export function chromiumPath(): string {
  return process.env.TRADEOFFS_CHROMIUM ?? DEFAULT_CHROMIUM;
}

/**
 * Print pages of a site to PDF with one Chromium for the whole run
 * (playwright-core, loaded only here): A4, print CSS, a running header with
 * the report's title and page numbers in the footer, an outline (bookmarks)
 * from the headings, tagged for accessibility; charts stay vectors (inline
 * SVG) and links stay links, those into the site relative to the PDF
 * (pdf-links.ts), not to the staging folder it was printed from.
 * Chromium stamps the time of printing into the PDF; it is replaced by
 * `date` (same length, so the byte offsets of the file stay valid) so two
 * runs give the same bytes. The browser loads nothing but the site's files.
 */
export async function printPdfs(
  siteDir: string,
  jobs: readonly PrintJob[],
  date: Date,
  options: PrintOptions = {},
): Promise<void> {
  const executable = chromiumPath();
  if (!existsSync(executable)) {
    throw new ChromiumMissingError(
      `Chromium not found at ${executable}: install it (Debian: apt-get install -y chromium) or set TRADEOFFS_CHROMIUM to its path`,
    );
  }
  const shared = sharedKey(executable, date, await readShared(siteDir));
  let browser: Browser | undefined;
  let page: Page | undefined;
  try {
    for (const [index, job] of jobs.entries()) {
      const target = path.join(siteDir, job.pdf);
      await mkdir(path.dirname(target), {recursive: true});
      const key = pdfKey(shared, job, await readFile(path.join(siteDir, job.page)));
      // A cached PDF is input too: one the build could not have printed is printed again (pdf-links.ts).
      const hit = await options.cache?.get(key);
      const cached = hit && pdfProblem(hit) === undefined ? hit : undefined;
      options.onPage?.(job, index, cached !== undefined);
      if (cached) {
        await writeFile(target, cached);
        continue;
      }
      if (!page) {
        const {chromium: launcher} = await import('playwright-core');
        browser = await launcher.launch({executablePath: executable, args: CHROMIUM_FLAGS});
        const context = await browser.newContext({javaScriptEnabled: false});
        // The printer loads the staged site's own files and nothing else (a meta refresh or a stray URL fetches nothing).
        await context.route('**/*', (route) => serveSiteFile(siteDir, route));
        page = await context.newPage();
        await page.emulateMedia({media: 'print', colorScheme: 'light'});
      }
      await page.goto(`${PRINT_ORIGIN}${job.page}`, {waitUntil: 'load'});
      await page.evaluateHandle('document.fonts.ready').catch(() => undefined);
      const bytes = await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: runningHeader(job.title),
        footerTemplate:
          '<div style="font: 7.5px sans-serif; color: #555; width: 100%; padding: 0 14mm; text-align: right;"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
        margin: {top: '16mm', bottom: '14mm', left: '14mm', right: '14mm'},
        // Bookmarks from the headings, and a tagged (accessible) PDF: its structure from the page's.
        outline: true,
        tagged: true,
      });
      const fixed = relativeSiteLinks(fixPdfDates(bytes, date), PRINT_ORIGIN, job.pdf);
      await writeFile(target, fixed);
      await options.cache?.set(key, fixed);
    }
  } finally {
    await browser?.close();
  }
}

/**
 * Where the printer finds the staged site: an address of its own, served
 * from the staging folder, rather than the folder's file URL, which Chromium
 * would write into every relative link of the PDF (the builder's path, a
 * different one in every build). `.invalid` never resolves (RFC 2606).
 */
const PRINT_ORIGIN = 'http://tradeoffs.invalid/';

/** Answer the printer's request from the staged site; anything outside it is refused. */
async function serveSiteFile(siteDir: string, route: Route): Promise<void> {
  const url = route.request().url();
  let relative: string | undefined;
  try {
    relative = url.startsWith(PRINT_ORIGIN) ? decodeURIComponent(new URL(url).pathname).slice(1) : undefined;
  } catch {
    relative = undefined;
  }
  if (relative === undefined || relative.split('/').includes('..') || relative.includes('\\'))
    return route.abort('blockedbyclient');
  const file = path.join(siteDir, relative.endsWith('/') || relative === '' ? `${relative}index.html` : relative);
  try {
    await route.fulfill({status: 200, body: await readFile(file), contentType: contentTypeOf(path.extname(file))});
  } catch {
    await route.fulfill({status: 404, body: 'Not found'});
  }
}

/** Bump when the page.pdf() settings above change, so cached PDFs are not reused. */
const PRINT_SETTINGS_VERSION = '2';

/** What every PDF of a run is made from besides its page: the browser, the date, the print settings, the stylesheet and fonts. */
function sharedKey(executable: string, date: Date, shared: readonly Uint8Array[]): string {
  const chromium = statSync(executable);
  return sha256Of([`${chromium.size}:${chromium.mtimeMs}`, date.toISOString(), PRINT_SETTINGS_VERSION, ...shared]);
}

/** The cache key of one PDF: what every PDF shares, its running header, and its page. */
function pdfKey(shared: string, job: PrintJob, page: string | Uint8Array): string {
  return sha256Of([shared, job.title, page]);
}

/** The PDFs a site's cache holds for exactly these pages, and those it lacks. */
export interface CachedPdfs {
  /** PDF path → its bytes. */
  readonly kept: ReadonlyMap<string, Uint8Array>;
  /** The PDFs not found, in job order. */
  readonly removed: readonly string[];
  /** Why those were not found, in words. */
  readonly reason: string;
}

/**
 * For a build without PDFs over a site that had them: the PDFs `printPdfs`
 * would take from its cache for these pages (laid out in memory, `files`)
 * without printing anything, so those still current stay. A page that
 * changed, another date, stylesheet or browser, no cache or no browser
 * (whose build identifies the PDFs) makes a PDF not current.
 */
export async function findCachedPdfs(
  files: ReadonlyMap<string, string | Uint8Array>,
  jobs: readonly PrintJob[],
  date: Date,
  cache: PdfCache | undefined,
): Promise<CachedPdfs> {
  const all = jobs.map((job) => job.pdf);
  const executable = chromiumPath();
  if (!cache) return {kept: new Map(), removed: all, reason: 'the build has no cache (--no-cache) to keep them in'};
  if (!existsSync(executable))
    return {kept: new Map(), removed: all, reason: `Chromium, which printed them, is not at ${executable}`};
  const shared = sharedKey(executable, date, sharedOf(files));
  const kept = new Map<string, Uint8Array>();
  const removed: string[] = [];
  for (const job of jobs) {
    const page = files.get(job.page);
    const bytes = page === undefined ? undefined : await cache.get(pdfKey(shared, job, page));
    if (bytes && pdfProblem(bytes) === undefined) kept.set(job.pdf, bytes);
    else removed.push(job.pdf);
  }
  return {kept, removed, reason: 'their pages changed since they were printed'};
}

/** The stylesheet and fonts of a site in memory, as readShared reads them from disk. */
function sharedOf(files: ReadonlyMap<string, string | Uint8Array>): Uint8Array[] {
  const names = ['style.css', ...[...files.keys()].filter((name) => /^fonts\/[^/]+$/.test(name)).sort()];
  return names.map((name) => {
    const contents = files.get(name);
    return typeof contents === 'string' ? Buffer.from(contents) : (contents ?? new Uint8Array());
  });
}

/** PDFs by a hash of everything they are made from. */
export interface PdfCache {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, bytes: Uint8Array): Promise<void>;
}

export interface PrintOptions {
  readonly cache?: PdfCache;
  /** Called before each PDF, saying whether it came from the cache. */
  readonly onPage?: (job: PrintJob, index: number, cached: boolean) => void;
}

/** The files every page loads when printed: the stylesheet and fonts (scripts do not run). */
async function readShared(siteDir: string): Promise<Uint8Array[]> {
  const names = [
    'style.css',
    ...(await readdir(path.join(siteDir, 'fonts')).catch(() => [] as string[])).sort().map((name) => `fonts/${name}`),
  ];
  return Promise.all(names.map((name) => readFile(path.join(siteDir, name)).catch(() => new Uint8Array())));
}

function sha256Of(parts: ReadonlyArray<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/** Replace the creation and modification dates Chromium writes with `date`, keeping every byte offset. */
export function fixPdfDates(bytes: Uint8Array, date: Date): Buffer {
  const text = Buffer.from(bytes).toString('latin1');
  const stamp = `D:${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+00'00'`;
  const fixed = text.replace(/\/(CreationDate|ModDate) \(D:[^)]*\)/g, (match, key: string) => {
    const replacement = `/${key} (${stamp})`;
    return replacement.length === match.length ? replacement : match;
  });
  return Buffer.from(fixed, 'latin1');
}

/** Read a PDF's text-free facts for checks: its page sizes, whether it embeds raster images, its title. */
export async function pdfFacts(
  file: string,
): Promise<{mediaBoxes: string[]; rasterImages: number; title: string | undefined}> {
  const text = (await readFile(file)).toString('latin1');
  return {
    mediaBoxes: [...text.matchAll(/\/MediaBox \[([^\]]*)\]/g)].map((match) => match[1]!.trim()),
    rasterImages: (text.match(/\/Subtype \/Image/g) ?? []).length,
    title: pdfString(/\/Title (\([^)]*\)|<[0-9A-Fa-f]+>)/.exec(text)?.[1]),
  };
}

/** A PDF text string: literal `(…)` or hex `<FEFF…>` (UTF-16BE with a byte-order mark). */
function pdfString(token: string | undefined): string | undefined {
  if (!token) return undefined;
  if (token.startsWith('(')) return token.slice(1, -1);
  const bytes = Buffer.from(token.slice(1, -1), 'hex');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le');
  return bytes.toString('latin1');
}

/**
 * The running header of a printed page: Chromium renders it as HTML, so the
 * title (from a template's frontmatter) is escaped.
 */
export function runningHeader(title: string): string {
  return `<div style="font: 7.5px sans-serif; color: #555; width: 100%; padding: 0 14mm;">${escapeHtml(title)}</div>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
