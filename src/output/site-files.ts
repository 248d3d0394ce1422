import {readFile} from 'node:fs/promises';
import type {ElementContent} from 'hast';
import {toHtml} from 'hast-util-to-html';
import {FONT_FILES, packageFile} from '../charts/fonts.js';
import {bibtex, cslJson} from '../render/citation.js';
import {fileSafeLinks} from '../render/file-links.js';
import {EXPLORER_PAGE, EXPLORER_SCRIPT, explorerPage, type ExplorerData} from '../render/explorer-page.js';
import {anchorHeadings, wrapTables} from '../render/headings.js';
import {compareEntries, indexPage} from '../render/index-page.js';
import {keepUnitsTogether} from '../render/keep-units.js';
import {pageLayout, type NavEntry} from '../render/page-layout.js';
import {printPage} from '../render/print-page.js';
import type {RenderedReport} from '../render/render-report.js';
import {searchDocuments, type SearchDocument} from '../render/search-documents.js';
import {SITE_PAGES, type SiteInfo, type SiteParts} from '../render/site-info.js';
import {VERSION} from '../tool/version.js';
import type {PrintJob} from './pdf.js';
import {readClientScript, readExplorerScript, readSiteScript, readStylesheet} from '../tool/assets.js';
import {searchIndexScript} from './search-index.js';
import {changesPage, dataPage, notFoundPage, type SiteDownloads} from './site-pages.js';

/** The site's fonts, served beside the stylesheet: the Inter faces charts are measured with, and their licence. */
export const SITE_FONTS = [
  {path: 'fonts/inter-400.woff2', from: FONT_FILES.regular},
  {path: 'fonts/inter-600.woff2', from: FONT_FILES.semibold},
  {path: 'fonts/LICENSE-Inter.txt', from: '@fontsource/inter/LICENSE'},
] as const;

/** What a site is laid out with besides its reports: how it was made, its optional parts, its other pages. */
export interface SiteContext {
  readonly info: SiteInfo;
  readonly parts: SiteParts;
  /** Each report's sources (its template, then the data files it read), by slug. */
  readonly sources: ReadonlyMap<string, readonly string[]>;
  /** The input files copied into the site (`source/…`) and the downloads, for the data page. */
  readonly downloads: SiteDownloads;
  /** What changed since a previous build, for `changes.html` (when `parts.changes`). */
  readonly changes?: Parameters<typeof changesPage>[0];
  /** The checked catalog the explorer page estimates from (a site with scenarios). */
  readonly explorer?: ExplorerData | undefined;
}

/** A site laid out on its own (tests, fuzzing): no date, commit, PDFs, sources or downloads. */
export const BARE_SITE: SiteContext = {
  info: {builtOn: '2000-01-01', dataAsOf: null, commit: null, recordFiles: {}},
  parts: {pdfs: {reports: new Set(), site: false}, changes: false},
  sources: new Map(),
  downloads: {sources: [], files: []},
};

/**
 * Lay out rendered reports as the site's files: the index, one page per
 * report with its chart downloads and citation, the print edition, the data
 * page, the 404 page (and the changes page), the search index, the explorer
 * page and its script (a site with scenarios), and the
 * stylesheet, fonts and scripts. A pure function of the reports, the site's
 * context and the tool, which is what lets cached and sharded reports make
 * the same site as a single cold build. The reports' content trees are
 * changed in place (heading anchors, table wrappers, links, units).
 */
