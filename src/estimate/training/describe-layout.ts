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
