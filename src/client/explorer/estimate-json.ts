import type {AnyEstimate} from '../../estimate/kinds.js';
import type {SamplingOptions} from '../../estimate/uncertainty/monte-carlo.js';

/**
 * An estimate as `tradeoffs estimate <id> --json` prints it
 * (src/cli/commands/estimate.ts): the estimate's own fields, then the
 * sampling when a Monte Carlo ran (a training or inference estimate with
 * ranges, a demand scenario with uncertain inputs), else `null`. Indented by
 * two spaces, without the CLI's final newline.
 */
export function estimateJson(estimate: AnyEstimate, sampling: SamplingOptions, scenarioLeaves: number): string {
  const sampled = estimate.kind === 'demand' ? scenarioLeaves > 0 : estimate.ranges !== undefined;
  return JSON.stringify({...estimate, sampling: sampled ? sampling : null}, null, 2);
}
