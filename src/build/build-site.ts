import {tmpdir} from 'node:os';
import path from 'node:path';
import {loadCheckedCatalog} from '../check/check-catalog.js';
import {fileUsageKey} from '../data/catalog-usage.js';
import {hashRecords} from '../data/record-hashes.js';
import {Diagnostics, DiagnosticsError, replayWarnings} from '../diagnostics/diagnostics.js';
import {DEFAULT_SAMPLING} from '../estimate/uncertainty/monte-carlo.js';
import {manifestHash, type SiteManifest} from '../output/manifest.js';
import {readManifestSummary} from '../output/manifest-summary.js';
import {needsPrintEdition, publishSite, sitePdfsOf, type BuiltReport} from '../output/publish-site.js';
import {pageSpill, type PageSpill} from '../output/page-spill.js';
import {leanHeapGrowth, templateSemiSpaceMb} from '../output/heap-trim.js';
import {readShards} from '../output/shard.js';
import {DEFAULT_CACHE_DIR} from '../project.js';
import {toolIdentity} from '../tool/identity.js';
import {BuildCache, checkCacheFolder} from './build-cache.js';
import {diskEffects} from './build-effects.js';
import type {BuildEffects, BuildOptions, BuildResult, MergeOptions} from './build-options.js';
import {siteMeta, writeOutput} from './build-output.js';
import {planEvent, planReports, renderedOf, selectShard, templateNames, upToDateSite} from './build-plan.js';
import {slugOf} from '../render/render-report.js';
import {hashInputs} from './input-hashes.js';
import {modelErrorsKey, siteModelErrors} from './model-errors.js';
import {renderReports} from './render-reports.js';
import {pdfCacheOf} from './report-cache.js';
import {pageCache} from './page-cache.js';
import {stageTimer} from './stage-timer.js';
import {TemplateCompiler} from './template-compiler.js';
import {createTemplateRunner} from './template-runner.js';
import {checkConsistentFigures} from './consistent-figures.js';

/**
 * Build the report site: load and validate the data, compile every template,
 * run it with the estimates (in the template process, each bounded in time
 * and memory: template-runner.ts), draw its charts, lay out the pages, and put the
 * finished site in place. Reports whose template, tool and data records are
 * unchanged come from the cache; when nothing at all changed, nothing is
 * done. Any error stops the build before anything is written and is thrown
 * as a DiagnosticsError holding every problem found.
 *
 * The effects say where the inputs come from, where the site goes and who
 * hears of progress: by default the project on disk and `<root>/reports`;
 * `tradeoffs check`, the dev server and tests build in memory (build-effects.ts).
 */
export async function buildSite(
  options: BuildOptions,
  effects: BuildEffects = diskEffects(options.root),
): Promise<BuildResult> {
  // The output is this build's from the start: a second build into it is refused at once, not after rendering.
  const release = await effects.writer.claim();
  try {
    return await buildClaimed(options, effects);
  } finally {
    await release();
  }
}

