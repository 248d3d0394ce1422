import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import type {Catalog} from '../data/catalog.js';
import {trackCatalog, UsageRecorder, type UsageKey} from '../data/catalog-usage.js';
import {loadCatalog} from '../data/load-catalog.js';
import {hashRecords, usageHash} from '../data/record-hashes.js';
import {Diagnostics, DiagnosticsError, replayWarnings, storeWarnings} from '../diagnostics/diagnostics.js';
import {DEFAULT_SAMPLING, type SamplingOptions} from '../estimate/monte-carlo.js';
import {prepareTemplate, renderReport, slugOf, type ChartCache, type PreparedTemplate, type RenderedReport} from '../render/render-report.js';
import {createTemplateScope, type TemplateScope} from '../render/template-scope.js';
import {claimOutput} from './atomic-output.js';
import {BuildCache, DEFAULT_CACHE_DIR} from './build-cache.js';
import {hashInputs, sha256, toolIdentity} from './fingerprint.js';
import {readManifest, siteMatches, type SiteManifest} from './manifest.js';
import {publishSite, type BuiltReport} from './publish-site.js';
import {readShards, shardOf, writeShard, type ShardSpec} from './shard.js';
import {whyStale, type CachedReport} from './staleness.js';

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
  /** The cache folder (default `<root>/.tradeoffs/cache`); `null` for none: every report is rendered. */
  readonly cacheDir?: string | null;
  /** Build only this shard of the reports, for `tradeoffs merge` to join (`outDir` then holds the shard). */
  readonly shard?: ShardSpec;
  /** Render even when the output says it is up to date. */
  readonly force?: boolean;
  /** Called when a stage finishes, with its name and duration in milliseconds. */
  readonly onStage?: (stage: BuildStage, milliseconds: number) => void;
  /** Called as the build goes, for progress output. */
  readonly onEvent?: (event: BuildEvent) => void;
}

/** The stages of a build, in order, as timed for `onStage` and the benchmark. */
export type BuildStage = 'load' | 'compile' | 'estimate' | 'evaluate' | 'charts' | 'layout' | 'pdf' | 'write';

/** Runs one stage of the build and accounts for its time. */
export type StageTimer = <T>(stage: BuildStage, work: () => Promise<T>) => Promise<T>;

/** What a build tells its caller as it goes. */
export type BuildEvent =
  | {readonly type: 'plan'; readonly render: ReadonlyArray<{readonly slug: string; readonly reason: string}>; readonly reused: readonly string[]}
  | {readonly type: 'report'; readonly slug: string; readonly index: number; readonly count: number}
  | {readonly type: 'pdf'; readonly pdf: string; readonly index: number; readonly count: number; readonly cached: boolean};

export interface BuildResult {
  readonly diagnostics: Diagnostics;
  /** Every report of the build (or shard), rendered now or taken from the cache. */
  readonly reports: readonly RenderedReport[];
  /** The reports rendered by this build, with why. */
  readonly rendered: ReadonlyArray<{readonly slug: string; readonly reason: string}>;
  /** Every file of the site (or shard), path → contents; empty when the output was up to date. */
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  /** The site's manifest (not for dry runs and shards). */
  readonly manifest: SiteManifest | undefined;
  /** True when the output already matched the inputs and nothing was done. */
  readonly upToDate: boolean;
}

/**
 * Build the report site: load and validate the data, compile every template,
 * run it with the estimates, draw its charts, lay out the pages, and swap the
 * finished site into place. Reports whose template, tool and data records
 * are unchanged come from the cache; when nothing at all changed, nothing is
 * done. Any error stops the build before anything is written and is thrown
 * as a DiagnosticsError holding every problem found.
 */
export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const outDir = options.outDir ?? path.join(options.root, 'reports');
  // The output is this build's from the start: a second build into it is refused at once, not after rendering.
  const release = options.dryRun ? undefined : await claimOutput(outDir, options.root);
  try {
    return await buildClaimed(options, outDir);
  } finally {
    await release?.();
  }
}

