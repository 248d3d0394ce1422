import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type {UsageKey} from '../data/catalog-usage.js';
import type {StoredWarning} from '../diagnostics/diagnostics.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import type {ExplorerData} from '../render/explorer-page.js';
import type {PdfCache} from './pdf.js';
import {toolIdentity} from '../tool/identity.js';
import {serializeManifest, streamManifest, type SiteManifest} from './manifest.js';
import type {StreamedContents} from './atomic-output.js';
import {sha256} from '../tool/hash.js';
import {MANIFEST_FILE} from '../project.js';
import {printPdfs} from './pdf.js';
import {
  printJobs,
  siteFiles,
  SITE_PDF,
  type LaidOutReport,
  type PageReuse,
  type SiteContext,
  type SiteFile,
} from './site-files.js';
import {findCachedPdfs} from './pdf.js';
import {compareManifests} from './compare.js';
import {heapTrimmer} from './heap-trim.js';
import {DOWNLOADS, scenarioDownloads} from './site-pages.js';
import {manifestHash} from './manifest.js';
import {readManifestSummary} from './manifest-summary.js';
import {compareText} from '../tool/compare.js';
import {SITE_FOLDERS, SITE_PAGES, type SiteParts} from '../render/site-info.js';
import type {SiteWriter} from './site-writer.js';
import {byKey} from '../tool/compare.js';
import type {ScenarioInputs, SiteInfo} from '../render/site-info.js';

/** A report ready to publish, with what it was made from (for the manifest). */
export interface BuiltReport {
  readonly report: LaidOutReport;
  readonly templateHash: string;
  readonly uses: Readonly<Record<UsageKey, string>>;
}

/** What a whole build was made from: the same for every shard of it. */
export interface SiteMeta {
  readonly inputs: Readonly<Record<string, string>>;
  readonly sampling: SamplingOptions;
  /** The date stamped into PDFs (ISO), taken from the inputs. */
  readonly pdfDate: string;
  readonly warnings: readonly StoredWarning[];
  /** What every page says about how the site was made. */
  readonly site: SiteInfo;
  /** The text of every input file, by path: copied into the site (`source/`) for readers. */
  readonly sources: Readonly<Record<string, string>>;
  /** Every scenario's inputs, by id: with the estimates the reports made, the site's downloads. */
  readonly scenarios: Readonly<Record<string, ScenarioInputs>>;
  /** What the explorer page is made from (src/render/explorer-page.ts): the checked catalog and its scenarios. */
  readonly explorer?: ExplorerData;
}

/** The stages of publishing, as the build times them (`write` lays out each page as it writes it). */
export type PublishStage = 'layout' | 'pdf' | 'write';

/** Runs one stage and accounts for its time. */
export type PublishTimer = <T>(stage: PublishStage, work: () => Promise<T>) => Promise<T>;

/**
 * What publishing tells its caller as it goes: each PDF printed or taken
 * from the cache; in a build without PDFs over a site that had them, which
 * were kept and which removed, and why.
 */
export type PublishEvent =
  | {
      readonly type: 'pdf';
      readonly pdf: string;
      readonly index: number;
      readonly count: number;
      readonly cached: boolean;
    }
  | {
      readonly type: 'pdfs-kept';
      readonly kept: readonly string[];
      readonly removed: readonly string[];
      readonly reason: string;
    };

export interface PublishOptions {
  /** Where the site goes (held by the caller, `claim()`). */
  readonly writer: SiteWriter;
  readonly pdf: boolean;
  readonly timed: PublishTimer;
  /** PDFs of pages printed before, by the hash of what they were printed from. */
  readonly pdfCache: PdfCache;
  readonly onEvent?: ((event: PublishEvent) => void) | undefined;
  /** A previous build to list what changed since (`--compare`): the site gets `changes.html`. */
  readonly compare?: {readonly previous: SiteManifest; readonly threshold: number} | undefined;
  /** The PDFs of the site in place, when the caller has read them already (sitePdfsOf). */
  readonly previousPdfs?: ReadonlySet<string> | undefined;
  /** Reuse of the pages of the site in place (site-files.ts, PageReuse). */
  readonly pages?: PageReuse | undefined;
}

/**
 * Lay out the reports as the site, writing each file as it is made, print
 * its PDFs when asked (from the staged pages, reusing cached PDFs of
 * unchanged pages), add the manifest and put the whole site in place with
 * the writer, which the caller holds. The one tail of `build` and `merge`.
 * A build without PDFs over a site that had them keeps those still current
 * (cached for the same page, date, stylesheet and browser) and says which
 * it removed and why. The manifest it resolves to lists the reports' tables
 * only with a comparison (`compare`) or PDFs; the file written has them all.
 */
