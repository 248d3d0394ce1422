import {readFile} from 'node:fs/promises';
import type {ElementContent, Root} from 'hast';
import {toHtml} from 'hast-util-to-html';
import {z} from 'zod';
import {FONT_FILES, packageFile} from '../charts/fonts.js';
import {bibtex, cslJson} from '../render/citation.js';
import {fileSafeLinks} from '../render/file-links.js';
import {EXPLORER_PAGE, EXPLORER_SCRIPT, explorerPage, type ExplorerData} from '../render/explorer-page.js';
import {anchorHeadings, wrapTables, type TocEntry} from '../render/headings.js';
import {compareEntries, indexPage, leadOf} from '../render/index-page.js';
import {keepUnitsTogether} from '../render/keep-units.js';
import {pageLayout, type NavEntry} from '../render/page-layout.js';
import {printEdition, printSection} from '../render/print-page.js';
import {
  checkRenderedReport,
  REFUSED_CONTENT,
  renderedReportFields,
  type RenderedReport,
} from '../render/render-report.js';
import {checkContent} from '../render/content-check.js';
import {hastRootSchema} from '../render/hast-schema.js';
import {searchDocuments, type SearchDocument} from '../render/search-documents.js';
import {SITE_PAGES, type SiteInfo, type SiteParts} from '../render/site-info.js';
import {VERSION} from '../tool/version.js';
import {sha256} from '../tool/hash.js';
import {stableJson} from '../data/record-hashes.js';
import type {PrintJob} from './pdf.js';
import {readClientScript, readExplorerScript, readSiteScript, readStylesheet} from '../tool/assets.js';
import {searchIndexer} from './search-index.js';
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
  /** Reuse of the pages of the site in place (a build on disk with a cache). */
  readonly pages?: PageReuse | undefined;
}

/** A site laid out on its own (tests, fuzzing): no date, commit, PDFs, sources or downloads. */
export const BARE_SITE: SiteContext = {
  info: {date: '2000-01-01', builtOn: null, dataAsOf: null, commit: null, recordFiles: {}},
  parts: {pdfs: {reports: new Set(), site: false}, changes: false},
  sources: new Map(),
  downloads: {sources: [], files: []},
};

/**
 * A report laid out, as the cache and shards keep it: the rendered report
 * with its content laid out (headings anchored, tables wrapped, links that
 * work from disk, numbers kept with their units) and its table of contents.
 * Read back, it is input like the data (renderedReportSchema's checks: a
 * report name, a chart's downloads, content a fresh render could make).
 */
export interface StoredReport extends RenderedReport {
  readonly toc: readonly TocEntry[];
  /** For a report marked `home`: its lead as the home page shows it (leadOf, from the content before it was laid out). */
  readonly lead: Root | null;
}

/** A laid-out report read back from JSON (the cache, a shard): keys in the order written, checked as a rendered report is. */
export const storedReportSchema: z.ZodType<StoredReport> = renderedReportFields
  .extend({
    toc: z.array(z.object({id: z.string(), text: z.string(), depth: z.union([z.literal(2), z.literal(3)])})),
    lead: hastRootSchema.nullable(),
  })
  .superRefine((report, context) => {
    checkRenderedReport(report, context);
    const problems = report.lead ? checkContent(report.lead) : [];
    if (problems.length > 0)
      context.addIssue({
        code: 'custom',
        path: ['lead'],
        message: `${REFUSED_CONTENT}, which no render of a template makes: ${problems.join('; ')}`,
      });
  });

/**
 * A report laid out for the site, all but what needs the other reports (the
 * navigation, the site's facts): what the index and the navigation need of
 * it as plain data; its body (its page's content as HTML, its section of
 * the print edition, its chart downloads), which a build on disk keeps in a
 * file of its own until the page is written (page-spill.ts), so it holds one
 * page at a time, not the site; and its extras (the tables the manifest
 * lists, the sections the search index holds), kept the same way until the
 * site's search index and manifest are made. No content tree (`stored` only
 * when it writes a shard, which keeps the tree).
 */
export interface LaidOutReport extends Omit<StoredReport, 'content' | 'lead' | 'assets' | 'tables'> {
  /** The lead of a report marked `home`, serialised. */
  readonly lead: string | null;
  /** Whether its body has its section of the print edition (LayoutOptions.print). */
  readonly printable: boolean;
  /** Its body: in memory, or read back from where the build keeps it. */
  readonly body: () => Promise<ReportBody>;
  /**
   * One of its extras (its tables, its search sections): in memory, or read back from where the build
   * keeps them, each on its own, so that the pass that needs one (the manifest, the search index) reads
   * and parses that one only.
   */
  readonly extra: <Part extends keyof ReportExtras>(part: Part) => Promise<ReportExtras[Part]>;
  /** The report as the cache and shards keep it, when asked to keep it (a shard build). */
  readonly stored?: StoredReport | undefined;
  /**
   * The hash of the cache entry its body is made from, when the cache holds it: with the site around
   * it, what its page is made from (PageReuse). None, and its page is always made afresh.
   */
  readonly source?: string | undefined;
}

