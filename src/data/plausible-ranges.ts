/**
 * Plausible ranges: every quantity the data holds, by what it measures, with
 * two ranges (src/data/plausibility.ts applies them where data is validated):
 *
 * - `possible`: beyond it a value is impossible, by physics or by a margin of
 *   orders of magnitude over anything built or published: an error;
 * - `usual`: what published chips, models and runs span, with room to spare:
 *   beyond it, a warning (a new record may truly be unusual; say so).
 *
 * `slips` are the unit or magnitude mistakes a value outside the usual range
 * is checked for: the value as written is `factor` times the one meant (80e9
 * for an 80 GB part written in bytes: factor 1e9). A slip that brings the
 * value back into the usual range is named in the message. Every range says
 * where it comes from; none is keyed to one chip, model or run.
 */
export interface Slip {
  readonly factor: number;
  /** What was written instead, as the message puts it: `bytes`, `a percentage`. */
  readonly wrote: string;
}

export interface Quantity {
  /** What the value is, for the message: `memory per accelerator`. */
  readonly what: string;
  /** Its unit as the field name gives it (`GB`), empty for a count or ratio. */
  readonly unit: string;
  readonly possible: readonly [number, number];
  readonly usual: readonly [number, number];
  readonly slips?: readonly Slip[];
}

/** A count written in millions, billions or trillions: `14.8` for 14.8e12 tokens. */
const MAGNITUDES: readonly Slip[] = [
  {factor: 1e-12, wrote: 'trillions'},
  {factor: 1e-9, wrote: 'billions'},
  {factor: 1e-6, wrote: 'millions'},
];

