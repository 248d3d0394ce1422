import path from 'node:path';
import {mergeShards} from '../../build/build-site.js';
import {folderWriter} from '../../output/site-writer.js';
import type {CommandContext} from '../context.js';
import {createProgress, progressMode} from '../progress.js';
import {UsageError} from '../usage.js';
import {parseThreshold, printComparison, readPrevious} from './compare.js';

/** `tradeoffs merge <shard>... [--out reports] [--pdf]`: join the shards of `build --shard k/n` into the site. */
export async function mergeCommand(context: CommandContext): Promise<number> {
  const {options} = context;
  if (context.positionals.length === 0)
    throw new UsageError('merge expects the shard folders: tradeoffs merge shards/1 shards/2 … --out reports');
  const outDir = options.out ? path.resolve(options.out) : path.join(context.root, 'reports');
  const threshold = parseThreshold(options.threshold);
  const previous = options.compare === undefined ? undefined : await readPrevious(options.compare);
  const progress = createProgress(
    progressMode(context.isTerminal, process.env, options.progress === true),
    context.stdout,
    context.status,
  );
  const result = await mergeShards(
    {
      shards: context.positionals.map((dir) => path.resolve(dir)),
      pdf: options.pdf === true,
      cacheDir: options['no-cache'] ? null : (options.cache ?? path.join(context.root, '.tradeoffs', 'cache')),
    },
    {writer: folderWriter(outDir), logger: progress},
  );
  const stages = progress.finish();
  context.report(result.diagnostics);
  const pdfs = options.pdf ? ` and ${result.reports.length + 1} PDF(s)` : '';
  context.stdout(
    `Merged ${context.positionals.length} shard(s): ${result.reports.length} report(s)${pdfs} into ${path.relative(process.cwd(), outDir) || '.'} (${stages})\n`,
  );
  if (previous && result.manifest) await printComparison(context, previous, result.manifest, threshold);
  return 0;
}
