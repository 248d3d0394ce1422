import type {Catalog} from '../data/catalog.js';
import type {UsageKey} from '../data/catalog-usage.js';
import {replayWarnings, type Diagnostics} from '../diagnostics/diagnostics.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import type {SiteManifest} from '../output/manifest.js';
import type {ManifestSummary} from '../output/manifest-summary.js';
import type {BuiltReport} from '../output/publish-site.js';
import {shardOf, type ShardSpec} from '../output/shard.js';
import type {SiteWriter} from '../output/site-writer.js';
import {reportNameProblem, TEMPLATES_DIR} from '../project.js';
import {readFailure} from '../data/project-files.js';
import {byKey} from '../tool/compare.js';
import {slugOf} from '../render/render-report.js';
import type {BuildEvent} from './build-options.js';
import type {BuildCache} from './build-cache.js';
import type {InputEntry, InputReader} from './input-reader.js';
import {
  readCachedReportHashed,
  readCachedSummary,
  readSummaryExtra,
  isCachedReport,
  samplingKey,
  writeCachedSummary,
  type CachedSummary,
} from './report-cache.js';
import {heapTrimmer} from '../output/heap-trim.js';
import {laidOut, summaryOf, type LaidOutReport} from '../output/site-files.js';
import type {PageSpill} from '../output/page-spill.js';
import {whyStale} from './staleness.js';
import type {TemplateCompiler} from './template-compiler.js';
import {upToDateManifest} from './up-to-date.js';

/**
 * Planning a build: is the site in place already that of these inputs, which
 * templates are reports (of this shard), and which reports the cache holds
 * as they would be rendered now; the others are rendered, each with why.
 */

/** A template to render and why (`templates/x.mdx changed`, `not in the cache`, `the cache is off (--no-cache)`). */
export interface StaleReport {
  readonly name: string;
  readonly reason: string;
}

export interface ReportPlan {
  /** Reports the cache holds as they would be rendered now, by template name, in template order. */
  readonly reused: ReadonlyMap<string, BuiltReport>;
  /** Reports to render, in template order. */
  readonly stale: readonly StaleReport[];
}

/** The manifest of the site the writer's folder holds when it is exactly what these inputs make; else `undefined`. */
export async function upToDateSite(
  writer: SiteWriter,
  question: {
    root: string;
    pdf: boolean;
    sampling: SamplingOptions;
    inputs: Readonly<Record<string, string>>;
    compared: string | null;
    /** The manifest of the site in place without its reports, read already (readManifestSummary). */
    manifest: ManifestSummary | undefined;
  },
): Promise<SiteManifest | undefined> {
  if (writer.folder === undefined) return undefined;
  return upToDateManifest({
    ...question,
    manifest: {read: question.manifest},
    outDir: writer.folder,
    holdingLock: true,
  });
}

/**
 * The report templates of a project: `templates/*.mdx` but partials
 * (`_*.mdx`), sorted. A name that cannot be a page's address (project.ts),
 * and a template that is not a regular file inside the project (a link out
 * of it or to nothing, a named pipe), is an error at its path.
 */
export async function templateNames(reader: InputReader, diagnostics: Diagnostics): Promise<string[]> {
  let entries: InputEntry[];
  try {
    entries = await reader.entries(TEMPLATES_DIR);
  } catch (error) {
    diagnostics.error(TEMPLATES_DIR, `Cannot read folder: ${readFailure(error)}`, undefined, 'io-error');
    return [];
  }
  const names = entries
    .filter(({name}) => name.endsWith('.mdx') && !name.startsWith('_'))
    .sort(byKey(({name}) => name));
  const valid: string[] = [];
  for (const {name, kind} of names) {
    const relative = `${TEMPLATES_DIR}/${name}`;
    const problem = reportNameProblem(name.slice(0, -'.mdx'.length));
    if (problem) {
      diagnostics.error(relative, `Unexpected file name \`${name}\`, ${problem}`, undefined, 'frontmatter');
      continue;
    }
    if (kind !== 'file') {
      const reason = await reader.readBytes(relative).then(
        () => 'not a regular file',
        (error: unknown) => readFailure(error),
      );
      diagnostics.error(
        relative,
        `Cannot read file: ${kind === 'folder' ? 'a folder, expected a file' : reason}`,
        undefined,
        'io-error',
      );
      continue;
    }
    valid.push(name);
  }
  return valid;
}

/** The templates a build renders: all of them, or those of its shard. */
export function selectShard(names: readonly string[], shard: ShardSpec | undefined): string[] {
  return shard ? names.filter((_name, index) => shardOf(index, shard)) : [...names];
}

/** What a report is made from besides its data: the tool and the sampling. */
export interface PlanContext {
  readonly cache: BuildCache;
  readonly compiler: TemplateCompiler;
  readonly catalog: Catalog;
  readonly hashes: ReadonlyMap<UsageKey, string>;
  readonly fingerprint: string;
  readonly sampling: SamplingOptions;
  /** Keep each report's laid-out tree (a shard build writes it). */
  readonly keepTrees: boolean;
  /** Lay out each report's section of the print edition (LayoutOptions.print). */
  readonly print: boolean;
  /** Where each laid-out report's body waits until its page is written. */
  readonly spill: PageSpill;
}