export async function layoutSite(
  reports: readonly RenderedReport[],
  context: SiteContext = BARE_SITE,
): Promise<Map<string, string | Uint8Array>> {
  const files = new Map<string, string | Uint8Array>();
  const ordered = [...reports].sort(compareEntries);
  // The tool's files are read while the pages are laid out, and added in the same order as before.
  const stylesheet = readStylesheet();
  const fonts = SITE_FONTS.map((font) => readFile(packageFile(font.from)));
  const script = ordered.some((report) => report.interactive) ? readClientScript() : undefined;
  const siteScripts = [readSiteScript('site.js'), readSiteScript('search.js')] as const;
  const explorer = context.explorer;
  const explorerScript = explorer && explorer.scenarios.length > 0 ? readExplorerScript() : undefined;
  // Settled whatever happens, so a failed read never goes unhandled while another is awaited.
  for (const pending of [stylesheet, ...fonts, script, ...siteScripts, explorerScript]) pending?.catch(() => undefined);
  files.set('style.css', await stylesheet);
  for (const [index, font] of SITE_FONTS.entries()) files.set(font.path, await (fonts[index] as Promise<Buffer>));
  const nav = ordered.map((report) => ({slug: report.slug, title: report.frontmatter.title}));
  const site = {info: context.info, parts: context.parts};
  const entries = ordered.map((report) => ({
    slug: report.slug,
    frontmatter: report.frontmatter,
    keyFigure: report.keyFigure ?? undefined,
  }));
  files.set('index.html', serialize(indexPage(entries, nav, site, explorerScript ? EXPLORER_PAGE : undefined)));
  if (script) files.set('interactive.js', await script);
  files.set('site.js', await siteScripts[0]);
  files.set('search.js', await siteScripts[1]);
  if (explorer && explorerScript) {
    files.set(EXPLORER_PAGE, serialize(explorerPage(explorer, nav, site)));
    files.set(EXPLORER_SCRIPT, await explorerScript);
  }
  const documents: SearchDocument[] = [];
  for (const [index, report] of ordered.entries()) {
    const toc = anchorHeadings(report.content);
    wrapTables(report.content);
    fileSafeLinks(report.content, '../');
    keepUnitsTogether(report.content);
    documents.push(...searchDocuments(report.slug, report.frontmatter.title, report.content));
    const page = pageLayout({
      title: report.frontmatter.title,
      description: report.frontmatter.summary,
      rootPath: '../',
      kind: 'report',
      content: report.content.children as ElementContent[],
      nav,
      current: report.slug,
      toc,
      script: report.interactive,
      site,
      neighbours: {previous: nav[index - 1], next: nav[index + 1]},
      about: {
        sources: context.sources.get(report.slug) ?? [report.path],
        pdf: context.parts.pdfs.reports.has(report.slug) ? `pdf/${report.slug}.pdf` : undefined,
        citation: {
          title: report.frontmatter.title,
          authors: report.frontmatter.authors ?? [],
          date: context.info.builtOn,
        },
      },
    });
    files.set(`${report.slug}/index.html`, serialize(page));
    for (const [name, contents] of report.assets) files.set(`${report.slug}/${name}`, contents);
    addCitation(files, report, context.info);
  }
  // After the pages: the print edition copies their content with anchors and scrolling tables in place.
  files.set(SITE_PAGES.print, serialize(printPage(ordered, nav, site)));
  files.set(SITE_PAGES.data, serialize(dataPage(context.downloads, nav, site)));
  files.set(SITE_PAGES.notFound, serialize(notFoundPage(nav, site)));
  if (context.parts.changes && context.changes)
    files.set(SITE_PAGES.changes, serialize(changesPage(context.changes, nav, site)));
  files.set('search-index.js', searchIndexScript(documents));
  return files;
}

/** A report's citation beside its page: BibTeX and CSL JSON. */
function addCitation(files: Map<string, string | Uint8Array>, report: RenderedReport, info: SiteInfo): void {
  const cited = {
    slug: report.slug,
    title: report.frontmatter.title,
    summary: report.frontmatter.summary,
    authors: report.frontmatter.authors ?? [],
    date: info.builtOn,
    version: VERSION,
    commit: info.commit,
  };
  files.set(`${report.slug}/cite.bib`, bibtex(cited));
  files.set(`${report.slug}/cite.json`, cslJson(cited));
}

/** One PDF per report, and one of the whole site from its print edition. */
export function printJobs(reports: readonly RenderedReport[]): PrintJob[] {
  const ordered = [...reports].sort(compareEntries);
  return [
    ...ordered.map((report) => ({
      page: `${report.slug}/index.html`,
      pdf: `pdf/${report.slug}.pdf`,
      title: report.frontmatter.title,
    })),
    {page: SITE_PAGES.print, pdf: SITE_PDF, title: 'tradeoffs: reports'},
  ];
}

/** The whole site's PDF, printed from its print edition. */
export const SITE_PDF = 'pdf/tradeoffs-reports.pdf';

export type {NavEntry};

function serialize(tree: Parameters<typeof toHtml>[0]): string {
  return `${toHtml(tree, {allowDangerousHtml: true})}\n`;
}