async function buildClaimed(options: BuildOptions, outDir: string): Promise<BuildResult> {
  const diagnostics = new Diagnostics();
  const timed: StageTimer = async (stage, work) => {
    const start = performance.now();
    const result = await work();
    options.onStage?.(stage, performance.now() - start);
    return result;
  };
  const sampling = DEFAULT_SAMPLING;
  const identity = toolIdentity();
  const inputs = await timed('load', () => hashInputs(options.root));
  if (!options.dryRun && !options.shard && !options.force) {
    const previous = await readManifest(outDir);
    if (previous && isCurrent(previous, inputs, sampling, options.pdf === true, identity.fingerprint) && (await siteMatches(outDir, previous))) {
      replayWarnings(previous.warnings, diagnostics);
      return {diagnostics, reports: [], rendered: [], files: new Map(), manifest: previous, upToDate: true};
    }
  }
  const catalog = await timed('load', () => loadCatalog(options.root, diagnostics));
  const names = await templateNames(options.root, diagnostics);
  if (diagnostics.hasErrors) {
    // With broken data, templates would only report knock-on errors: check their syntax, stop there.
    await timed('compile', () => compileAll(options.root, names, new BuildCache(undefined), identity.fingerprint, diagnostics));
    throw new DiagnosticsError(diagnostics);
  }
  const cache = new BuildCache(options.cacheDir === null ? undefined : path.resolve(options.root, options.cacheDir ?? DEFAULT_CACHE_DIR));
  const selected = options.shard ? names.filter((_name, index) => shardOf(index, options.shard as ShardSpec)) : names;
  const hashes = hashRecords(catalog);
  const samplingKey = `${sampling.samples}/${sampling.seed}`;

  // Reuse what the cache holds for unchanged reports; note why the others are rendered.
  const built = new Map<string, BuiltReport>();
  const stale: Array<{name: string; reason: string}> = [];
  for (const name of selected) {
    const template = `${TEMPLATES_DIR}/${name}`;
    const templateHash = sha256(await readFile(path.join(options.root, template)));
    const cached = await cache.readJson<CachedReport>('reports', slugOf(name));
    const reason = whyStale(cached, {template, templateHash, fingerprint: identity.fingerprint, sampling: samplingKey}, hashes, catalog);
    if (reason === undefined && cached) {
      replayWarnings(cached.report.warnings, diagnostics);
      built.set(name, {report: cached.report, templateHash, uses: cached.uses});
    } else {
      stale.push({name, reason: reason ?? 'not built before'});
    }
  }
  options.onEvent?.({type: 'plan', render: stale.map(({name, reason}) => ({slug: slugOf(name), reason})), reused: [...built.keys()].map(slugOf)});

  const templates = await timed('compile', () => compileAll(options.root, stale.map(({name}) => name), cache, identity.fingerprint, diagnostics));
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  const recorder = new UsageRecorder();
  const tracked = trackCatalog(catalog, recorder);
  const scope = createTemplateScope(tracked, sampling, recorder);
  await timed('estimate', async () => precomputeEstimates(scope, templates.map(({template}) => template)));
  const charts = chartCache(cache, identity.fingerprint);
  let index = 0;
  for (const {template, templateHash} of templates) {
    options.onEvent?.({type: 'report', slug: template.slug, index: index++, count: templates.length});
    const {value: report, used} = await recorder.collect(() => renderReport(template, scope, tracked, diagnostics, {measure: timed, charts}));
    if (!report) continue;
    const uses = usesOf(used, hashes);
    built.set(path.basename(template.path), {report, templateHash, uses});
    const entry: CachedReport = {templateHash, fingerprint: identity.fingerprint, sampling: samplingKey, uses, report};
    await cache.writeJson('reports', template.slug, entry);
  }
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  const reports = selected.map((name) => built.get(name) as BuiltReport);
  const rendered = stale.map(({name, reason}) => ({slug: slugOf(name), reason}));
  const meta = {inputs, sampling, pdfDate: inputsDate(catalog).toISOString(), warnings: storeWarnings(diagnostics)};
  if (options.shard) {
    const files = await timed('write', () => writeShard(outDir, options.shard as ShardSpec, names.map((name) => `${TEMPLATES_DIR}/${name}`), reports, meta, options.dryRun === true));
    return {diagnostics, reports: reports.map(({report}) => report), rendered, files, manifest: undefined, upToDate: false};
  }
  const {files, manifest} = await publishSite(reports, meta, {outDir, pdf: options.pdf === true, dryRun: options.dryRun === true, timed, cache, onEvent: options.onEvent});
  return {diagnostics, reports: reports.map(({report}) => report), rendered, files, manifest, upToDate: false};
}

/** Whether a manifest describes what this build would make from these inputs. */
function isCurrent(manifest: SiteManifest, inputs: Readonly<Record<string, string>>, sampling: SamplingOptions, pdf: boolean, fingerprint: string): boolean {
  return (
    manifest.tool.fingerprint === fingerprint &&
    manifest.pdf === pdf &&
    manifest.sampling.samples === sampling.samples &&
    manifest.sampling.seed === sampling.seed &&
    JSON.stringify(manifest.inputs) === JSON.stringify(inputs)
  );
}

/** The record hashes behind what a report read, keys sorted. */
function usesOf(used: ReadonlySet<UsageKey>, hashes: ReadonlyMap<UsageKey, string>): Record<UsageKey, string> {
  const uses: Record<UsageKey, string> = {};
  for (const key of [...used].sort()) uses[key] = usageHash(hashes, key);
  return uses;
}

