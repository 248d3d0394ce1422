import {divisors, gcd} from '../divisors.js';
import type {ModelProfile} from '../model-profile.js';

/** Pipeline schedules (Narayanan et al. 2021 §2.2; Qi et al. 2023 zero-bubble; DeepSeek-V3 §3.2.1 DualPipe). */
export const SCHEDULES = ['1f1b', 'interleaved', 'zero-bubble', 'dualpipe'] as const;
export type Schedule = (typeof SCHEDULES)[number];
/** Activation recomputation (Korthikanti et al. 2022): none, the attention core only, or whole layers. */
export const RECOMPUTE_POLICIES = ['none', 'selective', 'full'] as const;
export type Recompute = (typeof RECOMPUTE_POLICIES)[number];
export type ZeroStage = 0 | 1 | 2 | 3;

/** How a training run is split over its GPUs. */
export interface Layout {
  /** Tensor parallel (with sequence parallelism when above 1). */
  readonly tp: number;
  readonly pp: number;
  /** Data parallel replicas (derived: gpus / (tp·pp·cp)). */
  readonly dp: number;
  /**
   * Expert parallel. The MoE layers refold a stage's tp·dp·cp GPUs as
   * etp·ep·edp (Megatron-Core's MoE parallel folding, Liu et al. 2025,
   * arXiv 2504.14960): ep·etp divides tp·dp·cp, so ep may exceed dp when etp < tp.
   */
  readonly ep: number;
  /**
   * Expert tensor parallel: the ranks each routed expert is split over
   * (Megatron-Core's `expert_tensor_parallel_size`, tp when left unset there;
   * Megatron-Bridge's MoE recipes set 1: whole experts on each GPU).
   */
  readonly etp: number;
  /** Context (sequence) parallel for long sequences. */
  readonly cp: number;
  readonly zero: ZeroStage;
  /** Sequences per micro-batch. */
  readonly microBatchSize: number;
  readonly recompute: Recompute;
  readonly schedule: Schedule;
  /** Model chunks per pipeline rank for the interleaved schedule (1 otherwise). */
  readonly virtualStages: number;
  /** Allow layers that do not divide evenly into stages (the slowest stage sets the pace). */
  readonly unevenStages: boolean;
}

/** Everything about a training run but its layout. */
export interface TrainingSetup {
  readonly gpus: number;
  readonly seqLen: number;
  readonly globalBatchTokens: number;
  /** Precision of the matrix multiplications. */
  readonly gemmPrecision: 'bf16' | 'fp16' | 'fp8';
  readonly flashAttention: boolean;
  /** Split norms and residuals over the TP ranks too (Korthikanti et al. 2022); before it they ran on every rank. */
  readonly sequenceParallel: boolean;
  /** Bytes per Adam moment: 4 (FP32) or 2 (BF16, DeepSeek-V3 §3.3.3). */
  readonly momentBytes: 2 | 4;
  /** Overlap data-parallel gradient reduction with the backward pass (Megatron, FSDP). */
  readonly overlapDataParallel: boolean;
  /** Overlap tensor-parallel collectives with the GEMMs they feed (userbuffers); off when left out. */
  readonly overlapTensorParallel?: boolean;
  /** Overlap the context-parallel exchange with attention (ring attention); on when left out. */
  readonly overlapContextParallel?: boolean;
  /**
   * Whether CUDA graphs replay the routed experts' kernels (`full`) or the host launches them (`none`,
   * `partial`): a step whose GPU work is shorter than the host's dispatch of it waits for the host.
   */
  readonly cudaGraphs?: 'none' | 'partial' | 'full';
  /** Share of time doing useful steps, after failures and restarts. */
  readonly goodput: number;
}

/** A problem with a layout: the field it concerns and what would be valid. */
export interface LayoutProblem {
  readonly field: keyof Layout | 'gpus' | 'globalBatchTokens';
  readonly message: string;
}

/** Sequences each data-parallel rank processes per step, and the micro-batches that makes. */
export function microBatches(setup: TrainingSetup, layout: Layout): number {
  const sequences = setup.globalBatchTokens / setup.seqLen;
  return sequences / (layout.dp * layout.microBatchSize);
}

