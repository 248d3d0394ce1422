import type {UsageKey} from '../data/catalog-usage.js';
import {usageHash} from '../data/record-hashes.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import type {PdfCache} from '../output/pdf.js';
import type {BuildCache} from './build-cache.js';
import {cachedReportSchema, type CachedReport} from './staleness.js';
import {z} from 'zod';
import {usageHashesSchema} from '../data/catalog-usage.js';
import {
  foreignExtra,
  reportExtraSchemas,
  reportSummaryHeadSchema,
  type ReportExtras,
  type ReportSummary,
} from '../output/site-files.js';

/**
 * What a build keeps of its reports in the cache (build-cache.ts): each
 * rendered report with what it was made from, under its slug, for the next
 * build to reuse when none of that changed (staleness.ts); and PDFs.
 */

/** The report of `slug` as the last build that rendered it left it, or `undefined`. */
export function readCachedReport(cache: BuildCache, slug: string): Promise<CachedReport | undefined> {
  return cache.readJson('reports', slug, cachedReportSchema);
}

/** The same, with the hash of the entry (the `source` of its page: site-files.ts, PageReuse) and its file's stamp. */
export function readCachedReportHashed(
  cache: BuildCache,
  slug: string,
): Promise<{value: CachedReport; hash: string; stamp?: string | undefined} | undefined> {
  return cache.readJsonHashed('reports', slug, cachedReportSchema);
}

/** Keep a report just rendered for the next build; resolves to the hash of the entry and its file's stamp. */
export function writeCachedReport(
  cache: BuildCache,
  slug: string,
  entry: CachedReport,
): Promise<{hash: string; stamp?: string | undefined}> {
  return cache.writeJsonStamped('reports', slug, entry);
}

/**
 * Whether the cache's entry of the report of `slug` is still the one of hash `source`: by its file's
 * stamp when the summary kept it and it is unchanged (build-cache.ts, stampOf), else by hashing it. At
 * 200 generated reports, stamps save reading and hashing 168 MB to plan a one-report edit (issue #18). A
 * stamp that matched a changed entry could not make a page stale: a page taken from the site in place is
 * the page of `source` (site-files.ts, PageReuse), and a page made again reads the entry's content,
 * checked against `source` then (build-plan.ts, fromSummary).
 */
export async function isCachedReport(
  cache: BuildCache,
  slug: string,
  source: string,
  stamp: string | undefined,
): Promise<boolean> {
  if (stamp !== undefined && stamp === (await cache.stampOf('reports', slug))) return true;
  return (await cache.hashOf('reports', slug)) === source;
}

/**
 * A report's summary as the cache keeps it beside the report: what it was
 * made from (as the report's entry says), the hash of that entry (`source`)
 * and its summary (site-files.ts, ReportSummary). Planning reads it instead
 * of the report, whose content is read only if its page must be made again.
 * The entry is three JSON lines, each read alone: the summary without its
 * extras (its tables, its search sections: some 90% of it), which planning
 * reads; then each extra with the `source` it was made from, read by the
 * pass that needs it (the manifest, the search index), so a build holds
 * neither while it plans, nor parses one twice (issue #18: at 200 reports,
 * 95 MB held while planning a one-report edit).
 */
export const cachedSummarySchema = z.object({
  templateHash: z.string(),
  fingerprint: z.string(),
  sampling: z.string(),
  uses: usageHashesSchema,
  source: z.string(),
  /** The stamp of the entry's file when this summary was made from it (isCachedReport). */
  stamp: z.string().optional(),
  summary: reportSummaryHeadSchema,
});
export type CachedSummary = Readonly<z.infer<typeof cachedSummarySchema>>;

/** The extras, in the order of their lines after the summary's. */
const SUMMARY_EXTRAS = ['tables', 'search'] as const;

/** Each extra's line: the extra with the `source` of the summary it was kept with. */
const summaryExtraLines: {
  readonly [Part in keyof ReportExtras]: z.ZodType<{source: string} & Record<Part, ReportExtras[Part]>>;
} = {
  tables: z.object({source: z.string(), tables: reportExtraSchemas.tables}),
  search: z.object({source: z.string(), search: reportExtraSchemas.search}),
};

/** A summary's first line: what planning reads. */
export function readCachedSummary(cache: BuildCache, slug: string): Promise<CachedSummary | undefined> {
  return cache.readJsonLine('summaries', slug, 0, cachedSummarySchema);
}

/**
 * One extra of the summary of `slug`, read alone: `undefined` when the entry no longer holds it, or holds
 * it for another `source` than the summary that was read (another build sharing the cache replaced it).
 */
export async function readSummaryExtra<Part extends keyof ReportExtras>(
  cache: BuildCache,
  slug: string,
  source: string,
  part: Part,
): Promise<ReportExtras[Part] | undefined> {
  const line = await cache.readJsonLine('summaries', slug, SUMMARY_EXTRAS.indexOf(part) + 1, summaryExtraLines[part]);
  if (line?.source !== source) return undefined;
  // Checked by the part's own schema (summaryExtraLines[part]); TypeScript cannot follow a generic key there.
  const value = line[part] as ReportExtras[Part];
  return foreignExtra(slug, part, value) === undefined ? value : undefined;
}

export async function writeCachedSummary(
  cache: BuildCache,
  slug: string,
  entry: Omit<CachedSummary, 'summary'> & {readonly summary: ReportSummary},
): Promise<void> {
  const {tables, search, ...head} = entry.summary;
  const extras: ReportExtras = {tables, search};
  await cache.writeJsonLines('summaries', slug, [
    {...entry, summary: head},
    ...SUMMARY_EXTRAS.map((part) => ({source: entry.source, [part]: extras[part]})),
  ]);
}

/** How a cached report names the sampling it was rendered with: `samples/seed`. */
export function samplingKey(sampling: SamplingOptions): string {
  return `${sampling.samples}/${sampling.seed}`;
}

/** The record hashes behind what a report read, keys sorted. */
export function usesOf(used: ReadonlySet<UsageKey>, hashes: ReadonlyMap<UsageKey, string>): Record<UsageKey, string> {
  const uses: Record<UsageKey, string> = {};
  for (const key of [...used].sort()) uses[key] = usageHash(hashes, key);
  return uses;
}

/** The cache's PDF entries, as publishing reads and writes them. */
export function pdfCacheOf(cache: BuildCache): PdfCache {
  return {
    get: (key) => cache.readBytes('pdf', `${key}.pdf`),
    set: (key, bytes) => cache.writeBytes('pdf', `${key}.pdf`, bytes),
  };
}
