import {readFile} from 'node:fs/promises';
import type {ElementContent, Root} from 'hast';
import {toHtml} from 'hast-util-to-html';
import {z} from 'zod';
import {FONT_FILES, packageFile} from '../charts/fonts.js';
import {storedWarningSchema} from '../diagnostics/diagnostics.js';
import {reportNumberSchema} from '../render/components/page-state.js';
import {frontmatterSchema} from '../render/frontmatter.js';
import {anchorHeadings, wrapTables, type TocEntry} from '../render/headings.js';
import {compareEntries, indexPage} from '../render/index-page.js';
import {pageLayout} from '../render/page-layout.js';
import {printEdition, printSection} from '../render/print-page.js';
import type {RenderedReport} from '../render/render-report.js';
import type {PrintJob} from './pdf.js';
import {readClientScript, readStylesheet} from '../tool/assets.js';

/** The site's fonts, served beside the stylesheet: the Inter faces charts are measured with, and their licence. */
export const SITE_FONTS = [
  {path: 'fonts/inter-400.woff2', from: FONT_FILES.regular},
  {path: 'fonts/inter-600.woff2', from: FONT_FILES.semibold},
  {path: 'fonts/LICENSE-Inter.txt', from: '@fontsource/inter/LICENSE'},
] as const;

/**
 * A report laid out for the site, all but what needs the other reports (the
 * navigation): its content as the HTML that goes into its page's article
 * (headings anchored, tables wrapped), its table of contents, its chart
 * downloads, and, when laid out for print, its section of the print
 * edition. Plain strings: a build holds one of these per report, not the
 * content tree, and keeps it in the cache and in shards.
 */
export interface LaidOutReport {
  readonly slug: string;
  readonly path: string;
  readonly frontmatter: RenderedReport['frontmatter'];
  readonly keyFigure: RenderedReport['keyFigure'];
  readonly numbers: RenderedReport['numbers'];
  readonly warnings: RenderedReport['warnings'];
  readonly interactive: boolean;
  readonly chartCount: number;
  readonly toc: readonly TocEntry[];
  /** The page's content, serialised. */
  readonly html: string;
  readonly assets: RenderedReport['assets'];
  /** The report's section of the print edition, serialised; `null` unless laid out for print. */
  readonly print: string | null;
}

/** A laid-out report read back from JSON (the cache, a shard): keys in the order written. */
export const laidOutReportSchema: z.ZodType<LaidOutReport> = z.object({
  slug: z.string(),
  path: z.string(),
  frontmatter: frontmatterSchema,
  keyFigure: z.object({label: z.string(), text: z.string()}).nullable(),
  numbers: z.array(reportNumberSchema),
  warnings: z.array(storedWarningSchema),
  interactive: z.boolean(),
  chartCount: z.number().int().nonnegative(),
  toc: z.array(z.object({id: z.string(), text: z.string(), depth: z.union([z.literal(2), z.literal(3)])})),
  html: z.string(),
  assets: z.array(z.tuple([z.string(), z.string()])),
  print: z.string().nullable(),
});

/**
 * Lay out one rendered report (its content tree is changed in place:
 * heading anchors, table wrappers), with its print section when `print`.
 * What is left of the tree afterwards is garbage: the strings are the report.
 */
export function layoutReport(report: RenderedReport, options: {readonly print: boolean}): LaidOutReport {
  const toc = anchorHeadings(report.content);
  wrapTables(report.content);
  return {
    slug: report.slug,
    path: report.path,
    frontmatter: report.frontmatter,
    keyFigure: report.keyFigure,
    numbers: report.numbers,
    warnings: report.warnings,
    interactive: report.interactive,
    chartCount: report.chartCount,
    toc,
    html: toHtml({type: 'root', children: report.content.children}, {allowDangerousHtml: true}),
    assets: report.assets,
    // After the anchors and table wrappers: the print edition copies the content with them in place.
    print: options.print ? toHtml(printSection(report), {allowDangerousHtml: true}) : null,
  };
}

/** A file of the site: its path in the site and its contents. */
export type SiteFile = readonly [path: string, contents: string | Uint8Array];

/**
 * The site's files, one at a time, from laid-out reports: the stylesheet,
 * fonts and (when a page needs it) client script, the index, one page per
 * report with its chart downloads, and the print edition when `print`
 * (every report must then have its print section). Each page is made when
 * it is asked for, from strings, so a consumer that writes each file as it
 * comes holds one page at a time. A pure function of the reports and the
 * tool: cached and sharded reports make the same site as a cold build.
 */
export async function* siteFiles(
  reports: readonly LaidOutReport[],
  options: {readonly print: boolean},
): AsyncGenerator<SiteFile> {
  const ordered = [...reports].sort(compareEntries);
  yield ['style.css', await readStylesheet()];
  for (const font of SITE_FONTS) yield [font.path, await readFile(packageFile(font.from))];
  const nav = ordered.map((report) => ({slug: report.slug, title: report.frontmatter.title}));
  const entries = ordered.map((report) => ({
    slug: report.slug,
    frontmatter: report.frontmatter,
    keyFigure: report.keyFigure ?? undefined,
  }));
  yield ['index.html', serialize(indexPage(entries, nav))];
  if (ordered.some((report) => report.interactive)) yield ['interactive.js', await readClientScript()];
  for (const report of ordered) {
    const page = pageLayout({
      title: report.frontmatter.title,
      description: report.frontmatter.summary,
      rootPath: '../',
      kind: 'report',
      content: [raw(report.html)],
      nav,
      current: report.slug,
      toc: report.toc,
      script: report.interactive,
    });
    yield [`${report.slug}/index.html`, serialize(page)];
    for (const [name, contents] of report.assets) yield [`${report.slug}/${name}`, contents];
  }
  if (options.print) {
    const sections = ordered.map((report) => {
      if (report.print === null) throw new Error(`${report.slug} was not laid out for print`);
      return {slug: report.slug, section: raw(report.print)};
    });
    yield [
      'print.html',
      serialize(
        printEdition(
          ordered.map((report) => report.frontmatter.title),
          sections,
          nav,
        ),
      ),
    ];
  }
}

/** Lay out rendered reports and collect the whole site in memory (tests; a build streams siteFiles instead). */
export async function layoutSite(
  reports: readonly RenderedReport[],
  options: {readonly print?: boolean} = {},
): Promise<Map<string, string | Uint8Array>> {
  const print = options.print === true;
  const files = new Map<string, string | Uint8Array>();
  for await (const [name, contents] of siteFiles(
    reports.map((report) => layoutReport(report, {print})),
    {print},
  ))
    files.set(name, contents);
  return files;
}

/** One PDF per report, and one of the whole site from its print edition. */
export function printJobs(reports: ReadonlyArray<Pick<LaidOutReport, 'slug' | 'frontmatter'>>): PrintJob[] {
  const ordered = [...reports].sort(compareEntries);
  return [
    ...ordered.map((report) => ({
      page: `${report.slug}/index.html`,
      pdf: `pdf/${report.slug}.pdf`,
      title: report.frontmatter.title,
    })),
    {page: 'print.html', pdf: 'pdf/tradeoffs-reports.pdf', title: 'tradeoffs: reports'},
  ];
}

/** Markup already serialised, as a node that goes into a tree as it is. */
function raw(value: string): ElementContent {
  return {type: 'raw', value};
}

function serialize(tree: Root): string {
  return `${toHtml(tree, {allowDangerousHtml: true})}\n`;
}
