import type {Path} from './state.js';

/**
 * Words for the explorer's form. A field is labelled from its name in the
 * data (`usd_per_gpu_hour` → "USD per GPU-hour"); the few names below read
 * better spelled out. A name not listed still gets a label.
 */

const FIELD_LABELS: Readonly<Record<string, string>> = {
  model: 'Model',
  hardware: 'Chip',
  gpus: 'GPUs',
  tokens: 'Training tokens',
  seq_len: 'Sequence length (tokens)',
  global_batch_tokens: 'Global batch (tokens per step)',
  precision: 'Precision',
  mfu: 'MFU (model FLOPs utilisation)',
  attention: 'Attention FLOPs the MFU counts',
  peak_precision: 'Peak the MFU is measured against',
  tp: 'Tensor parallel (TP)',
  pp: 'Pipeline parallel (PP)',
  ep: 'Expert parallel (EP)',
  cp: 'Context parallel (CP)',
  zero: 'ZeRO stage',
  micro_batch_size: 'Micro-batch size',
  recompute: 'Activation recomputation',
  schedule: 'Pipeline schedule',
  virtual_stages: 'Virtual stages (interleaved)',
  uneven_stages: 'Uneven pipeline stages',
  flash_attention: 'FlashAttention',
  sequence_parallel: 'Sequence parallelism',
  moment_bytes: 'Bytes per Adam moment',
  overlap_data_parallel: 'Overlap the data-parallel exchange',
  overlap_tensor_parallel: 'Overlap the tensor-parallel collectives',
  overlap_context_parallel: 'Overlap the context-parallel exchange',
  value: 'Value',
  usd_per_gpu_hour: 'Price (USD per GPU-hour)',
  owned: 'Owned GPUs',
  capex_usd_per_gpu: 'Purchase price (USD per GPU)',
  lifetime_years: 'Lifetime (years)',
  utilization: 'Utilisation',
  usd_per_kwh: 'Electricity (USD per kWh)',
  power_fraction_of_tdp: 'Board power (fraction of TDP)',
  node_overhead: 'Node overhead (× GPU power)',
  pue: 'PUE (data-centre overhead)',
  grid_kg_co2_per_kwh: 'Grid intensity (kg CO2e per kWh)',
  weights: 'Weights',
  kv_cache: 'KV cache',
  prefill: 'Prefill unit',
  decode: 'Decode unit',
  overlap_micro_batches: 'Overlap the all-to-all (two micro-batches)',
  prompt_tokens: 'Prompt tokens (context length)',
  output_tokens: 'Output tokens',
  cache_hit_rate: 'Prefix-cache hit rate',
  concurrency: 'Concurrent sequences',
  target_tokens_per_second_per_user: 'Latency target (tokens per second per user)',
  draft_tokens: 'Draft tokens per step',
  acceptance: 'Acceptance rate',
  efficiency_factors: 'Efficiency factors',
  elasticity: 'Price elasticity of demand',
  pass_through: 'Pass-through of the saving to the price',
};

/** Top-level groups, by their field names. */
const GROUP_LABELS: Readonly<Record<string, string>> = {
  cluster: 'Cluster',
  workload: 'Workload',
  efficiency: 'Stated efficiency',
  parallelism: 'Parallel layout',
  recipe: 'Techniques',
  goodput: 'Goodput',
  cost: 'Price',
  energy: 'Energy',
  deployment: 'Deployment',
  speculative: 'Speculative decoding',
};

const GROUP_NOTES: Readonly<Record<string, string>> = {
  efficiency: 'Without a stated MFU, the step is predicted from the layout.',
  parallelism: 'Knobs left to the search are chosen for the fastest layout that fits.',
  cost: "A scenario's price applies on its own chip; without one, the chip's catalog price does.",
  energy: 'Left out, each takes the default in src/estimate/energy.ts.',
};

/** What leaving a whole group out means, where "not set" says too little. */
const GROUP_UNSET: Readonly<Record<string, string>> = {
  parallelism: 'Not given: the step is not predicted',
};

const WORDS: Readonly<Record<string, string>> = {
  usd: 'USD',
  gpu: 'GPU',
  gpus: 'GPUs',
  tdp: 'TDP',
  pue: 'PUE',
  kwh: 'kWh',
  co2: 'CO2',
  mfu: 'MFU',
  kv: 'KV',
  tflops: 'TFLOP/s',
  gb: 'GB',
  seq: 'sequence',
  len: 'length',
};

/** A field's label: its group's or field's name spelled out, else its data name in words. */
export function fieldLabel(path: Path): string {
  const key = String(path.at(-1));
  if (path.length === 1 && GROUP_LABELS[key]) return GROUP_LABELS[key];
  if (FIELD_LABELS[key]) return FIELD_LABELS[key];
  const words = key.split('_').map((word) => WORDS[word] ?? word);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function groupNote(path: Path): string | undefined {
  return path.length === 1 ? GROUP_NOTES[String(path[0])] : undefined;
}

const VALUE_LABELS: Readonly<Record<string, string>> = {
  '1f1b': '1F1B',
  interleaved: 'Interleaved 1F1B',
  'zero-bubble': 'Zero-bubble',
  dualpipe: 'DualPipe',
  none: 'None',
  selective: 'Selective',
  full: 'Full',
  causal: 'Causal',
  'non-causal': 'Non-causal',
  search: 'Searched: every knob chosen by the search',
};

/** How a choice's value reads: precisions in capitals, schedules as their papers name them. */
export function valueLabel(path: Path, value: unknown): string {
  const key = String(path.at(-1));
  if (typeof value === 'string' && (key === 'precision' || key.endsWith('_precision') || path.includes('precision')))
    return value.toUpperCase();
  if (typeof value === 'string') return VALUE_LABELS[value] ?? value;
  if (key === 'zero' && typeof value === 'number') return `ZeRO-${value}`;
  return String(value);
}

/** What leaving a field out means. */
export function unsetLabel(path: Path, defaultValue: unknown, coreDefault: number | undefined): string {
  if (path.length === 1 && GROUP_UNSET[String(path[0])]) return GROUP_UNSET[String(path[0])] as string;
  if (path.length === 2 && path[0] === 'parallelism') return 'Chosen by the search';
  if (coreDefault !== undefined) return `Default: ${coreDefault}`;
  if (defaultValue !== undefined && typeof defaultValue !== 'object')
    return `Default: ${valueLabel(path, defaultValue)}`;
  return 'Not set';
}
