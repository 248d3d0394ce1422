import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import type {Catalog} from '../data/catalog.js';
import {trackCatalog, UsageRecorder, type UsageKey} from '../data/catalog-usage.js';
import {loadCheckedCatalog} from '../check/check-catalog.js';
import {hashRecords, usageHash} from '../data/record-hashes.js';
import {
  Diagnostics,
  DiagnosticsError,
  replayWarnings,
  storeWarnings,
  type StoredWarning,
} from '../diagnostics/diagnostics.js';
import {DEFAULT_SAMPLING} from '../estimate/uncertainty/monte-carlo.js';
import {renderedChartSchema} from '../charts/chart-output.js';
import {prepareTemplate} from '../render/prepare-template.js';
import {
  evaluateReport,
  slugOf,
  type ChartRenderer,
  type EvaluatedReport,
  type PreparedTemplate,
  type RenderedReport,
} from '../render/render-report.js';
import {createWorkerPool, type WorkerPool} from './worker-pool.js';
import {adoptMessages, storeMessages, type StoredMessage} from './worker-protocol.js';
import {createTemplateScope} from '../render/template-scope.js';
import {claimOutput} from '../output/atomic-output.js';
import {BuildCache} from './build-cache.js';
import {DEFAULT_CACHE_DIR, DEFAULT_OUT_DIR, TEMPLATES_DIR} from '../project.js';
import {hashInputs} from './input-hashes.js';
import {sha256} from '../tool/hash.js';
import {toolIdentity} from '../tool/identity.js';
import {upToDateManifest} from './up-to-date.js';
import {publishSite, type BuiltReport} from '../output/publish-site.js';
import {readShards, shardOf, writeShard, type ShardSpec} from '../output/shard.js';
import type {PdfCache} from '../output/pdf.js';
import type {BuildOptions, BuildResult, MergeOptions, StageTimer} from './build-options.js';
import {cachedReportSchema, whyStale, type CachedReport} from './staleness.js';
import {cachedTemplateSchema, type CachedTemplate} from './cached-template.js';
import {checkConsistentFigures} from './consistent-figures.js';

/** A StageTimer that reports each stage's duration to `onStage`. */
function stageTimer(onStage: BuildOptions['onStage']): StageTimer {
  return async (stage, work) => {
    const start = performance.now();
    const result = await work();
    onStage?.(stage, performance.now() - start);
    return result;
  };
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
  const outDir = options.outDir ?? path.join(options.root, DEFAULT_OUT_DIR);
  // The output is this build's from the start: a second build into it is refused at once, not after rendering.
  const release = options.dryRun
    ? undefined
    : await claimOutput(outDir, options.root, {replaceFolder: options.replaceFolder === true});
  try {
    return await buildClaimed(options, outDir);
  } finally {
    await release?.();
  }
}

