import path from 'node:path';
import {buildSite, type BuildStage} from '../../publish/build-site.js';
import type {CommandContext} from '../context.js';

/** `tradeoffs build [--pdf]`: build the site into `reports/` (or `--out`); `tradeoffs pdf` is `build --pdf`. */
export async function buildCommand(context: CommandContext): Promise<number> {
  const timings = new Map<BuildStage, number>();
  const outDir = context.options.out ? path.resolve(context.options.out) : path.join(context.root, 'reports');
  const result = await buildSite({
    root: context.root,
    outDir,
    pdf: context.options.pdf === true,
    onStage: (stage, ms) => timings.set(stage, (timings.get(stage) ?? 0) + ms),
  });
  context.report(result.diagnostics);
  const charts = result.reports.reduce((sum, report) => sum + report.chartCount, 0);
  const stages = [...timings].map(([stage, ms]) => `${stage} ${Math.round(ms)} ms`).join(', ');
  const pdfs = context.options.pdf ? ` and ${result.reports.length + 1} PDF(s)` : '';
  context.stdout(`Built ${result.reports.length} report(s) with ${charts} chart(s)${pdfs} into ${path.relative(process.cwd(), outDir) || '.'} (${stages})\n`);
  return 0;
}