/**
 * What a report is on the site besides its body, as the cache keeps it
 * beside the report (build-plan.ts): enough to plan a build, lay out the
 * index, search and manifest, and reuse its page, without reading its
 * content. Read back, it is input: plain text and numbers, checked as a
 * rendered report's fields are; the search sections must point into the
 * report's own page; a lead (HTML) is never taken from it.
 */
export type ReportSummary = Omit<LaidOutReport, 'body' | 'extra' | 'stored' | 'source' | 'printable' | 'lead'> &
  ReportExtras & {
    readonly lead: null;
  };

const searchDocumentSchema = z.object({
  id: z.string(),
  url: z.string(),
  page: z.string(),
  title: z.string(),
  text: z.string(),
  excerpt: z.string(),
});

/** A summary without its extras (ReportExtras): what a build plans with (the cache keeps the extras apart). */
export type ReportSummaryHead = Omit<ReportSummary, keyof ReportExtras>;

export const reportSummaryHeadSchema: z.ZodType<ReportSummaryHead> = renderedReportFields
  .omit({content: true, assets: true, tables: true})
  .extend({
    toc: z.array(z.object({id: z.string(), text: z.string(), depth: z.union([z.literal(2), z.literal(3)])})),
    lead: z.null(),
  })
  .superRefine((summary, context) => {
    if (summary.path !== `templates/${summary.slug}.mdx`)
      context.addIssue({code: 'custom', path: ['path'], message: `expected \`templates/${summary.slug}.mdx\``});
  });

/**
 * Each of a report's extras as read back (the cache's summaries, page-spill.ts): checked like any input,
 * and the search sections against the report's page (outsidePage). Made once: zod compiles a schema's
 * checks as it first uses it, which for a schema made per report cost more than the parsing.
 */
export const reportExtraSchemas: {readonly [Part in keyof ReportExtras]: z.ZodType<ReportExtras[Part]>} = {
  tables: renderedReportFields.shape.tables,
  search: z.array(searchDocumentSchema),
};

/** Why an extra read back is not the report of `slug`'s: a search section outside its page; `undefined` when it is. */
export function foreignExtra<Part extends keyof ReportExtras>(
  slug: string,
  part: Part,
  value: ReportExtras[Part],
): string | undefined {
  if (part !== 'search') return undefined;
  const page = `${slug}/index.html`;
  const outside = (value as ReportExtras['search']).some(
    (document) => document.id !== document.url || (document.url !== page && !document.url.startsWith(`${page}#`)),
  );
  return outside ? `expected a section of ${page}` : undefined;
}

/** A laid-out report's summary (ReportSummary), or `undefined` for one whose lead is HTML (the home report). */
export async function summaryOf(report: LaidOutReport): Promise<ReportSummary | undefined> {
  if (report.lead !== null) return undefined;
  const {body: _body, extra, stored: _stored, source: _source, printable: _printable, ...summary} = report;
  return {...summary, tables: await extra('tables'), search: await extra('search'), lead: null};
}

/**
 * How a build reuses the pages of the site in place: a report's page and
 * the files beside it are a pure function of its cached body (`source`)
 * and the site around it (the navigation, the site's facts, its sources),
 * hashed into a key; a page made from the same key is the same bytes. The
 * build records each page's files under its key as it makes them, and
 * takes them from the site in place next time when each file there still
 * has the hash recorded (as the up-to-date check trusts that site).
 */
export interface PageReuse {
  /** The files of a report's page as the site in place holds them, when they were made from `key`. */
  reuse(slug: string, key: string): Promise<SiteFile[] | undefined>;
  /** A report's page and files as this build made them from `key`. */
  made(slug: string, key: string, files: readonly SiteFile[]): void;
}

/** What a report's page is made of besides the site around it: its content and files, serialised. */
export interface ReportBody {
  /** The page's content, serialised. */
  readonly html: string;
  /**
   * The report's section of the print edition, serialised: only when the
   * site's PDF is printed or may be kept (LayoutOptions.print), for the
   * print edition is made only then.
   */
  readonly print?: string | undefined;
  /** Files that go beside the page, in order: each chart's data (CSV, JSON) and spec. */
  readonly assets: ReadonlyArray<readonly [name: string, contents: string]>;
}

/** What the site's manifest and search index take of a report besides its page: read once, as they are made. */
export interface ReportExtras {
  /** The page's tables that print numbers, as text (RenderedReport.tables): the manifest lists them. */
  readonly tables: RenderedReport['tables'];
  /** The report's searchable sections. */
  readonly search: readonly SearchDocument[];
}