export async function publishSite(
  reports: readonly BuiltReport[],
  meta: SiteMeta,
  options: PublishOptions,
): Promise<{manifest: SiteManifest}> {
  const laidOut = reports.map(({report}) => report);
  const jobs = printJobs(laidOut);
  const comparison = options.compare
    ? compareManifests(options.compare.previous, {reports: await manifestReports(reports)}, options.compare.threshold)
    : undefined;
  // The site as written (`published`) reuses pages; a layout to look at does not.
  const contextWith = (pdfs: SiteParts['pdfs'], published = true): SiteContext => ({
    info: meta.site,
    parts: {pdfs, changes: comparison !== undefined},
    sources: reportSources(reports, meta),
    downloads: {sources: Object.keys(meta.sources).sort(compareText), files: DOWNLOADS},
    ...(comparison ? {changes: comparison} : {}),
    explorer: meta.explorer,
    ...(published ? {pages: options.pages} : {}),
  });
  // The print edition (and so the site's PDF) needs every report's print section (LayoutOptions.print).
  const printable = laidOut.every((report) => report.printable);
  const everyPdf = {reports: new Set(laidOut.map((report) => report.slug)), site: printable};
  const noPdf = {reports: new Set<string>(), site: false};
  let kept: ReadonlyMap<string, Uint8Array> = new Map();
  let context = contextWith(options.pdf ? everyPdf : noPdf);
  const previousPdfs = options.pdf ? new Set<string>() : (options.previousPdfs ?? (await sitePdfsOf(options.writer)));
  if (previousPdfs.size > 0) {
    // Laid out as if every PDF were kept, keeping only the pages that had one (and the stylesheet and fonts),
    // to find the cached PDFs of exactly these pages; the site is then laid out with links to the PDFs kept only.
    const before = jobs.filter((job) => previousPdfs.has(job.pdf));
    const pages = new Set(before.map((job) => job.page));
    const linked = await options.timed('layout', async () => {
      const files = new Map<string, string | Uint8Array>();
      for await (const [name, contents] of siteFiles(laidOut, contextWith(everyPdf, false)))
        if (pages.has(name) || name === 'style.css' || name.startsWith('fonts/')) files.set(name, contents);
      return files;
    });
    const found = await findCachedPdfs(linked, before, new Date(meta.pdfDate), options.pdfCache);
    kept = found.kept;
    options.onEvent?.({type: 'pdfs-kept', kept: [...kept.keys()], removed: found.removed, reason: found.reason});
    context = contextWith({
      reports: new Set(
        jobs
          .filter((job) => job.page !== SITE_PAGES.print && kept.has(job.pdf))
          .map((job) => job.page.split('/')[0] as string),
      ),
      site: kept.has(SITE_PDF),
    });
  }
  // Every file's hash, for the manifest, taken as the file goes by.
  const hashes = new Map<string, string>();
  async function* hashed(): AsyncGenerator<SiteFile> {
    const all = async function* (): AsyncGenerator<SiteFile> {
      yield* siteFiles(laidOut, context);
      for (const [file, text] of Object.entries(meta.sources).sort(([a], [b]) => compareText(a, b)))
        yield [`${SITE_FOLDERS.source}/${file}`, text];
      yield* scenarioDownloads(laidOut, meta.scenarios);
      yield* kept;
    };
    // Each page's tree and text are garbage once written: collected as the site goes by when asked (heap-trim.ts).
    const trimHeap = heapTrimmer();
    for await (const file of all()) {
      trimHeap();
      hashes.set(file[0], sha256(file[1]));
      yield file;
    }
  }
  const manifestOf = async (tables = true): Promise<SiteManifest> => ({
    format: 1,
    tool: toolIdentity(),
    sampling: {samples: meta.sampling.samples, seed: meta.sampling.seed},
    pdf: options.pdf,
    inputs: meta.inputs,
    reports: await manifestReports(reports, tables),
    warnings: sortWarnings(meta.warnings),
    files: Object.fromEntries([...hashes.keys()].sort().map((name) => [name, hashes.get(name) as string])),
    compared: options.compare ? manifestHash(options.compare.previous) : null,
  });
  let manifest: SiteManifest | undefined;
  if (!options.pdf) {
    // The manifest goes last: every other file has been hashed by then. Its text is written as it is made,
    // a report's tables at a time (at 200 reports they are 17 MB of its 22); the manifest handed back keeps
    // them only for a comparison to print (`--compare`).
    async function* withManifest(): AsyncGenerator<readonly [string, StreamedContents]> {
      yield* hashed();
      manifest = await manifestOf(options.compare !== undefined);
      const {reports: _listed, ...rest} = manifest;
      yield [MANIFEST_FILE, {chunks: () => streamManifest(rest, manifestReportStream(reports))}];
    }
    await options.timed('write', () => options.writer.write(withManifest()));
    return {manifest: manifest as SiteManifest};
  }
  await options.timed('write', () =>
    options.writer.write(hashed(), async (staging) => {
      // The PDFs are printed from the staged pages; the manifest lists them too.
      await options.timed('pdf', () =>
        printPdfs(staging, jobs, new Date(meta.pdfDate), {
          cache: options.pdfCache,
          onPage: (job, index, cached) =>
            options.onEvent?.({type: 'pdf', pdf: job.pdf, index, count: jobs.length, cached}),
        }),
      );
      const added = new Map<string, string | Uint8Array>();
      for (const job of jobs) {
        const bytes = await readFile(path.join(staging, job.pdf));
        added.set(job.pdf, bytes);
        hashes.set(job.pdf, sha256(bytes));
      }
      manifest = await manifestOf();
      return added.set(MANIFEST_FILE, serializeManifest(manifest));
    }),
  );
  return {manifest: manifest as SiteManifest};
}

