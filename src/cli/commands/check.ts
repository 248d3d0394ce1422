import {memoryEffects} from '../../build/build-effects.js';
import {buildSite} from '../../build/build-site.js';
import type {CommandContext} from '../context.js';
import type {OptionsOf} from '../options.js';
import type {checkCommandSpec} from './check-options.js';

/** `tradeoffs check`: everything a build does except writing; exit 1 on any problem. */
export async function checkCommand(context: CommandContext<OptionsOf<typeof checkCommandSpec>>): Promise<number> {
  const result = await buildSite(
    {root: context.root, templateTimeoutMs: context.options['template-timeout'] * 1000},
    memoryEffects(context.root),
  );
  context.report(result.diagnostics);
  context.stdout(`Checked ${result.reports.length} report(s): no errors\n`);
  return 0;
}