/** A body as read back from where a build kept it (page-spill.ts): checked like any input. */
export const reportBodySchema: z.ZodType<ReportBody> = z.object({
  html: z.string(),
  print: z.string().optional(),
  assets: z.array(z.tuple([z.string(), z.string()]).readonly()).readonly(),
});

/**
 * Lay out one rendered report's content, in place (the tree is changed:
 * heading anchors, table wrappers, links, units): the report as the cache
 * and shards keep it.
 */
export function layoutContent(report: RenderedReport): StoredReport {
  const lead: Root | null =
    report.frontmatter.home === true ? {type: 'root', children: leadOf(report.slug, report.content)} : null;
  const toc = anchorHeadings(report.content);
  wrapTables(report.content);
  fileSafeLinks(report.content, '../');
  keepUnitsTogether(report.content);
  return {...report, toc, lead};
}

/** What laying out a report keeps besides its page. */
export interface LayoutOptions {
  /** Keep the laid-out tree (a shard build writes it). */
  readonly keep?: boolean;
  /**
   * Make its section of the print edition (`print.html`, which the site's
   * PDF is printed from): a build with PDFs, or one that may keep the PDFs
   * of the site in place. Other builds skip the second copy and
   * serialisation of every report.
   */
  readonly print?: boolean;
}

/**
 * A laid-out report as the build holds it: its strings, made from its
 * laid-out content. What is left of the tree afterwards is garbage (unless
 * `keep`: a shard build writes it).
 */
export function laidOut(stored: StoredReport, options: LayoutOptions = {}): LaidOutReport {
  const {content, lead, assets, tables, ...rest} = stored;
  const body: ReportBody = {
    html: toHtml({type: 'root', children: content.children}, {allowDangerousHtml: true}),
    // The print edition copies the content with its anchors, scrolling tables and links in place.
    ...(options.print ? {print: toHtml(printSection(stored), {allowDangerousHtml: true})} : {}),
    assets,
  };
  const extras: ReportExtras = {tables, search: searchDocuments(stored.slug, stored.frontmatter.title, content)};
  return {
    ...rest,
    lead: lead && toHtml(lead, {allowDangerousHtml: true}),
    printable: options.print === true,
    body: () => Promise.resolve(body),
    extra: (part) => Promise.resolve(extras[part]),
    ...(options.keep ? {stored} : {}),
  };
}

/** Lay out one rendered report (its content tree is changed in place): layoutContent, then laidOut. */
export function layoutReport(report: RenderedReport, options: LayoutOptions = {}): LaidOutReport {
  return laidOut(layoutContent(report), options);
}

/** A file of the site: its path in the site and its contents. */
export type SiteFile = readonly [path: string, contents: string | Uint8Array];

/**
 * The site's files, one at a time, from laid-out reports: the stylesheet,
 * fonts and scripts, the index, one page per report with its chart
 * downloads and citation, the print edition (when the site has its PDF),
 * the data page, the 404 page (and the changes page), and the search index. Each page is made when it
 * is asked for, from strings, so a consumer that writes each file as it
 * comes holds one page at a time. A pure function of the reports, the
 * site's context and the tool: cached and sharded reports make the same
 * site as a single cold build.
 */