export const QUANTITIES = {
  // --- Accelerators (data/hardware.yaml gives each figure its source) ---------------------------
  /**
   * Dense rate per precision. Today's parts span about 8 TFLOP/s (T4, FP32) to 15,000 (GB300,
   * FP4 dense); 1 EFLOP/s in one package is some 70× beyond the fastest, 1 GFLOP/s a 1990s CPU.
   */
  tflops: {
    what: 'dense rate per accelerator',
    unit: 'TFLOP/s',
    possible: [1e-3, 1e6],
    usual: [5, 5e4],
    slips: [
      {factor: 1e12, wrote: 'FLOP/s'},
      {factor: 1e3, wrote: 'GFLOP/s'},
      {factor: 1e-3, wrote: 'PFLOP/s'},
    ],
  },
  /**
   * On-package memory. HBM parts hold 16 (V100) to 288 GB (MI355X); an SRAM chip as little as
   * 0.23 GB (Groq LPU). HBM4 stacks hold at most 64 GB and a package takes at most 16 of them:
   * no accelerator has more than a few TB, let alone 10 TB.
   */
  capacity_gb: {
    what: 'memory per accelerator',
    unit: 'GB',
    possible: [1e-3, 1e4],
    usual: [8, 2000],
    slips: [
      {factor: 1e9, wrote: 'bytes'},
      {factor: 1e3, wrote: 'megabytes'},
      {factor: 1e-3, wrote: 'terabytes'},
    ],
  },
  /**
   * Capacity as the device reports it, in MiB (`nvidia-smi`): the same parts as `capacity_gb`,
   * 16,160 MiB (V100 16 GB) to about 294,000 MiB (MI355X, 288 GB), and 0.23 GB of SRAM.
   */
  capacity_mib: {
    what: 'reported memory per accelerator',
    unit: 'MiB',
    possible: [1, 1e7],
    usual: [7000, 2e6],
    slips: [
      {factor: 1048576, wrote: 'bytes'},
      {factor: 1 / 1024, wrote: 'GiB'},
    ],
  },
  /**
   * Memory bandwidth: HBM parts 0.9 (V100) to 8 TB/s (B200); on-chip SRAM 80 (Groq) to 21,000
   * TB/s (Cerebras WSE-3, a whole wafer). 100 PB/s is beyond any memory built.
   */
  memory_tb_per_s: {
    what: 'memory bandwidth per accelerator',
    unit: 'TB/s',
    possible: [1e-4, 1e5],
    usual: [0.1, 100],
    slips: [
      {factor: 1e12, wrote: 'bytes per second'},
      {factor: 1e3, wrote: 'GB/s'},
    ],
  },
  /**
   * Link bandwidth per GPU per direction: PCIe 4 x16 32 GB/s, 800G NICs 100 GB/s, NVLink 5 900
   * GB/s. A link of 100 TB/s per direction is beyond any SerDes lane count built.
   */
  link_gb_per_s: {
    what: 'link bandwidth per GPU and direction',
    unit: 'GB/s',
    possible: [1e-3, 1e5],
    usual: [1, 5000],
    slips: [
      {factor: 1e9, wrote: 'bytes per second'},
      {factor: 1e-3, wrote: 'TB/s'},
    ],
  },
  /**
   * Latency of one collective step over the network: about 1–10 µs on InfiniBand and RoCE
   * (NCCL's tuning tables); a second per step is no network.
   */
  latency_us: {
    what: 'network latency',
    unit: 'µs',
    possible: [1e-3, 1e6],
    usual: [0.1, 1000],
    slips: [
      {factor: 1e-6, wrote: 'seconds'},
      {factor: 1e-3, wrote: 'milliseconds'},
    ],
  },
  /** GPUs in one scale-up domain: 8 (HGX) to 72 (NVL72) and 576 (NVL576); TPU pods about 9,000. */
  domain_gpus: {what: 'scale-up domain', unit: 'GPUs', possible: [1, 1e6], usual: [1, 1e4]},
  /**
   * Board power: 70 W (T4) to about 1,400 W (GB300); a wafer-scale system about 23 kW (Cerebras
   * CS-3). No single package draws 100 kW: it could not be cooled.
   */
  tdp_w: {
    what: 'board power',
    unit: 'W',
    possible: [1, 1e5],
    usual: [50, 3000],
    slips: [
      {factor: 1e-3, wrote: 'kilowatts'},
      {factor: 1e3, wrote: 'milliwatts'},
    ],
  },

  // --- Prices (hardware price records and scenario costs) ----------------------------------------
  /** Rental: about 1 (A100, 2024–25 spot) to 12 USD (on-demand B200 at a hyperscaler) per GPU-hour. */
  usd_per_gpu_hour: {
    what: 'price per GPU-hour',
    unit: 'USD',
    possible: [1e-3, 1e3],
    usual: [0.1, 50],
    slips: [{factor: 100, wrote: 'cents'}],
  },
  /** Purchase: a data-centre accelerator costs thousands (L4) to about 70,000 USD (GB200). */
  capex_usd_per_gpu: {
    what: 'purchase price per GPU',
    unit: 'USD',
    possible: [1, 1e8],
    usual: [500, 1e6],
    slips: [{factor: 1e-3, wrote: 'thousands of USD'}],
  },
  /** Depreciation: accounts use 3–6 years for servers; no chip serves a century. */
  lifetime_years: {
    what: 'service life',
    unit: 'years',
    possible: [0.01, 100],
    usual: [1, 10],
    slips: [
      {factor: 12, wrote: 'months'},
      {factor: 365, wrote: 'days'},
    ],
  },
  /** Electricity: about 0.03–0.30 USD per kWh for industrial users worldwide (IEA, EIA). */
  usd_per_kwh: {
    what: 'electricity price',
    unit: 'USD per kWh',
    possible: [1e-4, 10],
    usual: [0.01, 1],
    slips: [
      {factor: 100, wrote: 'cents'},
      {factor: 1000, wrote: 'USD per MWh'},
    ],
  },

  // --- Shares and energy ---------------------------------------------------------------------
  /** A share in (0, 1] (the schema bounds it); any value in it is usual. */
  fraction: {what: 'share', unit: '', possible: [0, 1], usual: [0, 1]},
  /**
   * Model FLOPs utilisation: published runs report about 0.2 (GPT-3 era) to 0.55 (PaLM 46%,
   * Megatron-LM 52% HFU); below 0.05 or above 0.8 no large run has reported.
   */
  mfu: {what: 'FLOPs utilisation', unit: '', possible: [0, 1], usual: [0.05, 0.8]},
  /** Goodput: Llama 3 reports over 90% (Herd paper §3.3.4); a run at below half would be stopped. */
  goodput: {what: 'goodput', unit: '', possible: [0, 1], usual: [0.5, 1]},
  /** Average board power over TDP: measured runs draw 0.5–1 of it; the schema allows up to 1.5. */
  power_fraction: {what: 'share of TDP drawn', unit: '', possible: [0, 1.5], usual: [0.2, 1.2]},
  /** Node overhead and PUE: 1 is the ideal; data centres report 1.1–1.6 (Uptime Institute 2024: 1.56). */
  overhead_ratio: {what: 'overhead ratio', unit: '', possible: [1, 3], usual: [1, 2.5]},
  /** Grid carbon intensity: about 0.02 (hydro, nuclear) to 1.0 kg CO2 per kWh (coal) (IEA). */
  grid_kg_co2_per_kwh: {what: 'grid carbon intensity', unit: 'kg CO2 per kWh', possible: [0, 2], usual: [0, 1.2]},

  // --- Models (data/models.yaml) -----------------------------------------------------------------
  /** Layers: 12 (GPT-2 small) to 126 (Llama 3.1 405B); 100,000 layers is no model. */
  layers: {what: 'layer count', unit: '', possible: [1, 1e5], usual: [1, 1000]},
  /** Widths (d_model, FFN widths, head and latent dimensions): 64 to about 50,000 in published models. */
  width: {what: 'model dimension', unit: '', possible: [1, 1e7], usual: [1, 1e6]},
  /** Vocabulary: 256 (bytes) to about 260,000 (Gemma) tokens. */
  vocab: {what: 'vocabulary', unit: 'tokens', possible: [1, 1e8], usual: [2, 1e7]},
  /** Heads, experts, routed and shared experts, MTP depth: 0 to a few thousand (no model has 1e6 experts per layer). */
  model_count: {what: 'count', unit: '', possible: [0, 1e6], usual: [0, 1e5]},
  /** Parameters: 1.2e8 (GPT-2 small) to about 2e12 (Llama 4 Behemoth) published; 1e16 needs 20 PB of weights. */
  parameters: {what: 'parameter count', unit: 'parameters', possible: [1, 1e16], usual: [1e6, 1e14], slips: MAGNITUDES},

  // --- Runs (scenarios and data/references.yaml) ------------------------------------------------
  /**
   * GPUs: 1 to about 2e5 in the largest clusters announced (xAI Colossus); 1e7 GPUs would draw
   * some 10 GW, more than any site's grid connection.
   */
  gpus: {what: 'GPU count', unit: 'GPUs', possible: [1, 1e7], usual: [1, 1e6]},
  /** Parallel degrees, virtual stages, micro-batch sizes: each at most the GPUs or sequences there are. */
  degree: {what: 'degree', unit: '', possible: [1, 1e7], usual: [1, 1e5]},
  /**
   * Training tokens: published runs span about 1e9 to 4e13 (Llama 4); fine-tuning takes less. The
   * stock of human-written public text is about 3e14 tokens (Villalobos et al. 2024): 1e20 is far
   * beyond any corpus, repeated or synthetic.
   */
  training_tokens: {what: 'run length', unit: 'tokens', possible: [1, 1e20], usual: [1e6, 1e15], slips: MAGNITUDES},
  /** Sequence length: 512 (BERT) to 1e7 tokens of context (Llama 4 Scout); 1e9 fits no memory. */
  seq_len: {
    what: 'sequence length',
    unit: 'tokens',
    possible: [1, 1e9],
    usual: [16, 2e7],
    slips: [{factor: 1e-3, wrote: 'thousands'}],
  },
  /** Tokens per optimizer step: 0.5M (GPT-3 small) to about 60M (DeepSeek-V3); 1e12 is a whole corpus per step. */
  batch_tokens: {what: 'global batch', unit: 'tokens', possible: [1, 1e12], usual: [1e3, 1e9], slips: MAGNITUDES},
  /** Published figures of runs: GPU-hours up to about 3e7 (Llama 3.1 405B: 3.08e7). */
  gpu_hours: {what: 'run', unit: 'GPU-hours', possible: [1e-6, 1e12], usual: [1, 1e9], slips: MAGNITUDES},
  /** Wall-clock days: hours to about 100 days for the largest runs; 100,000 days is 270 years. */
  wall_clock_days: {what: 'run', unit: 'days', possible: [1e-6, 1e5], usual: [1e-3, 2000]},
  /**
   * Step (iteration) time: under a second (small models) to about a minute (Megatron-LM's 1T model,
   * Narayanan et al. 2021 Table 1, tens of seconds); a step of a day is no training run.
   */
  step_seconds: {
    what: 'step time',
    unit: 's',
    possible: [1e-6, 1e6],
    usual: [0.01, 3600],
    slips: [{factor: 1000, wrote: 'milliseconds'}],
  },
  /** Energy of a run: MWh for small runs to about 3e4 MWh (GPT-4-scale estimates); 1e9 MWh is a country's year. */
  energy_mwh: {
    what: 'run energy',
    unit: 'MWh',
    possible: [1e-9, 1e9],
    usual: [1e-3, 1e6],
    slips: [{factor: 1000, wrote: 'kWh'}],
  },
  /** Training compute: about 1e18 (small models) to 5e26 FLOP (the largest estimated, Epoch AI 2025). */
  training_flops: {what: 'training compute', unit: 'FLOP', possible: [1, 1e33], usual: [1e12, 1e29]},
  /** Throughput per GPU: hundreds to tens of thousands of training tokens per second. */
  tokens_per_second_per_gpu: {what: 'throughput', unit: 'tokens/s per GPU', possible: [1e-6, 1e9], usual: [1, 1e7]},
  /** Cost of a run: thousands to about 1e9 USD (the largest runs' estimated compute). */
  cost_usd: {what: 'run cost', unit: 'USD', possible: [1e-3, 1e13], usual: [10, 1e11], slips: MAGNITUDES},

  // --- Serving ---------------------------------------------------------------------------------
  /** Request lengths (averages): one token to the longest contexts (1e7 tokens). */
  request_tokens: {what: 'request length', unit: 'tokens', possible: [1e-3, 1e9], usual: [1, 2e7]},
  /** Sequences in flight on one unit: 1 to tens of thousands. */
  concurrency: {what: 'concurrency', unit: 'sequences', possible: [1, 1e8], usual: [1, 1e6]},
  /** Speed per user: a few to a few thousand tokens/s (reading speed is about 5). */
  tokens_per_second_per_user: {what: 'speed per user', unit: 'tokens/s', possible: [1e-4, 1e7], usual: [0.1, 1e5]},
  /**
   * Serving throughput, per GPU or per node: tens (a large model at low batch) to about 1e5 tokens/s
   * per node (DeepSeek's prefill nodes, 73.7k input tokens/s, Open Source Week day 6).
   */
  serving_tokens_per_second: {what: 'serving throughput', unit: 'tokens/s', possible: [1e-6, 1e9], usual: [0.1, 1e7]},
  /** Time to first token or between tokens: milliseconds to tens of seconds; a day is no service. */
  latency_seconds: {
    what: 'latency',
    unit: 's',
    possible: [1e-7, 86400],
    usual: [1e-4, 600],
    slips: [{factor: 1000, wrote: 'milliseconds'}],
  },
  /** Host time per decode step: under a millisecond (CUDA graphs) to tens (Python schedulers); the schema caps it at 100. */
  host_overhead_ms: {what: 'host time per step', unit: 'ms', possible: [0, 100], usual: [0, 50]},
  /** A stack's kernels over the tuned reference kernels: a young port at a third, a tuned one at 1 (schema: up to 1.5). */
  kernel_efficiency: {what: 'kernel efficiency', unit: '×', possible: [0, 1.5], usual: [0.05, 1.5]},
  /** An hour's demand relative to the day's others: any non-negative weight. */
  relative_load: {what: 'relative load', unit: '', possible: [0, 1e12], usual: [0, 1e9]},
  /** Drafted tokens per step: 1 (DeepSeek-V3's MTP) to about 10 (EAGLE trees); 1,000 is no draft. */
  draft_tokens: {what: 'drafted tokens', unit: 'tokens', possible: [1, 1000], usual: [1, 64]},

  // --- Demand (data/scenarios/demand-*.yaml) ----------------------------------------------------
  /** Compute per unit of capability, before over after: DeepSeek-V3's claims are about 10×; 1e9× is no technique. */
  efficiency_factor: {what: 'efficiency factor', unit: '×', possible: [1, 1e9], usual: [1, 1e5]},
  /** Price elasticity of demand: published estimates span about 0.1 to 3 (the schema allows 0 to 10). */
  elasticity: {what: 'price elasticity', unit: '', possible: [0, 100], usual: [0.01, 10]},
  /** Growth of volume or fall of price over a period: up to about 1,000× a year for tokens of fixed capability. */
  ratio: {what: 'ratio', unit: '×', possible: [1e-9, 1e12], usual: [1e-3, 1e7]},
  /** A company's capital expenditure for a year: billions to about 1e11 USD (Microsoft, 2025: 80e9). */
  capex_usd: {
    what: 'yearly capital expenditure',
    unit: 'USD',
    possible: [1, 1e14],
    usual: [1e6, 1e13],
    slips: MAGNITUDES,
  },

  // --- Sources -----------------------------------------------------------------------------------
  /** Publication years: the schema allows 1800–2100, all usual (the reports cite Jevons, 1865). */
  year: {what: 'year', unit: '', possible: [1800, 2100], usual: [1800, 2100]},
} as const satisfies Record<string, Quantity>;

export type QuantityName = keyof typeof QUANTITIES;