/** The report templates of a project: `templates/*.mdx` but partials (`_*.mdx`), sorted, with valid names. */
async function templateNames(root: string, diagnostics: Diagnostics): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(path.join(root, TEMPLATES_DIR))).filter((name) => name.endsWith('.mdx') && !name.startsWith('_')).sort();
  } catch (error) {
    diagnostics.error(TEMPLATES_DIR, `Cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, undefined, 'io-error');
    return [];
  }
  return names.filter((name) => {
    if (/^[a-z0-9][a-z0-9.-]*\.mdx$/.test(name)) return true;
    diagnostics.error(`${TEMPLATES_DIR}/${name}`, `Unexpected file name \`${name}\`, expected lower-case letters, digits, "." and "-" (it becomes the page's address)`, undefined, 'frontmatter');
    return false;
  });
}

/** A template compiled as the cache keeps it: MDX's output, the frontmatter, and the compiler's warnings. */
interface CachedTemplate {
  readonly template: PreparedTemplate;
  readonly warnings: ReturnType<typeof storeWarnings>;
}

/** Compile templates, taking each from the cache when its text and the tool are unchanged. */
async function compileAll(
  root: string,
  names: readonly string[],
  cache: BuildCache,
  fingerprint: string,
  diagnostics: Diagnostics,
): Promise<Array<{template: PreparedTemplate; templateHash: string}>> {
  const compiled: Array<{template: PreparedTemplate; templateHash: string}> = [];
  for (const name of names) {
    const relative = `${TEMPLATES_DIR}/${name}`;
    const text = await readFile(path.join(root, relative), 'utf8');
    const templateHash = sha256(text);
    const key = sha256(`${fingerprint}\0${relative}\0${templateHash}`);
    const hit = await cache.readJson<CachedTemplate>('mdx', key);
    if (hit) {
      replayWarnings(hit.warnings, diagnostics);
      compiled.push({template: hit.template, templateHash});
      continue;
    }
    const own = new Diagnostics();
    const template = await prepareTemplate(relative, text, own);
    for (const file of own.files) for (const message of file.messages) diagnostics.adopt(relative, message);
    if (!template) continue;
    await cache.writeJson('mdx', key, {template, warnings: storeWarnings(own)} satisfies CachedTemplate);
    compiled.push({template, templateHash});
  }
  return compiled;
}

/** Rendered charts in the cache, by a hash of their spec and the tool. */
function chartCache(cache: BuildCache, fingerprint: string): ChartCache {
  const keyOf = (spec: unknown) => sha256(`${fingerprint}\0${JSON.stringify(spec)}`);
  return {
    get: (spec) => cache.readJson('charts', keyOf(spec)),
    set: (spec, chart) => cache.writeJson('charts', keyOf(spec), chart),
  };
}

/**
 * Estimate, once and up front, every scenario (and its sweep) whose id a
 * template's source mentions; templates then read the memoised results.
 * Scenarios no report uses cost nothing.
 */
function precomputeEstimates(scope: TemplateScope, templates: readonly PreparedTemplate[]): void {
  const sources = templates.map((template) => template.compiled.code).join('\n');
  if (sources.length === 0) return;
  for (const scenario of scope.catalog.scenarios) {
    if (!sources.includes(scenario.id)) continue;
    try {
      scope.estimate(scenario.id);
      scope.sweep(scenario.id);
    } catch {
      // Not memoised: the template that asks for it fails again, and the error is placed there.
    }
  }
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

export interface MergeOptions {
  /** The shard folders, as `build --shard k/n --out <dir>` wrote them. */
  readonly shards: readonly string[];
  readonly outDir: string;
  readonly pdf?: boolean;
  /** For cached PDFs (default: none). */
  readonly cacheDir?: string | null;
  readonly onStage?: BuildOptions['onStage'];
  readonly onEvent?: BuildOptions['onEvent'];
}

/** `tradeoffs merge`: join the shards of a build into the site a single build would have made, byte for byte. */
export async function mergeShards(options: MergeOptions): Promise<BuildResult> {
  const diagnostics = new Diagnostics();
  const timed: StageTimer = async (stage, work) => {
    const start = performance.now();
    const result = await work();
    options.onStage?.(stage, performance.now() - start);
    return result;
  };
  const release = await claimOutput(options.outDir);
  try {
    const {reports, meta} = await timed('load', () => readShards(options.shards, diagnostics));
    const cache = new BuildCache(options.cacheDir ? path.resolve(options.cacheDir) : undefined);
    const {files, manifest} = await publishSite(reports, meta, {outDir: options.outDir, pdf: options.pdf === true, dryRun: false, timed, cache, onEvent: options.onEvent});
    return {diagnostics, reports: reports.map(({report}) => report), rendered: [], files, manifest, upToDate: false};
  } finally {
    await release();
  }
}
