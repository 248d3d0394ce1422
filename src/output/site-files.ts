import {readFile} from 'node:fs/promises';
import type {ElementContent} from 'hast';
import {toHtml} from 'hast-util-to-html';
import {FONT_FILES, packageFile} from '../charts/fonts.js';
import {anchorHeadings, wrapTables} from '../render/headings.js';
import {compareEntries, indexPage} from '../render/index-page.js';
import {pageLayout} from '../render/page-layout.js';
import {printPage} from '../render/print-page.js';
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
 * Lay out rendered reports as the site's files: the index, one page per
 * report with its chart downloads, the print edition (with `print`: it is
 * printed to the site's PDF, and only then needed), and the stylesheet,
 * fonts and (when a page needs it) client script. A pure function of the
 * reports and the tool, which is what lets cached and sharded reports make
 * the same site as a single cold build. The reports' content trees are
 * changed in place (heading anchors, table wrappers).
 */
export async function layoutSite(
  reports: readonly RenderedReport[],
  options: {readonly print?: boolean} = {},
): Promise<Map<string, string | Uint8Array>> {
  const files = new Map<string, string | Uint8Array>();
  const ordered = [...reports].sort(compareEntries);
  // The tool's files are read while the pages are laid out, and added in the same order as before.
  const stylesheet = readStylesheet();
  const fonts = SITE_FONTS.map((font) => readFile(packageFile(font.from)));
  const script = ordered.some((report) => report.interactive) ? readClientScript() : undefined;
  // Settled whatever happens, so a failed read never goes unhandled while another is awaited.
  for (const pending of [stylesheet, ...fonts, script]) pending?.catch(() => undefined);
  files.set('style.css', await stylesheet);
  for (const [index, font] of SITE_FONTS.entries()) files.set(font.path, await (fonts[index] as Promise<Buffer>));
  const nav = ordered.map((report) => ({slug: report.slug, title: report.frontmatter.title}));
  const entries = ordered.map((report) => ({
    slug: report.slug,
    frontmatter: report.frontmatter,
    keyFigure: report.keyFigure ?? undefined,
  }));
  files.set('index.html', serialize(indexPage(entries, nav)));
  if (script) files.set('interactive.js', await script);
  for (const report of ordered) {
    const toc = anchorHeadings(report.content);
    wrapTables(report.content);
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
    });
    files.set(`${report.slug}/index.html`, serialize(page));
    for (const [name, contents] of report.assets) files.set(`${report.slug}/${name}`, contents);
  }
  // After the pages: the print edition copies their content with anchors and scrolling tables in place.
  if (options.print) files.set('print.html', serialize(printPage(ordered, nav)));
  return files;
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
    {page: 'print.html', pdf: 'pdf/tradeoffs-reports.pdf', title: 'tradeoffs: reports'},
  ];
}

function serialize(tree: Parameters<typeof toHtml>[0]): string {
  return `${toHtml(tree, {allowDangerousHtml: true})}\n`;
}
