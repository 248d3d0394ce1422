import type {UsageKey} from '../data/catalog-usage.js';
import {usageHash} from '../data/record-hashes.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import type {PdfCache} from '../output/pdf.js';
import type {BuildCache} from './build-cache.js';
import {cachedReportSchema, type CachedReport} from './staleness.js';
import {z} from 'zod';
import {usageHashesSchema} from '../data/catalog-usage.js';
import {reportSummarySchema} from '../output/site-files.js';

/**
 * What a build keeps of its reports in the cache (build-cache.ts): each
 * rendered report with what it was made from, under its slug, for the next
 * build to reuse when none of that changed (staleness.ts); and PDFs.
 */

/** The report of `slug` as the last build that rendered it left it, or `undefined`. */
export function readCachedReport(cache: BuildCache, slug: string): Promise<CachedReport | undefined> {
  return cache.readJson('reports', slug, cachedReportSchema);
}

/** The same, with the hash of the entry (the `source` of its page: site-files.ts, PageReuse). */
export function readCachedReportHashed(
  cache: BuildCache,
  slug: string,
): Promise<{value: CachedReport; hash: string} | undefined> {
  return cache.readJsonHashed('reports', slug, cachedReportSchema);
}

/** Keep a report just rendered for the next build; resolves to the hash of the entry. */
export function writeCachedReport(cache: BuildCache, slug: string, entry: CachedReport): Promise<string> {
  return cache.writeJson('reports', slug, entry);
}

/**
 * A report's summary as the cache keeps it beside the report: what it was
 * made from (as the report's entry says), the hash of that entry (`source`)
 * and its summary (site-files.ts, ReportSummary). Planning reads it instead
 * of the report, whose content is read only if its page must be made again.
 */
export const cachedSummarySchema = z.object({
  templateHash: z.string(),
  fingerprint: z.string(),
  sampling: z.string(),
  uses: usageHashesSchema,
  source: z.string(),
  summary: reportSummarySchema,
});
export type CachedSummary = Readonly<z.infer<typeof cachedSummarySchema>>;

export function readCachedSummary(cache: BuildCache, slug: string): Promise<CachedSummary | undefined> {
  return cache.readJson('summaries', slug, cachedSummarySchema);
}

export async function writeCachedSummary(cache: BuildCache, slug: string, entry: CachedSummary): Promise<void> {
  await cache.writeJson('summaries', slug, entry);
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