async function buildClaimed(options: BuildOptions, outDir: string): Promise<BuildResult> {
  const diagnostics = new Diagnostics();
  const timed = stageTimer(options.onStage);
  const sampling = DEFAULT_SAMPLING;
  const identity = toolIdentity();
  const inputs = await timed('load', () => hashInputs(options.root));
  if (!options.dryRun && !options.shard && !options.force) {
    const previous = await upToDateManifest({
      root: options.root,
      outDir,
      pdf: options.pdf === true,
      sampling,
      holdingLock: true,
      inputs,
    });
    if (previous) {
      replayWarnings(previous.warnings, diagnostics);
      return {diagnostics, reports: [], rendered: [], files: new Map(), manifest: previous, upToDate: true};
    }
  }
  const cache = new BuildCache(
    options.cacheDir === null ? undefined : path.resolve(options.root, options.cacheDir ?? DEFAULT_CACHE_DIR),
  );
  const names = await templateNames(options.root, diagnostics);
  const selected = options.shard ? names.filter((_name, index) => shardOf(index, options.shard as ShardSpec)) : names;
  // Workers compile the templates the cache lacks while this thread loads the data and runs the estimates.
  const pool = createWorkerPool();
  try {
    const compiler = new TemplateCompiler(options.root, cache, identity.fingerprint, pool);
    for (const name of selected) compiler.start(name);
    const catalog = await timed('load', () => loadCheckedCatalog(options.root, diagnostics));
    if (diagnostics.hasErrors) {
      // With broken data, templates would only report knock-on errors: check their syntax, stop there.
      for (const name of names) compiler.start(name);
      await timed('compile', () => compiler.results(names, diagnostics));
      throw new DiagnosticsError(diagnostics);
    }
    const hashes = hashRecords(catalog);
    const samplingKey = `${sampling.samples}/${sampling.seed}`;

    // Reuse what the cache holds for unchanged reports; note why the others are rendered.
    const built = new Map<string, BuiltReport>();
    const stale: Array<{name: string; reason: string}> = [];
    for (const name of selected) {
      const template = `${TEMPLATES_DIR}/${name}`;
      const cached = await cache.readJson('reports', slugOf(name), cachedReportSchema);
      const reason = whyStale(
        cached,
        {template, templateHash: await compiler.hashOf(name), fingerprint: identity.fingerprint, sampling: samplingKey},
        hashes,
        catalog,
      );
      if (reason === undefined && cached) {
        replayWarnings(cached.report.warnings, diagnostics);
        built.set(name, {report: cached.report, templateHash: cached.templateHash, uses: cached.uses});
      } else {
        stale.push({name, reason: reason ?? 'not built before'});
      }
    }
    options.onEvent?.({
      type: 'plan',
      render: stale.map(({name, reason}) => ({slug: slugOf(name), reason})),
      reused: [...built.keys()].map(slugOf),
    });

    // Run each template as soon as a worker has compiled it, one at a time (what each reads is
    // recorded), and hand its charts to the workers at once, while the next template runs.
    const recorder = new UsageRecorder();
    const tracked = trackCatalog(catalog, recorder);
    const scope = createTemplateScope(tracked, sampling, recorder);
    const renderChart = chartRenderer(cache, identity.fingerprint, pool);
    const evaluated: Array<{
      compiled: CompiledResult;
      evaluation: EvaluatedReport;
      used: ReadonlySet<UsageKey>;
      finishing: Promise<RenderedReport | undefined>;
    }> = [];
    for (const [index, {name}] of stale.entries()) {
      const [result] = await timed('compile', () => compiler.results([name], diagnostics));
      if (!result) continue;
      options.onEvent?.({type: 'report', slug: result.template.slug, index, count: stale.length});
      const {value: evaluation, used} = await recorder.collect(() =>
        evaluateReport(result.template, scope, tracked, {measure: timed, renderChart}),
      );
      const finishing = evaluation.finish();
      // Awaited below, in order; a failure must not surface as an unhandled rejection first.
      finishing.catch(() => undefined);
      evaluated.push({compiled: result, evaluation, used, finishing});
    }
    const finished = await timed('charts', () => Promise.all(evaluated.map(({finishing}) => finishing)));
    for (const [index, {compiled: result, evaluation, used}] of evaluated.entries()) {
      for (const file of evaluation.diagnostics.files)
        for (const message of file.messages) diagnostics.adopt(result.template.path, message);
      const rendered = finished[index];
      if (!rendered) continue;
      // The compiler's warnings travel with the report, so a cached copy reports them again.
      const report: RenderedReport = {...rendered, warnings: [...result.warnings, ...rendered.warnings]};
      const uses = usesOf(used, hashes);
      built.set(path.basename(result.template.path), {report, templateHash: result.templateHash, uses});
      const entry: CachedReport = {
        templateHash: result.templateHash,
        fingerprint: identity.fingerprint,
        sampling: samplingKey,
        uses,
        report,
      };
      await cache.writeJson('reports', result.template.slug, entry);
    }
    if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
    const reports = selected.map((name) => built.get(name) as BuiltReport);
    // A shard holds some of the reports only: `merge` checks the whole site.
    if (!options.shard) {
      checkConsistentFigures(
        reports.map(({report}) => report),
        diagnostics,
      );
      if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
    }
    const rendered = stale.map(({name, reason}) => ({slug: slugOf(name), reason}));
    const meta = {inputs, sampling, pdfDate: inputsDate(catalog).toISOString(), warnings: storeWarnings(diagnostics)};
    if (options.shard) {
      const files = await timed('write', () =>
        writeShard(
          outDir,
          options.shard as ShardSpec,
          names.map((name) => `${TEMPLATES_DIR}/${name}`),
          reports,
          meta,
          options.dryRun === true,
        ),
      );
      return {
        diagnostics,
        reports: reports.map(({report}) => report),
        rendered,
        files,
        manifest: undefined,
        upToDate: false,
      };
    }
    const {files, manifest} = await publishSite(reports, meta, {
      outDir,
      pdf: options.pdf === true,
      dryRun: options.dryRun === true,
      timed,
      pdfCache: pdfCacheOf(cache),
      onEvent: options.onEvent,
    });
    return {diagnostics, reports: reports.map(({report}) => report), rendered, files, manifest, upToDate: false};
  } finally {
    await pool?.close();
  }
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
    names = (await readdir(path.join(root, TEMPLATES_DIR)))
      .filter((name) => name.endsWith('.mdx') && !name.startsWith('_'))
      .sort();
  } catch (error) {
    diagnostics.error(
      TEMPLATES_DIR,
      `Cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      undefined,
      'io-error',
    );
    return [];
  }
  return names.filter((name) => {
    if (/^[a-z0-9][a-z0-9.-]*\.mdx$/.test(name)) return true;
    diagnostics.error(
      `${TEMPLATES_DIR}/${name}`,
      `Unexpected file name \`${name}\`, expected lower-case letters, digits, "." and "-" (it becomes the page's address)`,
      undefined,
      'frontmatter',
    );
    return false;
  });
}

