import {readdir, readFile} from 'node:fs/promises';
import {FONT_FILES, packageFile} from '../charts/text-metrics.js';
import {formatOutput} from '../render/components/tables.js';
import {anchorHeadings, wrapTables} from '../render/headings.js';
import path from 'node:path';
import type {ElementContent} from 'hast';
import {toHtml} from 'hast-util-to-html';
import {loadCatalog} from '../data/load-catalog.js';
import {Diagnostics, DiagnosticsError} from '../diagnostics/diagnostics.js';
import {compareEntries, indexPage} from '../render/index-page.js';
import {pageLayout} from '../render/page-layout.js';
import {prepareTemplate, renderReport, type PreparedTemplate, type RenderedReport} from '../render/render-report.js';
import {createTemplateScope, type TemplateScope} from '../render/template-scope.js';
import {writeSiteAtomically} from './atomic-output.js';
import {printPdfs, type PrintJob} from './pdf.js';
import {printPage} from '../render/print-page.js';
import type {Catalog} from '../data/catalog.js';
import {readClientScript, readStylesheet} from './tool-assets.js';

export const TEMPLATES_DIR = 'templates';

export interface BuildOptions {
  /** The project folder holding `data/` and `templates/`. */
  readonly root: string;
  /** Where the site goes (default: `<root>/reports`). */
  readonly outDir?: string;
  /** Only check: render everything, write nothing. */
  readonly dryRun?: boolean;
  /** Also print every report, and the site, to PDF (in `pdf/`), before the site is swapped in. */
  readonly pdf?: boolean;
  /** Called when a stage finishes, with its name and duration in milliseconds. */
  readonly onStage?: (stage: BuildStage, milliseconds: number) => void;
}

/** The stages of a build, in order, as timed for `onStage` and the benchmark. */
export type BuildStage = 'load' | 'compile' | 'estimate' | 'evaluate' | 'charts' | 'layout' | 'pdf' | 'write';

/** Runs one stage of the build and accounts for its time. */
export type StageTimer = <T>(stage: BuildStage, work: () => Promise<T>) => Promise<T>;

export interface BuildResult {
  readonly diagnostics: Diagnostics;
  readonly reports: readonly RenderedReport[];
  /** Every file of the site, path → contents. */
  readonly files: ReadonlyMap<string, string | Uint8Array>;
}

/**
 * Build the report site: load and validate the data, compile every template,
 * run it with the estimates, draw its charts, lay out the pages, and swap the
 * finished site into place. Any error stops the build before anything is
 * written and is thrown as a DiagnosticsError holding every problem found.
 */
export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const diagnostics = new Diagnostics();
  const timed: StageTimer = async (stage, work) => {
    const start = performance.now();
    const result = await work();
    options.onStage?.(stage, performance.now() - start);
    return result;
  };
  const catalog = await timed('load', () => loadCatalog(options.root, diagnostics));
  const templates = await timed('compile', () => prepareTemplates(options.root, diagnostics));
  // With broken data, templates would only report knock-on errors: check their syntax, stop there.
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  const scope = createTemplateScope(catalog);
  await timed('estimate', async () => precomputeEstimates(scope, templates));
  const reports: RenderedReport[] = [];
  for (const template of templates) {
    const report = await renderReport(template, scope, catalog, diagnostics, timed);
    if (report) reports.push(report);
  }
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  const files = await timed('layout', () => siteFiles(reports, scope, diagnostics));
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  if (!options.dryRun) {
    const jobs = options.pdf ? printJobs(reports) : [];
    const print = options.pdf ? (staging: string) => timed('pdf', () => printPdfs(staging, jobs, inputsDate(catalog))) : undefined;
    await timed('write', () => writeSiteAtomically(options.outDir ?? path.join(options.root, 'reports'), files, print));
  }
  return {diagnostics, reports, files};
}

async function prepareTemplates(root: string, diagnostics: Diagnostics): Promise<PreparedTemplate[]> {
  let names: string[];
  try {
    names = (await readdir(path.join(root, TEMPLATES_DIR))).filter((name) => name.endsWith('.mdx') && !name.startsWith('_')).sort();
  } catch (error) {
    diagnostics.error(TEMPLATES_DIR, `Cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, undefined, 'io-error');
    return [];
  }
  const prepared: PreparedTemplate[] = [];
  for (const name of names) {
    const relative = `${TEMPLATES_DIR}/${name}`;
    if (!/^[a-z0-9][a-z0-9.-]*\.mdx$/.test(name)) {
      diagnostics.error(relative, `Unexpected file name \`${name}\`, expected lower-case letters, digits, "." and "-" (it becomes the page's address)`, undefined, 'frontmatter');
      continue;
    }
    const text = await readFile(path.join(root, relative), 'utf8');
    const template = await prepareTemplate(relative, text, diagnostics);
    if (template) prepared.push(template);
  }
  return prepared;
}

