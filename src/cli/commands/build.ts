import path from 'node:path';
import {Diagnostics, replayWarnings} from '../../diagnostics/diagnostics.js';
import {DEFAULT_SAMPLING} from '../../estimate/uncertainty/monte-carlo.js';
import {checkCacheFolder} from '../../build/build-cache.js';
import {diskEffects} from '../../build/build-effects.js';
import {DEFAULT_CACHE_DIR} from '../../project.js';
import type {BuildResult} from '../../build/build-options.js';
import {upToDateManifest} from '../../build/up-to-date.js';
import {checkOutputFolder} from '../../output/atomic-output.js';
import {manifestHash} from '../../output/manifest.js';
import type {CommandContext} from '../context.js';
import type {OptionsOf} from '../options.js';
import {createProgress, progressMode} from '../progress.js';
import {UsageError} from '../usage.js';
import type {buildCommandSpec} from './build-options.js';
import {printComparison, readPrevious} from './compare.js';

/**
 * `tradeoffs build [--pdf] [--shard k/n] [--compare <previous>]`: build the
 * site into `reports/` (or `--out`), reusing cached reports whose inputs did
 * not change; `tradeoffs pdf` is `build --pdf`.
 */
export async function buildCommand(context: CommandContext<OptionsOf<typeof buildCommandSpec>>): Promise<number> {
  const {options} = context;
  const outDir = options.out ? path.resolve(options.out) : path.join(context.root, 'reports');
  const {shard, threshold} = options;
  if (shard && (options.pdf || options.compare))
    throw new UsageError(
      '--shard builds a part of the site: print PDFs and compare when merging (tradeoffs merge … --pdf)',
    );
  // Read the previous build before this one replaces it (it may be the same folder).
  const previous = options.compare === undefined ? undefined : await readPrevious(options.compare);
  // The output folder first: a cache inside a wrong output folder is a symptom of the wrong folder.
  checkOutputFolder(outDir, context.root);
  if (!options['no-cache'])
    checkCacheFolder(path.resolve(context.root, options.cache ?? DEFAULT_CACHE_DIR), context.root, outDir);
  // Nothing changed? Say so without loading the build (MDX, Vega): a fresh process answers in about 0.1 s.
  if (!options.force && !shard) {
    const start = performance.now();
    const manifest = await upToDateManifest({
      root: context.root,
      outDir,
      pdf: options.pdf,
      sampling: DEFAULT_SAMPLING,
      compared: previous ? manifestHash(previous) : null,
    });
    if (manifest) {
      const diagnostics = new Diagnostics();
      replayWarnings(manifest.warnings, diagnostics);
      context.report(diagnostics);
      const upToDate: BuildResult = {
        diagnostics,
        reports: [],
        rendered: [],
        manifest,
        upToDate: true,
      };
      context.stdout(
        summary(upToDate, outDir, options.pdf, undefined, `check ${Math.round(performance.now() - start)} ms`),
      );
      if (previous) await printComparison(context, previous, manifest, threshold);
      return 0;
    }
  }
  const {buildSite} = await import('../../build/build-site.js');
  const progress = createProgress(
    progressMode(context.isTerminal, process.env, options.progress),
    context.stdout,
    context.status,
  );
  const result = await buildSite(
    {
      root: context.root,
      pdf: options.pdf,
      shard,
      cacheDir: options['no-cache'] ? null : options.cache,
      force: options.force,
      templateTimeoutMs: options['template-timeout'] * 1000,
      ...(previous ? {compare: {previous, threshold}} : {}),
    },
    diskEffects(context.root, outDir, progress, {replaceFolder: options['replace-folder']}),
  );
  const stages = progress.finish();
  context.report(result.diagnostics);
  context.stdout(summary(result, outDir, options.pdf, shard ? `${shard.index}/${shard.count}` : undefined, stages));
  if (previous && result.manifest) await printComparison(context, previous, result.manifest, threshold);
  return 0;
}

function summary(result: BuildResult, outDir: string, pdf: boolean, shard: string | undefined, stages: string): string {
  const where = path.relative(process.cwd(), outDir) || '.';
  if (result.upToDate)
    return `Up to date: ${where} already holds the site of these inputs (${result.manifest?.reports.length ?? 0} report(s)); nothing to do (${stages})\n`;
  const charts = result.reports.reduce((sum, report) => sum + report.chartCount, 0);
  const pdfs = pdf ? ` and ${result.reports.length + 1} PDF(s)` : '';
  const what = shard ? `shard ${shard}: ` : '';
  return `Built ${what}${result.reports.length} report(s) with ${charts} chart(s)${pdfs} into ${where} (${stages})\n`;
}