/** A compiled template with its hash and the compiler's warnings. */
interface CompiledResult {
  readonly template: PreparedTemplate;
  readonly templateHash: string;
  readonly warnings: readonly StoredWarning[];
}

/** What compiling one template gave: the template (unless it failed), its messages, the hash of its text. */
interface CompileOutcome {
  readonly template: PreparedTemplate | undefined;
  readonly messages: StoredMessage[];
  readonly templateHash: string;
}

/**
 * Compiles templates, each once: from the cache when its text and the tool
 * are unchanged, else in a worker as soon as it is started (or in this
 * thread, without workers, when its result is asked for). Results come back
 * in the order asked, with their messages added to the build's diagnostics
 * then, so reports list them the same way however the work was spread.
 */
class TemplateCompiler {
  readonly #jobs = new Map<string, {text: Promise<string>; result: Promise<CompileOutcome>}>();

  constructor(
    private readonly root: string,
    private readonly cache: BuildCache,
    private readonly fingerprint: string,
    private readonly pool: WorkerPool | undefined,
  ) {}

  /** Begin compiling `name` (a file in templates/). */
  start(name: string): void {
    if (this.#jobs.has(name)) return;
    const relative = `${TEMPLATES_DIR}/${name}`;
    const text = readFile(path.join(this.root, relative), 'utf8');
    const result = text.then(async (source): Promise<CompileOutcome> => {
      const templateHash = sha256(source);
      const key = sha256(`${this.fingerprint}\0${relative}\0${templateHash}`);
      const hit = await this.cache.readJson('mdx', key, cachedTemplateSchema);
      if (hit)
        return {
          template: hit.template,
          messages: hit.warnings.map((warning) => ({...warning, fatal: false})),
          templateHash,
        };
      const compiled = this.pool ? await this.pool.compile(relative, source) : await compileHere(relative, source);
      if (compiled.template && !compiled.messages.some((message) => message.fatal)) {
        await this.cache.writeJson('mdx', key, {
          template: compiled.template,
          warnings: compiled.messages.map(({fatal: _fatal, ...warning}) => warning),
        } satisfies CachedTemplate);
      }
      return {...compiled, templateHash};
    });
    // Read below, in order; a failure here must not surface as an unhandled rejection first.
    result.catch(() => undefined);
    this.#jobs.set(name, {text, result});
  }

  textOf(name: string): Promise<string> {
    this.start(name);
    return (this.#jobs.get(name) as {text: Promise<string>}).text;
  }

  async hashOf(name: string): Promise<string> {
    return sha256(await this.textOf(name));
  }

  /** The compiled templates, in the order of `names`; problems are added to `diagnostics`, failed templates left out. */
  async results(names: readonly string[], diagnostics: Diagnostics): Promise<CompiledResult[]> {
    const compiled: CompiledResult[] = [];
    for (const name of names) {
      this.start(name);
      const {template, messages, templateHash} = await (this.#jobs.get(name) as {result: Promise<CompileOutcome>})
        .result;
      adoptMessages(messages, diagnostics);
      if (template)
        compiled.push({
          template,
          templateHash,
          warnings: messages.filter((message) => !message.fatal).map(({fatal: _fatal, ...warning}) => warning),
        });
    }
    return compiled;
  }
}

/** Compile in this thread, with the same result as a worker gives. */
async function compileHere(
  relative: string,
  text: string,
): Promise<{template: PreparedTemplate | undefined; messages: StoredMessage[]}> {
  const own = new Diagnostics();
  const template = await prepareTemplate(relative, text, own);
  return {template, messages: storeMessages(own)};
}

/** Draw charts from the cache (by a hash of their spec and the tool), else in a worker, else here. */
function chartRenderer(cache: BuildCache, fingerprint: string, pool: WorkerPool | undefined): ChartRenderer {
  return async (spec) => {
    const key = sha256(`${fingerprint}\0${JSON.stringify(spec)}`);
    const hit = await cache.readJson('charts', key, renderedChartSchema);
    if (hit) return hit;
    const chart = pool ? await pool.chart(spec) : await (await import('../charts/render-svg.js')).renderChartSvg(spec);
    await cache.writeJson('charts', key, chart);
    return chart;
  };
}

/**
 * The date stamped into PDFs, from the inputs so that rebuilds give the same
 * bytes: SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the
 * newest dated price in the hardware data, else 2000-01-01.
 */
export function inputsDate(catalog: Catalog): Date {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  if (Number.isInteger(epoch) && epoch > 0) return new Date(epoch * 1000);
  const dates = [...catalog.hardware.values()]
    .flatMap((hardware) => (hardware.price ? [hardware.price.as_of] : []))
    .sort();
  const newest = dates.at(-1);
  return new Date(newest ? `${newest.length === 7 ? `${newest}-01` : newest}T00:00:00Z` : '2000-01-01T00:00:00Z');
}

/** The build cache's PDF entries, as publishing reads and writes them. */
function pdfCacheOf(cache: BuildCache): PdfCache {
  return {
    get: (key) => cache.readBytes('pdf', `${key}.pdf`),
    set: (key, bytes) => cache.writeBytes('pdf', `${key}.pdf`, bytes),
  };
}

/** `tradeoffs merge`: join the shards of a build into the site a single build would have made, byte for byte. */
export async function mergeShards(options: MergeOptions): Promise<BuildResult> {
  const diagnostics = new Diagnostics();
  const timed = stageTimer(options.onStage);
  const release = await claimOutput(options.outDir, undefined, {replaceFolder: options.replaceFolder === true});
  try {
    const {reports, meta} = await timed('load', () => readShards(options.shards, diagnostics));
    checkConsistentFigures(
      reports.map(({report}) => report),
      diagnostics,
    );
    if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
    const cache = new BuildCache(options.cacheDir ? path.resolve(options.cacheDir) : undefined);
    const {files, manifest} = await publishSite(reports, meta, {
      outDir: options.outDir,
      pdf: options.pdf === true,
      dryRun: false,
      timed,
      pdfCache: pdfCacheOf(cache),
      onEvent: options.onEvent,
    });
    return {diagnostics, reports: reports.map(({report}) => report), rendered: [], files, manifest, upToDate: false};
  } finally {
    await release();
  }
}
