import {memoryEffects} from '../../build/build-effects.js';
import {buildSite} from '../../build/build-site.js';
import type {CommandContext} from '../context.js';

/** `tradeoffs check`: everything a build does except writing; exit 1 on any problem. */
export async function checkCommand(context: CommandContext): Promise<number> {
  const result = await buildSite({root: context.root}, memoryEffects(context.root));
  context.report(result.diagnostics);
  context.stdout(`Checked ${result.reports.length} report(s): no errors\n`);
  return 0;
}