/**
 * Estimate, once and up front, every scenario (and its sweep) whose id a
 * template's source mentions; templates then read the memoised results.
 * Scenarios no report uses cost nothing.
 */
function precomputeEstimates(scope: TemplateScope, templates: readonly PreparedTemplate[]): void {
  const sources = templates.map((template) => template.compiled.code).join('\n');
  for (const scenario of scope.catalog.scenarios) {
    if (!sources.includes(scenario.id)) continue;
    scope.estimate(scenario.id);
    scope.sweep(scenario.id);
  }
}

/** The site's fonts, served beside the stylesheet: the Inter faces charts are measured with, and their licence. */
export const SITE_FONTS = [
  {path: 'fonts/inter-400.woff2', from: FONT_FILES.regular},
  {path: 'fonts/inter-600.woff2', from: FONT_FILES.semibold},
  {path: 'fonts/LICENSE-Inter.txt', from: '@fontsource/inter/LICENSE'},
] as const;

async function siteFiles(reports: readonly RenderedReport[], scope: TemplateScope, diagnostics: Diagnostics): Promise<Map<string, string | Uint8Array>> {
  const files = new Map<string, string | Uint8Array>();
  files.set('style.css', await readStylesheet());
  for (const font of SITE_FONTS) files.set(font.path, await readFile(packageFile(font.from)));
  const ordered = [...reports].sort(compareEntries);
  const nav = ordered.map((report) => ({slug: report.slug, title: report.frontmatter.title}));
  const entries = ordered.map((report) => ({slug: report.slug, frontmatter: report.frontmatter, keyFigure: keyFigureOf(report, scope, diagnostics)}));
  files.set('index.html', serialize(indexPage(entries, nav)));
  if (ordered.some((report) => report.interactive)) files.set('interactive.js', await readClientScript());
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
  files.set('print.html', serialize(printPage(ordered, nav)));
  return files;
}

/** One PDF per report, and one of the whole site from its print edition. */
export function printJobs(reports: readonly RenderedReport[]): PrintJob[] {
  const ordered = [...reports].sort(compareEntries);
  return [
    ...ordered.map((report) => ({page: `${report.slug}/index.html`, pdf: `pdf/${report.slug}.pdf`, title: report.frontmatter.title})),
    {page: 'print.html', pdf: 'pdf/tradeoffs-reports.pdf', title: 'tradeoffs: reports'},
  ];
}

/**
 * The date stamped into PDFs, from the inputs so that rebuilds give the same
 * bytes: SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the
 * newest dated price in the hardware data, else 2000-01-01.
 */
export function inputsDate(catalog: Catalog): Date {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  if (Number.isInteger(epoch) && epoch > 0) return new Date(epoch * 1000);
  const dates = [...catalog.hardware.values()].flatMap((hardware) => (hardware.price ? [hardware.price.as_of] : [])).sort();
  const newest = dates.at(-1);
  return new Date(newest ? `${newest.length === 7 ? `${newest}-01` : newest}T00:00:00Z` : '2000-01-01T00:00:00Z');
}

/** The key figure a report's frontmatter names, formatted for its index card; an unknown scenario or output is an error in the template. */
function keyFigureOf(report: RenderedReport, scope: TemplateScope, diagnostics: Diagnostics): {label: string; text: string} | undefined {
  const key = report.frontmatter.key_figure;
  if (!key) return undefined;
  try {
    const estimate = scope.estimate(key.scenario, key.hardware === undefined ? {} : {hardware: key.hardware});
    return {label: key.label, text: formatOutput(estimate, key.output, undefined, 'key_figure').text};
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    diagnostics.error(report.path, `Frontmatter \`key_figure\`: ${message.replace('<key_figure>', '`key_figure`')}`, {line: 1, column: 1}, 'frontmatter');
    return undefined;
  }
}

function serialize(tree: Parameters<typeof toHtml>[0]): string {
  return `${toHtml(tree, {allowDangerousHtml: true})}\n`;
}
