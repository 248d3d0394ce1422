import path from 'node:path';
import {buildSite, type BuildResult} from '../../publish/build-site.js';
import {parseShard} from '../../publish/shard.js';
import type {CommandContext} from '../context.js';
import {createProgress, progressMode} from '../progress.js';
import {UsageError} from '../usage.js';
import {parseThreshold, printComparison, readPrevious} from './compare.js';

/**
 * `tradeoffs build [--pdf] [--shard k/n] [--compare <previous>]`: build the
 * site into `reports/` (or `--out`), reusing cached reports whose inputs did
 * not change; `tradeoffs pdf` is `build --pdf`.
 */
export async function buildCommand(context: CommandContext): Promise<number> {
  const {options} = context;
  const outDir = options.out ? path.resolve(options.out) : path.join(context.root, 'reports');
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  if (options.shard !== undefined && !shard) throw new UsageError(`--shard expects k/n with 1 ≤ k ≤ n (as 2/4), got \`${options.shard}\``);
  if (shard && (options.pdf || options.compare)) throw new UsageError('--shard builds a part of the site: print PDFs and compare when merging (tradeoffs merge … --pdf)');
  const threshold = parseThreshold(options.threshold);
  // Read the previous build before this one replaces it (it may be the same folder).
  const previous = options.compare === undefined ? undefined : await readPrevious(options.compare);
  const progress = createProgress(progressMode(context.isTerminal, process.env, options.progress === true), context.stdout, context.status);
  const result = await buildSite({
    root: context.root,
    outDir,
    pdf: options.pdf === true,
    shard,
    cacheDir: options['no-cache'] ? null : options.cache,
    force: options.force === true,
    onStage: progress.onStage,
    onEvent: progress.onEvent,
  });
  const stages = progress.finish();
  context.report(result.diagnostics);
  context.stdout(summary(result, outDir, options.pdf === true, shard ? options.shard : undefined, stages));
  if (previous && result.manifest) await printComparison(context, previous, result.manifest, threshold);
  return 0;
}

function summary(result: BuildResult, outDir: string, pdf: boolean, shard: string | undefined, stages: string): string {
  const where = path.relative(process.cwd(), outDir) || '.';
  if (result.upToDate) return `Up to date: ${where} already holds the site of these inputs (${result.manifest?.reports.length ?? 0} report(s)); nothing to do (${stages})\n`;
  const charts = result.reports.reduce((sum, report) => sum + report.chartCount, 0);
  const pdfs = pdf ? ` and ${result.reports.length + 1} PDF(s)` : '';
  const what = shard ? `shard ${shard}: ` : '';
  return `Built ${what}${result.reports.length} report(s) with ${charts} chart(s)${pdfs} into ${where} (${stages})\n`;
}
