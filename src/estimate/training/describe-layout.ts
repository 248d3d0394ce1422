import type {Parallelism} from '../../data/schemas/training.js';
import type {Layout} from './layout.js';

/** `tp 1 · pp 16 · dp 128 · ep 64 · ZeRO-1 · micro-batch 1 · selective recompute · dualpipe`. */
export function describeLayout(layout: Layout): string {
  const parts = [`tp ${layout.tp}`, `pp ${layout.pp}`, `dp ${layout.dp}`];
  if (layout.ep > 1) parts.push(`ep ${layout.ep}`);
  // Experts split unlike the rest of the layer (Megatron-Core's default is etp = tp).
  if (layout.etp !== layout.tp) parts.push(`etp ${layout.etp}`);
  if (layout.cp > 1) parts.push(`cp ${layout.cp}`);
  parts.push(
    `ZeRO-${layout.zero}`,
    `micro-batch ${layout.microBatchSize}`,
    layout.recompute === 'none' ? 'no recompute' : `${layout.recompute} recompute`,
  );
  parts.push(layout.schedule === 'interleaved' ? `interleaved ×${layout.virtualStages}` : layout.schedule);
  return parts.join(' · ');
}

/** How a schedule is named in prose (Megatron's and DeepSeek's names). */
const SCHEDULE_NAMES: Record<NonNullable<Parallelism['schedule']>, string> = {
  '1f1b': '1F1B',
  interleaved: 'interleaved 1F1B',
  'zero-bubble': 'zero-bubble',
  dualpipe: 'DualPipe',
};

/**
 * What a scenario or a published run states of its layout, in the words of papers:
 * `no TP, PP 16 with DualPipe, EP 64, ZeRO-1, uneven stages`. Only the stated knobs
 * are named (the search chooses the rest), so a page describing a layout reads it
 * from the data rather than typing it beside them.
 */
export function describeParallelism(parallelism: Parallelism | 'search' | undefined): string {
  if (parallelism === undefined || parallelism === 'search') return 'every knob searched';
  const {tp, pp, ep, etp, cp, zero, schedule} = parallelism;
  const parts: string[] = [];
  if (tp !== undefined) parts.push(tp === 1 ? 'no TP' : `TP ${tp}`);
  const scheduleName = schedule && SCHEDULE_NAMES[schedule];
  const virtual = parallelism.virtual_stages === undefined ? '' : ` (${parallelism.virtual_stages} virtual stages)`;
  if (pp !== undefined)
    parts.push(pp === 1 ? 'no PP' : `PP ${pp}${scheduleName ? ` with ${scheduleName}` : ''}${virtual}`);
  else if (scheduleName) parts.push(`the ${scheduleName} schedule${virtual}`);
  if (ep !== undefined) parts.push(ep === 1 ? 'no EP' : `EP ${ep}`);
  if (etp !== undefined) parts.push(`expert TP ${etp}`);
  if (cp !== undefined) parts.push(cp === 1 ? 'no CP' : `CP ${cp}`);
  if (zero !== undefined) parts.push(zero === 0 ? 'no ZeRO' : `ZeRO-${zero}`);
  if (parallelism.micro_batch_size !== undefined) parts.push(`micro-batch ${parallelism.micro_batch_size}`);
  if (parallelism.recompute !== undefined)
    parts.push(parallelism.recompute === 'none' ? 'no recompute' : `${parallelism.recompute} recompute`);
  if (parallelism.uneven_stages) parts.push('uneven stages');
  return parts.join(', ');
}