/** Reuse what the cache holds for unchanged reports (their warnings are reported again); note why the others are rendered. */
export async function planReports(
  names: readonly string[],
  context: PlanContext,
  diagnostics: Diagnostics,
): Promise<ReportPlan> {
  const reused = new Map<string, BuiltReport>();
  const stale: StaleReport[] = [];
  // Each cached report's tree is garbage once laid out: collected as the plan goes when asked (heap-trim.ts).
  const trimHeap = heapTrimmer();
  for (const name of names) {
    trimHeap();
    if (context.cache.dir === undefined) {
      // Nothing is reused without a cache: say so, not that the report was never built.
      stale.push({name, reason: 'the cache is off (--no-cache)'});
      continue;
    }
    const slug = slugOf(name);
    const inputs = {
      template: `${TEMPLATES_DIR}/${name}`,
      templateHash: await context.compiler.hashOf(name),
      fingerprint: context.fingerprint,
      sampling: samplingKey(context.sampling),
    };
    // Its summary, when a build needs no more of it than its page (not a shard's tree, nor a print section).
    const summarised = !context.keepTrees && !context.print;
    const summary = summarised ? await readCachedSummary(context.cache, slug) : undefined;
    // Taken only while the report it summarises is in the cache as it was (its page may have to be made from it).
    if (
      summary &&
      whyStale(summary, inputs, context.hashes, context.catalog) === undefined &&
      (await isCachedReport(context.cache, slug, summary.source, summary.stamp))
    ) {
      replayWarnings(summary.summary.warnings, diagnostics);
      reused.set(name, {
        report: fromSummary(context.cache, summary),
        templateHash: summary.templateHash,
        uses: summary.uses,
      });
      continue;
    }
    const read = await readCachedReportHashed(context.cache, slug);
    const cached = read?.value;
    const reason = whyStale(cached, inputs, context.hashes, context.catalog);
    if (reason === undefined && read && cached) {
      replayWarnings(cached.report.warnings, diagnostics);
      // Laid out at once: the build keeps the report's strings, not its tree.
      const laid = {...laidOut(cached.report, {keep: context.keepTrees, print: context.print}), source: read.hash};
      if (summarised) await keepSummary(context.cache, {...cached, stamp: read.stamp}, laid);
      const report = await context.spill.keep(laid);
      reused.set(name, {report, templateHash: cached.templateHash, uses: cached.uses});
    } else {
      // Compiled meanwhile (in the template process), while the other reports are planned.
      context.compiler.start(name);
      stale.push({name, reason: reason ?? 'not in the cache'});
    }
  }
  return {reused, stale};
}

/**
 * A report as its summary gives it: its body is read from its cache entry
 * only if its page is made again (the site in place may hold that page:
 * site-files.ts, PageReuse), and must be the entry the summary was made from.
 */
function fromSummary(cache: BuildCache, {source, summary}: CachedSummary): LaidOutReport {
  const changed = () =>
    new Error(
      `The build cache's entry of ${summary.slug} changed while this build read it (another build sharing the cache?): build again`,
    );
  return {
    ...summary,
    printable: false,
    source,
    extra: async (part) => {
      const extra = await readSummaryExtra(cache, summary.slug, source, part);
      if (extra === undefined) throw changed();
      return extra;
    },
    body: async () => {
      const read = await readCachedReportHashed(cache, summary.slug);
      if (read?.hash !== source) throw changed();
      return laidOut(read.value.report).body();
    },
  };
}

/** Keep a laid-out report's summary beside its cache entry (none for the home report, whose lead is HTML). */
export async function keepSummary(
  cache: BuildCache,
  entry: Pick<CachedSummary, 'templateHash' | 'fingerprint' | 'sampling' | 'uses' | 'stamp'>,
  report: LaidOutReport,
): Promise<void> {
  const summary = await summaryOf(report);
  if (summary === undefined || report.source === undefined) return;
  const {templateHash, fingerprint, sampling, uses, stamp} = entry;
  await writeCachedSummary(cache, report.slug, {
    templateHash,
    fingerprint,
    sampling,
    uses,
    source: report.source,
    ...(stamp === undefined ? {} : {stamp}),
    summary,
  });
}

/** The reports to render, with why, as the build tells its caller and its result lists them. */
export function renderedOf(stale: readonly StaleReport[]): Array<{slug: string; reason: string}> {
  return stale.map(({name, reason}) => ({slug: slugOf(name), reason}));
}

/** The plan as the build tells its caller. */
export function planEvent(plan: ReportPlan): BuildEvent {
  return {type: 'plan', render: renderedOf(plan.stale), reused: [...plan.reused.keys()].map(slugOf)};
}
