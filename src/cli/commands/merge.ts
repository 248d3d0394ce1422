import path from 'node:path';
import {mergeShards} from '../../build/build-site.js';
import {folderWriter} from '../../output/site-writer.js';
import {DEFAULT_CACHE_DIR} from '../../project.js';
import type {CommandContext} from '../context.js';
import type {OptionsOf} from '../options.js';
import {createProgress, progressMode} from '../progress.js';
import {printComparison, readPrevious} from './compare.js';
import type {mergeCommandSpec} from './merge-options.js';

/** `tradeoffs merge <shard>... [--out reports] [--pdf]`: join the shards of `build --shard k/n` into the site. */
export async function mergeCommand(context: CommandContext<OptionsOf<typeof mergeCommandSpec>>): Promise<number> {
  const {options} = context;
  const outDir = options.out ? path.resolve(options.out) : path.join(context.root, 'reports');
  const previous = options.compare === undefined ? undefined : await readPrevious(options.compare);
  const progress = createProgress(
    progressMode(context.isTerminal, process.env, options.progress),
    context.stdout,
    context.status,
  );
  const result = await mergeShards(
    {
      shards: context.positionals.map((dir) => path.resolve(dir)),
      pdf: options.pdf,
      cacheDir: options['no-cache'] ? null : (options.cache ?? path.join(context.root, DEFAULT_CACHE_DIR)),
      ...(previous ? {compare: {previous, threshold: options.threshold}} : {}),
    },
    {writer: folderWriter(outDir, undefined, {replaceFolder: options['replace-folder']}), logger: progress},
  );
  const stages = progress.finish();
  context.report(result.diagnostics);
  const pdfs = options.pdf ? ` and ${result.reports.length + 1} PDF(s)` : '';
  context.stdout(
    `Merged ${context.positionals.length} shard(s): ${result.reports.length} report(s)${pdfs} into ${path.relative(process.cwd(), outDir) || '.'} (${stages})\n`,
  );
  if (previous && result.manifest) await printComparison(context, previous, result.manifest, options.threshold);
  return 0;
}