/**
 * The reports as the manifest lists them: what they were made from and the numbers they print, and the
 * tables they print unless `tables` is false (their extras read in turn).
 */
async function manifestReports(reports: readonly BuiltReport[], tables = true): Promise<SiteManifest['reports']> {
  const listed: Array<SiteManifest['reports'][number]> = [];
  for (const built of reports) listed.push(await manifestReport(built, tables));
  return listed;
}

/** The reports as the manifest lists them, one at a time: each report's tables are read as it comes. */
async function* manifestReportStream(reports: readonly BuiltReport[]): AsyncGenerator<SiteManifest['reports'][number]> {
  for (const built of reports) yield await manifestReport(built, true);
}

async function manifestReport(
  {report, templateHash, uses}: BuiltReport,
  tables: boolean,
): Promise<SiteManifest['reports'][number]> {
  return {
    slug: report.slug,
    title: report.frontmatter.title,
    template: report.path,
    templateHash,
    uses,
    numbers: report.numbers,
    ...(tables ? {tables: await report.extra('tables')} : {}),
  };
}

/** Each report's sources: its template, then the data files of the records it read, in path order. */
function reportSources(reports: readonly BuiltReport[], meta: SiteMeta): Map<string, string[]> {
  const sources = new Map<string, string[]>();
  for (const {report, uses} of reports) {
    const files = new Set<string>();
    for (const key of Object.keys(uses)) for (const file of meta.site.recordFiles[key] ?? []) files.add(file);
    sources.set(report.slug, [report.path, ...[...files].sort(compareText)]);
  }
  return sources;
}

/**
 * Whether a build lays out the print edition (LayoutOptions.print): with
 * PDFs, or without over a site whose PDF it may keep (`previousPdfs`: the
 * PDFs of the site in place, sitePdfsOf).
 */
export function needsPrintEdition(pdf: boolean, previousPdfs: ReadonlySet<string>): boolean {
  return pdf || previousPdfs.has(SITE_PDF);
}

/**
 * The PDFs of the site in the writer's folder (none in memory, or without a
 * site there), from its manifest's list of files (`manifest`, when the caller read it already).
 */
export async function sitePdfsOf(
  writer: SiteWriter,
  manifest?: {readonly read: Pick<SiteManifest, 'files'> | undefined},
): Promise<Set<string>> {
  if (writer.folder === undefined) return new Set();
  const previous = manifest ? manifest.read : await readManifestSummary(writer.folder);
  return new Set(Object.keys(previous?.files ?? {}).filter((file) => file.startsWith('pdf/')));
}

/** Warnings in file, place and text order: the manifest lists them the same way however the build found them. */
function sortWarnings(warnings: readonly StoredWarning[]): StoredWarning[] {
  const key = (warning: StoredWarning) => {
    const place = warning.place && 'start' in warning.place ? warning.place.start : warning.place;
    return [
      warning.file,
      String(place?.line ?? 0).padStart(8, '0'),
      String(place?.column ?? 0).padStart(8, '0'),
      warning.reason,
    ].join('\0');
  };
  return [...warnings].sort(byKey(key));
}