async function buildClaimed(options: BuildOptions, {reader, writer, logger}: BuildEffects): Promise<BuildResult> {
  // A long build's garbage is collected before its heap grows far past what it holds (heap-trim.ts).
  leanHeapGrowth();
  const diagnostics = new Diagnostics();
  const timed = stageTimer(logger.onStage);
  const sampling = DEFAULT_SAMPLING;
  const {fingerprint} = toolIdentity();
  const pdf = options.pdf === true;

  const cacheDir =
    options.cacheDir === null ? undefined : path.resolve(options.root, options.cacheDir ?? DEFAULT_CACHE_DIR);
  if (cacheDir !== undefined) checkCacheFolder(cacheDir, options.root, writer.folder);

  // 1. Plan: nothing to do when the site in place is that of these inputs.
  const inputs = await timed('load', () => hashInputs(reader));
  // The manifest of the site in place, read once without its reports: whether it is up to date, and which PDFs it holds.
  const inPlace = {read: writer.folder === undefined ? undefined : await readManifestSummary(writer.folder)};
  if (!options.shard && !options.force) {
    const previous = await upToDateSite(writer, {
      root: options.root,
      pdf,
      sampling,
      inputs,
      compared: options.compare ? manifestHash(options.compare.previous) : null,
      manifest: inPlace.read,
    });
    if (previous) return upToDate(previous, diagnostics);
  }
  const cache = new BuildCache(cacheDir);
  const names = await templateNames(reader, diagnostics);
  const selected = selectShard(names, options.shard);
  // The template process compiles the templates the cache lacks while this thread loads the data; one the
  // cache holds is compiled only if planning finds it stale (an edit of one of 200 compiles one, not 200).
  // A large site's template process keeps a small young generation (heap-trim.ts): its memory and the build's add up.
  const runner = createTemplateRunner({
    timeoutMs: options.templateTimeoutMs,
    signal: options.signal,
    semiSpaceMb: templateSemiSpaceMb(selected.length),
  });
  // A build on disk keeps each laid-out report's page and downloads in a file until the site is written.
  const spill = pageSpill(writer.folder !== undefined && !options.shard ? tmpdir() : undefined);
  try {
    // A build to a folder is its process's last (the CLI's `build`): it keeps no compiled template for a next one.
    const compiler = new TemplateCompiler(reader, fingerprint, runner, writer.folder === undefined);
    for (const name of selected) if (!(await cache.hasJson('reports', slugOf(name)))) compiler.start(name);
    const catalog = await timed('load', () => loadCheckedCatalog(options.root, diagnostics, reader));
    if (diagnostics.hasErrors) {
      // With broken data, templates would only report knock-on errors: check their syntax, stop there.
      await timed('compile', () => compiler.results(names, diagnostics));
      throw new DiagnosticsError(diagnostics);
    }
    const hashes = hashRecords(catalog);
    // Input files read as they are (charts' data files) are dependencies by their content hash.
    for (const [file, hash] of Object.entries(inputs)) hashes.set(fileUsageKey(file), hash);
    // Estimates of earlier builds from the same records are reused (estimate-cache.ts): an edit re-runs a template, not its Monte Carlo.
    runner.setup(
      catalog,
      sampling,
      cacheDir === undefined ? undefined : {dir: cacheDir, fingerprint, sampling, hashes},
    );
    // A shard keeps each report's laid-out tree: it writes them for merge, which checks them as input.
    const keepTrees = options.shard !== undefined;
    // The print edition only for a site that prints its PDF or may keep the one in place (merge lays out a shard's).
    const previousPdfs = pdf || options.shard ? new Set<string>() : await sitePdfsOf(writer, inPlace);
    const print = !options.shard && needsPrintEdition(pdf, previousPdfs);
    const plan = await planReports(
      selected,
      {cache, compiler, catalog, hashes, fingerprint, sampling, keepTrees, print, spill},
      diagnostics,
    );
    logger.onEvent?.(planEvent(plan));

    // 2. Render what the cache does not hold: compile (in workers), evaluate with the estimates, draw the charts.
    const rendered = await renderReports(
      plan.stale,
      {
        catalog,
        hashes,
        sampling,
        fingerprint,
        cache,
        compiler,
        runner,
        keepTrees,
        print,
        spill,
        timed,
        onEvent: logger.onEvent,
        reader,
      },
      diagnostics,
    );
    if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
    const reports = selected.map((name) => (plan.reused.get(name) ?? rendered.get(name)) as BuiltReport);
    // A shard holds some of the reports only: `merge` checks the whole site.
    if (!options.shard) {
      checkConsistentFigures(
        reports.map(({report}) => report),
        diagnostics,
      );
      if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
    }

    // 3. Publish the site, or write this shard of it.
    const modelErrors = await timed('evaluate', () =>
      siteModelErrors(cache, modelErrorsKey(fingerprint, hashes), runner),
    );
    // The templates have run: the template process ends before the pages are written, so that its memory and the
    // build's peak there do not add up (at 200 reports, 150-190 MB of it; issue #18). The search index is made here.
    await runner.close();
    const meta = await siteMeta(inputs, sampling, catalog, diagnostics, reader, modelErrors);
    // The pages of the site in place, reused where made from the same inputs: not with a print edition (PDFs).
    const pages =
      cacheDir !== undefined && writer.folder !== undefined && !options.shard && !print && !pdf
        ? pageCache(cache, writer.folder)
        : undefined;
    const {manifest} = await writeOutput(reports, meta, {
      writer,
      names,
      shard: options.shard,
      pdf,
      cache,
      timed,
      onEvent: logger.onEvent,
      compare: options.compare,
      previousPdfs,
      pages,
    });
    // Recorded once the site is in place: an entry names only pages the site holds.
    await pages?.flush();
    return {
      diagnostics,
      reports: reports.map(({report}) => report),
      rendered: renderedOf(plan.stale),
      manifest,
      upToDate: false,
    };
  } finally {
    await runner.close();
    await spill.dispose();
  }
}

/** The result of a build that found the site in place up to date: its warnings again, nothing done. */
function upToDate(manifest: SiteManifest, diagnostics: Diagnostics): BuildResult {
  replayWarnings(manifest.warnings, diagnostics);
  return {diagnostics, reports: [], rendered: [], manifest, upToDate: true};
}

/**
 * `tradeoffs merge`: join the shards of a build into the site a single build
 * would have made, byte for byte, and put it in place with `effects.writer`.
 */
export async function mergeShards(
  options: MergeOptions,
  {writer, logger}: Pick<BuildEffects, 'writer' | 'logger'>,
): Promise<BuildResult> {
  const release = await writer.claim();
  // On disk, each report's page and downloads wait in a file until the site is written.
  const spill = pageSpill(writer.folder !== undefined ? tmpdir() : undefined);
  try {
    return await mergeClaimed(options, writer, logger, spill);
  } finally {
    await spill.dispose();
    await release();
  }
}

/** `merge` holding its output: read and check the shards, publish the site. */
async function mergeClaimed(
  options: MergeOptions,
  writer: BuildEffects['writer'],
  logger: BuildEffects['logger'],
  spill: PageSpill,
): Promise<BuildResult> {
  const diagnostics = new Diagnostics();
  const timed = stageTimer(logger.onStage);
  const pdf = options.pdf === true;
  // The print edition only for a site that prints its PDF or may keep the one in place.
  const previousPdfs = pdf ? new Set<string>() : await sitePdfsOf(writer);
  const print = needsPrintEdition(pdf, previousPdfs);
  const {reports, meta} = await timed('load', () => readShards(options.shards, diagnostics, {print}, spill));
  checkConsistentFigures(
    reports.map(({report}) => report),
    diagnostics,
  );
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  const cacheDir = options.cacheDir ? path.resolve(options.cacheDir) : undefined;
  if (cacheDir !== undefined) checkCacheFolder(cacheDir, undefined, writer.folder);
  const cache = new BuildCache(cacheDir);
  const {manifest} = await publishSite(reports, meta, {
    writer,
    pdf,
    timed,
    pdfCache: pdfCacheOf(cache),
    onEvent: logger.onEvent,
    compare: options.compare,
    previousPdfs,
  });
  return {diagnostics, reports: reports.map(({report}) => report), rendered: [], manifest, upToDate: false};
}
