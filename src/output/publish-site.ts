import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type {UsageKey} from '../data/catalog-usage.js';
import type {StoredWarning} from '../diagnostics/diagnostics.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import type {PdfCache} from './pdf.js';
import {toolIdentity} from '../tool/identity.js';
import {serializeManifest, type SiteManifest} from './manifest.js';
import {sha256} from '../tool/hash.js';
import {MANIFEST_FILE} from '../project.js';
import {printPdfs} from './pdf.js';
import {printJobs, siteFiles, type LaidOutReport, type SiteFile} from './site-files.js';
import type {SiteWriter} from './site-writer.js';
import {byKey} from '../tool/compare.js';

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
}

/** The stages of publishing, as the build times them (`write` lays out each page as it writes it). */
export type PublishStage = 'layout' | 'pdf' | 'write';

/** Runs one stage and accounts for its time. */
export type PublishTimer = <T>(stage: PublishStage, work: () => Promise<T>) => Promise<T>;

/** What publishing tells its caller as it goes: each PDF printed or taken from the cache. */
export interface PublishEvent {
  readonly type: 'pdf';
  readonly pdf: string;
  readonly index: number;
  readonly count: number;
  readonly cached: boolean;
}

export interface PublishOptions {
  /** Where the site goes (held by the caller, `claim()`). */
  readonly writer: SiteWriter;
  readonly pdf: boolean;
  readonly timed: PublishTimer;
  /** PDFs of pages printed before, by the hash of what they were printed from. */
  readonly pdfCache: PdfCache;
  readonly onEvent?: ((event: PublishEvent) => void) | undefined;
}

/**
 * Lay out the reports as the site, writing each file as it is made, print
 * its PDFs when asked (from the staged pages, reusing cached PDFs of
 * unchanged pages), add the manifest and put the whole site in place with
 * the writer, which the caller holds. The one tail of `build` and `merge`.
 */
export async function publishSite(
  reports: readonly BuiltReport[],
  meta: SiteMeta,
  options: PublishOptions,
): Promise<{manifest: SiteManifest}> {
  const laidOut = reports.map(({report}) => report);
  // Every file's hash, for the manifest, taken as the file goes by.
  const hashes = new Map<string, string>();
  async function* hashed(): AsyncGenerator<SiteFile> {
    for await (const file of siteFiles(laidOut, {print: options.pdf})) {
      hashes.set(file[0], sha256(file[1]));
      yield file;
    }
  }
  const manifestOf = (): SiteManifest => ({
    format: 1,
    tool: toolIdentity(),
    sampling: {samples: meta.sampling.samples, seed: meta.sampling.seed},
    pdf: options.pdf,
    inputs: meta.inputs,
    reports: reports.map(({report, templateHash, uses}) => ({
      slug: report.slug,
      title: report.frontmatter.title,
      template: report.path,
      templateHash,
      uses,
      numbers: report.numbers,
    })),
    warnings: sortWarnings(meta.warnings),
    files: Object.fromEntries([...hashes].sort(byKey(([name]) => name))),
  });
  let manifest: SiteManifest | undefined;
  await options.timed('write', () =>
    options.writer.write(hashed(), async (staging) => {
      const added = new Map<string, string | Uint8Array>();
      if (options.pdf) {
        // The PDFs are printed from the staged pages; the manifest lists them too.
        const jobs = printJobs(laidOut);
        await options.timed('pdf', () =>
          printPdfs(staging, jobs, new Date(meta.pdfDate), {
            cache: options.pdfCache,
            onPage: (job, index, cached) =>
              options.onEvent?.({type: 'pdf', pdf: job.pdf, index, count: jobs.length, cached}),
          }),
        );
        for (const job of jobs) {
          const bytes = await readFile(path.join(staging, job.pdf));
          added.set(job.pdf, bytes);
          hashes.set(job.pdf, sha256(bytes));
        }
      }
      manifest = manifestOf();
      return added.set(MANIFEST_FILE, serializeManifest(manifest));
    }),
  );
  return {manifest: manifest as SiteManifest};
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