/**
 * Check that a layout can run the model on the GPUs: degrees that divide
 * what they split, schedule constraints, whole micro-batches. Each problem
 * says what would be valid.
 */
export function validateLayout(profile: ModelProfile, setup: TrainingSetup, layout: Layout): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  checkLayout(profile, setup, layout, (field, message) => {
    problems.push({field, message: message()});
    return false;
  });
  return problems;
}

/** Whether `validateLayout` would find no problem, without writing the messages (the layout search's hot path). */
export function isValidLayout(profile: ModelProfile, setup: TrainingSetup, layout: Layout): boolean {
  return checkLayout(profile, setup, layout, stopAtFirst);
}

const stopAtFirst = () => true;

/** Pipeline-split slots beyond the transformer layers with uneven stages: the embedding and the loss (checkLayout says why). */
const PIPELINE_SPLIT_EXTRA_SLOTS = 2;

/**
 * The checks of `validateLayout`, in order. Each problem goes to `report` with its message as a
 * function (written only when wanted); `report` returns true to stop there. True when no problem.
 */
function checkLayout(
  profile: ModelProfile,
  setup: TrainingSetup,
  layout: Layout,
  report: (field: LayoutProblem['field'], message: () => string) => boolean,
): boolean {
  let valid = true;
  const {tp, pp, dp, ep, cp} = layout;
  if (tp * pp * dp * cp !== setup.gpus) {
    valid = false;
    if (
      report(
        'gpus',
        () =>
          `tp × pp × dp × cp = ${tp} × ${pp} × ${dp} × ${cp} = ${tp * pp * dp * cp}, expected the ${setup.gpus} GPUs of the cluster`,
      )
    )
      return false;
  }
  if (profile.heads % tp !== 0) {
    valid = false;
    if (
      report(
        'tp',
        () =>
          `tp ${tp} does not divide the ${profile.heads} attention heads, expected one of ${divisors(profile.heads).join(', ')}`,
      )
    )
      return false;
  }
  if (pp > profile.layers) {
    valid = false;
    if (report('pp', () => `pp ${pp} is more than the ${profile.layers} layers, expected at most ${profile.layers}`))
      return false;
  } else if (!layout.unevenStages && profile.layers % (pp * layout.virtualStages) !== 0) {
    valid = false;
    const message = () => {
      const dividing = divisors(profile.layers).filter(
        (value) => profile.layers % (value * layout.virtualStages) === 0,
      );
      return `${profile.layers} layers do not split into ${pp} stages${layout.virtualStages > 1 ? ` of ${layout.virtualStages} chunks` : ''}, expected pp dividing the layers (${dividing.join(', ')}) or \`uneven_stages: true\``;
    };
    if (report('pp', message)) return false;
  }
  // The MoE layers refold the stage's tp·dp·cp GPUs as etp·ep·edp (Megatron-Core's MoE parallel folding).
  const stageGpus = tp * dp * cp;
  const etp = layout.etp;
  const epOptions = () => divisors(gcd(profile.experts, stageGpus / etp)).join(', ');
  if (profile.experts === 0 && (ep !== 1 || etp !== tp)) {
    valid = false;
    if (
      report(ep !== 1 ? 'ep' : 'etp', () =>
        ep !== 1 ? `ep ${ep} on a dense model, expected 1` : `etp ${etp} on a dense model, expected tp ${tp}`,
      )
    )
      return false;
  } else if (profile.experts > 0 && tp % etp !== 0) {
    valid = false;
    if (report('etp', () => `etp ${etp} must divide tp ${tp}, expected one of ${divisors(tp).join(', ')}`))
      return false;
  } else if (ep > profile.experts && profile.experts > 0) {
    valid = false;
    if (
      report(
        'ep',
        () =>
          `ep ${ep} is larger than the ${profile.experts} experts, expected one of ${epOptions()} (dividing both the experts and tp × dp × cp / etp = ${stageGpus / etp})`,
      )
    )
      return false;
  } else if (profile.experts > 0 && (profile.experts % ep !== 0 || stageGpus % (ep * etp) !== 0)) {
    valid = false;
    if (
      report(
        'ep',
        () =>
          `ep ${ep} must divide both the ${profile.experts} experts and tp × dp × cp / etp = ${stageGpus / etp}, expected one of ${epOptions()}`,
      )
    )
      return false;
  }
  if (setup.seqLen % cp !== 0) {
    valid = false;
    if (report('cp', () => `cp ${cp} does not divide the sequence length ${setup.seqLen}`)) return false;
  }
  const m = microBatches(setup, layout);
  if (!Number.isInteger(m) || m < 1) {
    valid = false;
    const sequences = setup.globalBatchTokens / setup.seqLen;
    if (
      report(
        'microBatchSize',
        () =>
          `${sequences} sequences per step over dp ${dp} × micro-batch ${layout.microBatchSize} is ${formatCount(m)} micro-batches, expected a whole number of at least 1`,
      )
    )
      return false;
  }
  // DualPipe feeds micro-batches in pairs from both ends of the pipeline: an even pp, and an even number of
  // micro-batches, at least 2·pp (deepseek-ai/DualPipe dualpipe.py, DualPipe.step() asserts).
  if (layout.schedule === 'dualpipe' && (pp % 2 !== 0 || (Number.isInteger(m) && (m % 2 !== 0 || m < 2 * pp)))) {
    valid = false;
    if (
      report(
        'schedule',
        () =>
          `DualPipe needs an even pp and an even number of micro-batches, at least 2·pp = ${2 * pp} (deepseek-ai/DualPipe), got pp ${pp} and ${formatCount(m)}`,
      )
    )
      return false;
  }
  // Uneven stages may count the embedding and the loss as a layer each in the split, so the first chunk
  // can hold only the embedding and the last only the head (Megatron-Core's account_for_embedding_in_pipeline_split
  // and account_for_loss_in_pipeline_split, transformer_block.py get_num_layers_to_build): at most layers + 2 chunks.
  if (
    layout.schedule === 'interleaved' &&
    layout.unevenStages &&
    pp * layout.virtualStages > profile.layers + PIPELINE_SPLIT_EXTRA_SLOTS
  ) {
    valid = false;
    if (
      report(
        'virtualStages',
        () =>
          `${pp} stages of ${layout.virtualStages} chunks make ${pp * layout.virtualStages} chunks for ${profile.layers} layers and the embedding and loss, expected at most ${Math.floor((profile.layers + PIPELINE_SPLIT_EXTRA_SLOTS) / pp)} chunks per stage`,
      )
    )
      return false;
  }
  if (layout.schedule === 'interleaved' && layout.virtualStages < 2) {
    valid = false;
    if (
      report(
        'virtualStages',
        () => `the interleaved schedule needs at least 2 virtual stages, got ${layout.virtualStages}`,
      )
    )
      return false;
  }
  if (layout.schedule !== 'interleaved' && layout.virtualStages !== 1) {
    valid = false;
    if (
      report(
        'virtualStages',
        () => `virtual stages apply to the interleaved schedule only, expected 1 with ${layout.schedule}`,
      )
    )
      return false;
  }
  if (layout.schedule === 'interleaved' && Number.isInteger(m) && m % pp !== 0) {
    valid = false;
    if (
      report(
        'schedule',
        () => `the interleaved schedule needs micro-batches (${m}) to be a multiple of pp (${pp}) (Megatron-LM)`,
      )
    )
      return false;
  }
  return valid;
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/**
 * Check the knobs a scenario fixes, before any search fills in the rest:
 * each given degree must divide what it splits. Returns the problems of the
 * given fields only.
 */
export function validateConstraints(
  profile: ModelProfile,
  setup: TrainingSetup,
  constraints: Partial<Omit<Layout, 'dp'>>,
): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  const {tp, pp, ep, etp, cp, virtualStages, microBatchSize} = constraints;
  if (tp !== undefined && (profile.heads % tp !== 0 || setup.gpus % tp !== 0)) {
    problems.push({
      field: 'tp',
      message: `tp ${tp} must divide the ${profile.heads} attention heads and the ${setup.gpus} GPUs, expected one of ${divisors(gcd(profile.heads, setup.gpus)).join(', ')}`,
    });
  }
  if (pp !== undefined) {
    if (pp > profile.layers)
      problems.push({
        field: 'pp',
        message: `pp ${pp} is more than the ${profile.layers} layers, expected at most ${profile.layers}`,
      });
    else if (!constraints.unevenStages && profile.layers % pp !== 0) {
      problems.push({
        field: 'pp',
        message: `${profile.layers} layers do not split into ${pp} stages, expected one of ${divisors(profile.layers).join(', ')}, or \`uneven_stages: true\``,
      });
    }
  }
  const fixed = (tp ?? 1) * (pp ?? 1) * (cp ?? 1);
  const divides = setup.gpus % fixed === 0;
  if (!divides) {
    // Blame the pipeline degree when given (it is the one usually changed), else the others.
    const field = pp !== undefined ? 'pp' : tp !== undefined ? 'tp' : 'cp';
    problems.push({
      field,
      message: `tp × pp × cp = ${fixed} does not divide the ${setup.gpus} GPUs, expected a GPU count that is a multiple of ${fixed}`,
    });
  }
  if (ep !== undefined) {
    if (profile.experts === 0 && ep !== 1)
      problems.push({field: 'ep', message: `ep ${ep} on a dense model, expected 1`});
    else if (profile.experts > 0 && ep > profile.experts) {
      problems.push({
        field: 'ep',
        message: `ep ${ep} is larger than the ${profile.experts} experts, expected at most ${profile.experts} (a divisor of it)`,
      });
    } else if (profile.experts > 0 && profile.experts % ep !== 0) {
      problems.push({
        field: 'ep',
        message: `ep ${ep} does not divide the ${profile.experts} experts, expected one of ${divisors(profile.experts).join(', ')}`,
      });
    } else if (
      divides &&
      tp !== undefined &&
      pp !== undefined &&
      tp % (etp ?? tp) === 0 &&
      (setup.gpus / pp) % (ep * (etp ?? tp)) !== 0
    ) {
      // The MoE layers refold a stage's tp·dp·cp GPUs as etp·ep·edp (Megatron-Core's MoE parallel folding).
      const folded = setup.gpus / pp / (etp ?? tp);
      problems.push({
        field: 'ep',
        message: `ep ${ep} does not divide tp × dp × cp / etp = ${folded}, expected one of ${divisors(gcd(profile.experts, folded)).join(', ')}`,
      });
    }
  }
  if (etp !== undefined) {
    if (profile.experts === 0 && tp !== undefined && etp !== tp)
      problems.push({field: 'etp', message: `etp ${etp} on a dense model, expected tp ${tp} or none`});
    else if (tp !== undefined && tp % etp !== 0)
      problems.push({
        field: 'etp',
        message: `etp ${etp} must divide tp ${tp}, expected one of ${divisors(tp).join(', ')}`,
      });
  }
  if (cp !== undefined && setup.seqLen % cp !== 0)
    problems.push({field: 'cp', message: `cp ${cp} does not divide the sequence length ${setup.seqLen}`});
  if (
    virtualStages !== undefined &&
    constraints.schedule !== undefined &&
    constraints.schedule !== 'interleaved' &&
    virtualStages !== 1
  ) {
    problems.push({
      field: 'virtualStages',
      message: `virtual stages apply to the interleaved schedule only, expected 1 with ${constraints.schedule}`,
    });
  }
  if (microBatchSize !== undefined && (setup.globalBatchTokens / setup.seqLen) % microBatchSize !== 0) {
    problems.push({
      field: 'microBatchSize',
      message: `micro-batch size ${microBatchSize} does not divide the ${setup.globalBatchTokens / setup.seqLen} sequences per step`,
    });
  }
  return problems;
}
