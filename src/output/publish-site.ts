import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type {UsageKey} from '../data/catalog-usage.js';
import type {StoredWarning} from '../diagnostics/diagnostics.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import type {ExplorerData} from '../render/explorer-page.js';
import type {RenderedReport} from '../render/render-report.js';
import type {PdfCache} from './pdf.js';
import {toolIdentity} from '../tool/identity.js';
import {hashFiles, serializeManifest, type SiteManifest} from './manifest.js';
import {MANIFEST_FILE} from '../project.js';
import {printPdfs} from './pdf.js';
import {layoutSite, printJobs, SITE_PDF, type SiteContext} from './site-files.js';
import {findCachedPdfs} from './pdf.js';
import {compareManifests} from './compare.js';
import {DOWNLOADS, scenarioDownloads} from './site-pages.js';
import {readManifest, manifestHash} from './manifest.js';
import {Diagnostics} from '../diagnostics/diagnostics.js';
import {compareText} from '../tool/compare.js';
import {SITE_FOLDERS, SITE_PAGES, type SiteParts} from '../render/site-info.js';
import type {SiteWriter} from './site-writer.js';
import {byKey} from '../tool/compare.js';
import type {ScenarioInputs, SiteInfo} from '../render/site-info.js';

/** A report ready to publish, with what it was made from (for the manifest). */
export interface BuiltReport {
  readonly report: RenderedReport;
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

/** The stages of publishing, as the build times them. */
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
}

/**
 * Lay out the reports as the site, print its PDFs when asked (from the
 * staged pages, reusing cached PDFs of unchanged pages), add the manifest
 * and put the whole site in place with the writer, which the caller holds.
 * The one tail of `build` and `merge`. A build without PDFs over a site
 * that had them keeps those still current (cached for the same page, date,
 * stylesheet and browser) and says which it removed and why.
 */
export async function publishSite(
  reports: readonly BuiltReport[],
  meta: SiteMeta,
  options: PublishOptions,
): Promise<{files: Map<string, string | Uint8Array>; manifest: SiteManifest}> {
  const rendered = reports.map(({report}) => report);
  const jobs = printJobs(rendered);
  const comparison = options.compare
    ? compareManifests(options.compare.previous, {reports: manifestReports(reports)}, options.compare.threshold)
    : undefined;
  const contextWith = (pdfs: SiteParts['pdfs']): SiteContext => ({
    info: meta.site,
    parts: {pdfs, changes: comparison !== undefined},
    sources: reportSources(reports, meta),
    downloads: {sources: Object.keys(meta.sources).sort(compareText), files: DOWNLOADS},
    ...(comparison ? {changes: comparison} : {}),
    explorer: meta.explorer,
  });
  const everyPdf = {reports: new Set(rendered.map((report) => report.slug)), site: true};
  const noPdf = {reports: new Set<string>(), site: false};
  let kept: ReadonlyMap<string, Uint8Array> = new Map();
  let files: Map<string, string | Uint8Array>;
  const previousPdfs = options.pdf ? new Set<string>() : await pdfsOf(options.writer);
  if (previousPdfs.size > 0) {
    // Laid out as if every PDF were kept (on a copy: layout changes the reports' trees), to find
    // the cached PDFs of exactly these pages; then again with the links to the PDFs kept only.
    const linked = await options.timed('layout', () => layoutSite(copyReports(rendered), contextWith(everyPdf)));
    const before = jobs.filter((job) => previousPdfs.has(job.pdf));
    const found = await findCachedPdfs(linked, before, new Date(meta.pdfDate), options.pdfCache);
    kept = found.kept;
    options.onEvent?.({type: 'pdfs-kept', kept: [...kept.keys()], removed: found.removed, reason: found.reason});
    const pdfs = {
      reports: new Set(
        jobs
          .filter((job) => job.page !== SITE_PAGES.print && kept.has(job.pdf))
          .map((job) => job.page.split('/')[0] as string),
      ),
      site: kept.has(SITE_PDF),
    };
    files = await options.timed('layout', () => layoutSite(rendered, contextWith(pdfs)));
  } else {
    files = await options.timed('layout', () => layoutSite(rendered, contextWith(options.pdf ? everyPdf : noPdf)));
  }
  for (const [file, text] of Object.entries(meta.sources).sort(([a], [b]) => compareText(a, b)))
    files.set(`${SITE_FOLDERS.source}/${file}`, text);
  for (const [file, text] of scenarioDownloads(rendered, meta.scenarios)) files.set(file, text);
  for (const [file, bytes] of kept) files.set(file, bytes);
  const manifestOf = (all: ReadonlyMap<string, string | Uint8Array>): SiteManifest => ({
    format: 1,
    tool: toolIdentity(),
    sampling: {samples: meta.sampling.samples, seed: meta.sampling.seed},
    pdf: options.pdf,
    inputs: meta.inputs,
    reports: manifestReports(reports),
    warnings: sortWarnings(meta.warnings),
    files: hashFiles(all),
    compared: options.compare ? manifestHash(options.compare.previous) : null,
  });
  if (!options.pdf) {
    const manifest = manifestOf(files);
    const site = new Map(files).set(MANIFEST_FILE, serializeManifest(manifest));
    await options.timed('write', () => options.writer.write(site));
    return {files, manifest};
  }
  let manifest: SiteManifest | undefined;
  await options.timed('write', () =>
    options.writer.write(files, async (staging) => {
      // The PDFs are printed from the staged pages; the manifest lists them too.
      await options.timed('pdf', () =>
        printPdfs(staging, jobs, new Date(meta.pdfDate), {
          cache: options.pdfCache,
          onPage: (job, index, cached) =>
            options.onEvent?.({type: 'pdf', pdf: job.pdf, index, count: jobs.length, cached}),
        }),
      );
      const added = new Map<string, string | Uint8Array>();
      for (const job of jobs) added.set(job.pdf, await readFile(path.join(staging, job.pdf)));
      manifest = manifestOf(new Map([...files, ...added]));
      return added.set(MANIFEST_FILE, serializeManifest(manifest));
    }),
  );
  return {files, manifest: manifest as SiteManifest};
}

/** The reports as the manifest lists them: what they were made from and the numbers they print. */
function manifestReports(reports: readonly BuiltReport[]): SiteManifest['reports'] {
  return reports.map(({report, templateHash, uses}) => ({
    slug: report.slug,
    title: report.frontmatter.title,
    template: report.path,
    templateHash,
    uses,
    numbers: report.numbers,
    tables: report.tables,
  }));
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

/** The PDFs of the site in the writer's folder (none in memory, or without a site there). */
async function pdfsOf(writer: SiteWriter): Promise<Set<string>> {
  if (writer.folder === undefined) return new Set();
  const previous = await readManifest(writer.folder, new Diagnostics());
  return new Set(Object.keys(previous?.files ?? {}).filter((file) => file.startsWith('pdf/')));
}

/** Copies of reports whose content trees a layout may change. */
function copyReports(reports: readonly RenderedReport[]): RenderedReport[] {
  return reports.map((report) => ({...report, content: structuredClone(report.content)}));
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
