import {endsOf, type Uncertain} from '../../uncertain/distribution.js';
import {numberText} from '../number-text.js';
import {QUANTITIES} from '../plausible-ranges.js';

interface Workload {
  readonly tokens?: Uncertain | undefined;
  readonly seq_len: number;
  readonly global_batch_tokens?: number | undefined;
}

/**
 * Why a training run's length is impossible, or `undefined`: a run takes at
 * least one optimizer step of `global_batch_tokens`, and a step at least one
 * sequence of `seq_len` tokens. `tokens: 14.8` (meant as 14.8e12) is shorter;
 * the message names the magnitude slip that would explain it. An uncertain
 * length is checked at its low end.
 */
export function runShorterThanOneStep(workload: Workload): string | undefined {
  if (workload.tokens === undefined) return undefined;
  const [low] = endsOf(workload.tokens);
  const batch = workload.global_batch_tokens;
  const [step, what] =
    batch !== undefined && batch >= workload.seq_len
      ? [batch, `one global batch (\`global_batch_tokens\`: ${numberText(batch)})`]
      : [workload.seq_len, `one sequence (\`seq_len\`: ${numberText(workload.seq_len)})`];
  if (low >= step) return undefined;
  const [usualLow, usualHigh] = QUANTITIES.training_tokens.usual;
  const slips = QUANTITIES.training_tokens.slips
    .map((slip) => ({slip, meant: low / slip.factor}))
    .filter(({meant}) => meant >= step && meant >= usualLow && meant <= usualHigh)
    .slice(0, 2)
    .map(({slip, meant}) => `${slip.wrote} (${numberText(meant)} tokens)`);
  return `a run of ${numberText(low)} tokens is shorter than ${what}, expected at least ${numberText(step)} tokens${slips.length > 0 ? `; did you write ${slips.join(' or ')}?` : ''}`;
}

/** Why a global batch is impossible, or `undefined`: a step trains at least one whole sequence. */
export function batchShorterThanSequence(workload: Workload): string | undefined {
  const batch = workload.global_batch_tokens;
  if (batch === undefined || batch >= workload.seq_len) return undefined;
  return `a global batch of ${numberText(batch)} tokens is shorter than one sequence (\`seq_len\`: ${numberText(workload.seq_len)}), expected at least ${numberText(workload.seq_len)} tokens`;
}