export async function* siteFiles(
  reports: readonly LaidOutReport[],
  context: SiteContext = BARE_SITE,
): AsyncGenerator<SiteFile> {
  const ordered = [...reports].sort(compareEntries);
  // The search index, made a report at a time as the pages are written.
  const search = searchIndexer();
  yield ['style.css', await readStylesheet()];
  for (const font of SITE_FONTS) yield [font.path, await readFile(packageFile(font.from))];
  const explorer = context.explorer;
  const explorerScript = explorer !== undefined && explorer.scenarios.length > 0;
  const nav = ordered.map((report) => ({slug: report.slug, title: report.frontmatter.title}));
  const site = {info: context.info, parts: context.parts};
  const home = ordered.find((report) => report.frontmatter.home === true);
  const entries = ordered.map((report) => ({
    slug: report.slug,
    frontmatter: report.frontmatter,
    keyFigure: report.keyFigure ?? undefined,
    ...(report === home ? {lead: [raw(report.lead ?? '')]} : {}),
  }));
  yield ['index.html', serialize(indexPage(entries, nav, site, explorerScript ? EXPLORER_PAGE : undefined))];
  if (ordered.some((report) => report.interactive)) yield ['interactive.js', await readClientScript()];
  yield ['site.js', await readSiteScript('site.js')];
  yield ['search.js', await readSiteScript('search.js')];
  if (explorer && explorerScript) {
    yield [EXPLORER_PAGE, serialize(explorerPage(explorer, nav, site))];
    yield [EXPLORER_SCRIPT, await readExplorerScript()];
  }
  // The navigation and the site's facts, the same on every page: their hash goes into each page's key.
  const siteHash = context.pages
    ? sha256(
        stableJson({
          nav,
          info: context.info,
          pdfs: {reports: [...context.parts.pdfs.reports].sort(), site: context.parts.pdfs.site},
          changes: context.parts.changes,
        }),
      )
    : '';
  for (const [index, report] of ordered.entries()) {
    search.add(await report.extra('search'));
    const around = {
      site: siteHash,
      neighbours: {previous: nav[index - 1], next: nav[index + 1]},
      sources: context.sources.get(report.slug) ?? [report.path],
      pdf: context.parts.pdfs.reports.has(report.slug) ? `pdf/${report.slug}.pdf` : undefined,
    };
    // Its page's key: the body it is made from, the report's own fields, the site around it, the tool.
    const key =
      context.pages && report.source !== undefined
        ? sha256(
            stableJson({
              source: report.source,
              version: VERSION,
              frontmatter: report.frontmatter,
              toc: report.toc,
              interactive: report.interactive,
              around,
            }),
          )
        : undefined;
    const reused = key === undefined ? undefined : await context.pages?.reuse(report.slug, key);
    if (reused) {
      yield* reused;
      continue;
    }
    const body = await report.body();
    const page = pageLayout({
      title: report.frontmatter.title,
      description: report.frontmatter.summary,
      rootPath: '../',
      kind: 'report',
      content: [raw(body.html)],
      nav,
      current: report.slug,
      toc: report.toc,
      script: report.interactive,
      site,
      neighbours: around.neighbours,
      about: {
        sources: around.sources,
        pdf: around.pdf,
        citation: {
          title: report.frontmatter.title,
          authors: report.frontmatter.authors ?? [],
          date: context.info.date,
        },
      },
    });
    const files: SiteFile[] = [
      [`${report.slug}/index.html`, serialize(page)],
      ...body.assets.map(([name, contents]): SiteFile => [`${report.slug}/${name}`, contents]),
      ...citation(report, context.info),
    ];
    if (key !== undefined) context.pages?.made(report.slug, key, files);
    yield* files;
  }
  // The print edition, which the site's PDF is printed from: in the site when that PDF is.
  if (context.parts.pdfs.site) {
    const sections: Array<{slug: string; section: ElementContent}> = [];
    for (const report of ordered) {
      const {print} = await report.body();
      if (print === undefined) throw new Error(`${report.slug} was laid out without its print section`);
      sections.push({slug: report.slug, section: raw(print)});
    }
    yield [
      SITE_PAGES.print,
      serialize(
        printEdition(
          ordered.map((report) => report.frontmatter.title),
          sections,
          nav,
          site,
        ),
      ),
    ];
  }
  yield [SITE_PAGES.data, serialize(dataPage(context.downloads, nav, site))];
  yield [SITE_PAGES.notFound, serialize(notFoundPage(nav, site))];
  if (context.parts.changes && context.changes)
    yield [SITE_PAGES.changes, serialize(changesPage(context.changes, nav, site))];
  yield ['search-index.js', search.script()];
}

/** Lay out rendered reports and collect the whole site in memory (tests, fuzzing; a build streams siteFiles instead). */
export async function layoutSite(
  reports: readonly RenderedReport[],
  context: SiteContext = BARE_SITE,
): Promise<Map<string, string | Uint8Array>> {
  const files = new Map<string, string | Uint8Array>();
  for await (const [name, contents] of siteFiles(
    reports.map((report) => layoutReport(report, {print: context.parts.pdfs.site})),
    context,
  ))
    files.set(name, contents);
  return files;
}

/** A report's citation beside its page: BibTeX and CSL JSON. */
function citation(report: LaidOutReport, info: SiteInfo): SiteFile[] {
  const cited = {
    slug: report.slug,
    title: report.frontmatter.title,
    summary: report.frontmatter.summary,
    authors: report.frontmatter.authors ?? [],
    date: info.date,
    builtOn: info.builtOn,
    version: VERSION,
    commit: info.commit,
  };
  return [
    [`${report.slug}/cite.bib`, bibtex(cited)],
    [`${report.slug}/cite.json`, cslJson(cited)],
  ];
}

/** One PDF per report, and one of the whole site from its print edition. */
export function printJobs(reports: ReadonlyArray<Pick<RenderedReport, 'slug' | 'frontmatter' | 'path'>>): PrintJob[] {
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

/** Markup already serialised, as a node that goes into a tree as it is. */
function raw(value: string): ElementContent {
  return {type: 'raw', value};
}

function serialize(tree: Root): string {
  return `${toHtml(tree, {allowDangerousHtml: true})}\n`;
}
