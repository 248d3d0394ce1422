import type {ChipRates} from '../chip-rates.js';
import {divisors} from '../divisors.js';
import {
  isValidLayout,
  RECOMPUTE_POLICIES,
  type Layout,
  type Recompute,
  type Schedule,
  type TrainingSetup,
  type ZeroStage,
} from './layout.js';
import {memoryPerGpu, type MemoryBreakdown} from './memory.js';
import type {ModelProfile} from '../model-profile.js';
import {predictStep, type StepEstimate} from './step-time.js';
import {stepOrder} from './step-order.js';
import {addToFrontier, type FrontierLayout} from './memory-frontier.js';

/** Degrees a search must keep (as published for a reference run); the rest it chooses. */
export type LayoutConstraints = Partial<
  Pick<
    Layout,
    'tp' | 'pp' | 'dp' | 'ep' | 'etp' | 'cp' | 'zero' | 'microBatchSize' | 'recompute' | 'schedule' | 'virtualStages'
  >
> & {
  readonly unevenStages?: boolean;
  /** The schedules, recomputation modes and ZeRO stages the search may choose among (all when left out). */
  readonly schedules?: readonly Schedule[];
  readonly recomputes?: readonly Recompute[];
  readonly zeros?: readonly ZeroStage[];
  /** Whether context parallelism may be used (true when left out). */
  readonly contextParallel?: boolean;
  /**
   * The fixed knobs are a layout a run was published with (a reference run,
   * or a scenario's own layout with an [A] or [T] source): the run is
   * evidence that it fitted. When the memory model finds no reading of it
   * that fits, the search ranks the least memory-hungry readings instead of
   * none (see searchLayouts). False when left out: a layout nobody published
   * must fit by the model.
   */
  readonly published?: boolean;
};

export interface SearchResult {
  /** Layouts enumerated, valid or not. */
  readonly considered: number;
  /** Layouts that were valid and fit in memory. */
  readonly feasible: number;
  /** The fastest feasible layouts, fastest first. */
  readonly ranked: readonly StepEstimate[];
  /** When nothing fits: the valid layout that needs the least memory, to say by how much it misses. */
  readonly closest: StepEstimate | undefined;
  /**
   * Nothing fit by the memory model, but the constraints are a published
   * layout: `ranked` holds the layouts that need no more memory than its
   * least memory-hungry reading (their `memory.fits` stays false).
   */
  readonly takenAsPublished: boolean;
  /** For each knob the search chose, the fastest feasible layout with each value it took (`tp` 1, 2, 4…). */
  readonly bestByKnob: Readonly<Record<ChoiceKnob, ReadonlyMap<number | string, StepEstimate>>>;
  /**
   * The layouts within the memory model's known error of the device's memory (PUBLISHED_MEMORY_TOLERANCE)
   * that no other beats on both step time and memory, fastest first (memory-frontier.ts): the choices a
   * draw of the memory model's error picks among. Empty when the layout was taken as published.
   */
  readonly frontier: readonly FrontierLayout[];
}

/** The knobs whose choices a search result compares (the best layout against the best with another value). */
export const CHOICE_KNOBS = ['tp', 'pp', 'ep', 'cp', 'zero', 'schedule', 'recompute', 'microBatchSize'] as const;
export type ChoiceKnob = (typeof CHOICE_KNOBS)[number];

const MICRO_BATCH_SIZES = [1, 2, 4, 8, 16];
const ZERO_STAGES: readonly ZeroStage[] = [0, 1, 2, 3];

/**
 * Enumerate tensor, pipeline, context, data and expert parallel degrees,
 * ZeRO stage, micro-batch size, recomputation and schedule for a model on
 * N GPUs (as Calculon's `llm-optimal-execution` does), drop layouts that are
 * invalid or do not fit in memory, and rank the rest by step time; with
 * `frontier`, keep the memory frontier too (SearchResult.frontier), which
 * costs a step prediction of each layout just over the memory.
 */
export function searchLayouts(
  profile: ModelProfile,
  setup: TrainingSetup,
  rates: ChipRates,
  constraints: LayoutConstraints = {},
  keep = 5,
  frontier = true,
): SearchResult {
  const strict = rankLayouts(
    profile,
    setup,
    rates,
    constraints,
    keep,
    rates.memoryBytes,
    frontier ? rates.memoryBytes * PUBLISHED_MEMORY_TOLERANCE : 0,
  );
  // The fit rule. A layout fits when the memory model's total is within the device's memory: the
  // search stays conservative for every layout nobody published, as the model's error is not known
  // to be one-sided. A published layout is evidence that it fitted, so when no reading of it fits
  // (the model over-predicts it: `tradeoffs calibrate` lists by how much for every reference run),
  // its least memory-hungry readings are taken as fitting, and nothing that needs more: the knobs
  // the publication left out are still chosen conservatively. The check warns with the figures.
  if (strict.feasible > 0 || !constraints.published || !strict.closest) {
    const nearest = strict.feasible > 0 ? undefined : strict.closest;
    return {
      considered: strict.considered,
      feasible: strict.feasible,
      ranked: strict.ranked,
      closest: nearest && predictStep(profile, setup, nearest.layout, rates, nearest.memory),
      takenAsPublished: false,
      bestByKnob: strict.bestByKnob,
      frontier: strict.frontier,
    };
  }
  const taken = rankLayouts(profile, setup, rates, constraints, keep, strict.closest.memory.totalBytes, 0);
  return {
    considered: taken.considered,
    feasible: taken.feasible,
    ranked: taken.ranked,
    closest: undefined,
    takenAsPublished: true,
    bestByKnob: taken.bestByKnob,
    frontier: [],
  };
}

/**
 * How far over the device's memory the model may put a published layout and
 * still take it as fitting: the memory model's over-prediction on published
 * runs that state their recomputation is at most 1.145 (gpt-oss-120b on 64
 * H100 at micro-batch 4; Llama 3.1 405B at 8K without recomputation reads
 * 1.116: the largest ratios `tradeoffs calibrate` lists), so 1.25 leaves room
 * for runs not yet seen. Beyond it, a layout is more likely mistyped or edited than a
 * model error (a DeepSeek-V3 layout with pp 4 and no recomputation reads 2.4×):
 * `check` refuses such a scenario as any layout that does not fit. A reference
 * run is taken as published whatever the ratio (it is the memory model's
 * evidence, and calibrate lists it). [?] assumed from that evidence.
 */
export const PUBLISHED_MEMORY_TOLERANCE = 1.25;

/**
 * The valid layout within the constraints that needs the least memory per
 * GPU, fitting or not: what a published layout says at the least about the
 * memory model (a run that trained on it needed no more than the memory).
 */
export function leastMemoryReading(
  profile: ModelProfile,
  setup: TrainingSetup,
  rates: ChipRates,
  constraints: LayoutConstraints,
): {layout: Layout; memory: MemoryBreakdown} | undefined {
  return rankLayouts(profile, setup, rates, constraints, 1, Number.NEGATIVE_INFINITY, 0).closest;
}

/**
 * The layouts the constraints allow that are valid and need at most
 * `allowedBytes` per GPU, ranked by step time; the valid layout that
 * needs the least memory among those that need more; and, as frontier
 * candidates, every valid layout needing at most `frontierBytes` (0: none).
 */
function rankLayouts(
  profile: ModelProfile,
  setup: TrainingSetup,
  rates: ChipRates,
  constraints: LayoutConstraints,
  keep: number,
  allowedBytes: number,
  frontierBytes: number,
) {
  let considered = 0;
  let feasible = 0;
  const ranked: StepEstimate[] = [];
  // The memory frontier of the layouts within frontierBytes (memory-frontier.ts), built as they are found.
  const frontier: FrontierLayout[] = [];
  let closest: {layout: Layout; memory: MemoryBreakdown} | undefined;
  const bestByKnob = {} as Record<ChoiceKnob, Map<number | string, StepEstimate>>;
  for (const knob of CHOICE_KNOBS) bestByKnob[knob] = new Map();
  // The loops are written out here and in anyLayoutFits rather than shared through a callback per layout:
  // V8 compiled that as one large function, slowly and several times over, which cold builds paid for.
  for (const block of layoutBlocks(profile, setup, constraints, rates.domainGpus)) {
    const {tp, pp, dp, cp, experts, zeros, sizes, recomputes, schedules: ppSchedules, unevenStages} = block;
    for (const [ep, etp] of experts) {
      for (const zero of zeros) {
        for (const microBatchSize of sizes) {
          for (const recompute of recomputes) {
            for (const [schedule, virtualStages] of ppSchedules) {
              considered++;
              const layout: Layout = {
                tp,
                pp,
                dp,
                ep,
                etp,
                cp,
                zero,
                microBatchSize,
                recompute,
                schedule,
                virtualStages,
                unevenStages,
              };
              if (!isValidLayout(profile, setup, layout)) continue;
              // The fit first: a layout that does not fit needs no step prediction, only its memory.
              const memory = memoryPerGpu(profile, setup, layout, rates);
              if (memory.totalBytes > allowedBytes) {
                if (!closest || memory.totalBytes < closest.memory.totalBytes) closest = {layout, memory};
                if (memory.totalBytes <= frontierBytes) {
                  const {stepSeconds} = predictStep(profile, setup, layout, rates, memory);
                  addToFrontier(frontier, {layout, stepSeconds, memoryRatio: memory.totalBytes / rates.memoryBytes});
                }
                continue;
              }
              feasible++;
              const estimate = predictStep(profile, setup, layout, rates, memory);
              insertRanked(ranked, estimate, keep);
              if (frontierBytes > 0) {
                const {stepSeconds} = estimate;
                addToFrontier(frontier, {layout, stepSeconds, memoryRatio: memory.totalBytes / rates.memoryBytes});
              }
              for (const knob of CHOICE_KNOBS) {
                const best = bestByKnob[knob].get(layout[knob]);
                if (!best || stepOrder(estimate.stepSeconds) < stepOrder(best.stepSeconds))
                  bestByKnob[knob].set(layout[knob], estimate);
              }
            }
          }
        }
      }
    }
  }
  return {considered, feasible, ranked, closest, bestByKnob, frontier};
}

/**
 * Whether any layout the constraints allow is valid and fits in memory: what
 * `searchLayouts(...).ranked.length > 0` says, stopping at the first such
 * layout and predicting no step.
 */
export function anyLayoutFits(
  profile: ModelProfile,
  setup: TrainingSetup,
  rates: ChipRates,
  constraints: LayoutConstraints = {},
  mustFit = true,
): boolean {
  for (const {tp, pp, dp, cp, experts, zeros, sizes, recomputes, schedules: ppSchedules, unevenStages} of layoutBlocks(
    profile,
    setup,
    constraints,
    rates.domainGpus,
  )) {
    for (const [ep, etp] of experts) {
      for (const zero of zeros) {
        for (const microBatchSize of sizes) {
          for (const recompute of recomputes) {
            for (const [schedule, virtualStages] of ppSchedules) {
              const layout: Layout = {
                tp,
                pp,
                dp,
                ep,
                etp,
                cp,
                zero,
                microBatchSize,
                recompute,
                schedule,
                virtualStages,
                unevenStages,
              };
              if (
                isValidLayout(profile, setup, layout) &&
                (!mustFit || memoryPerGpu(profile, setup, layout, rates).fits)
              )
                return true;
            }
          }
        }
      }
    }
  }
  return false;
}

/**
 * When no layout the constraints allow is valid: the fixed knobs without
 * which one would be (each dropped alone), so a message can name the knob
 * that emptied the search. Empty when some layout is valid, or when no
 * single knob is to blame.
 */
export function knobsThatEmptySearch(
  profile: ModelProfile,
  setup: TrainingSetup,
  rates: ChipRates,
  constraints: LayoutConstraints,
): Array<keyof LayoutConstraints> {
  if (anyLayoutFits(profile, setup, rates, constraints, false)) return [];
  // The most specific knobs first: a message points at the first culprit.
  const order: Array<keyof LayoutConstraints> = [
    'virtualStages',
    'microBatchSize',
    'schedule',
    'recompute',
    'zero',
    'cp',
    'etp',
    'ep',
    'dp',
    'pp',
    'tp',
  ];
  const fixed = order.filter((key) => constraints[key] !== undefined);
  return fixed.filter((key) => {
    const rest: Record<string, unknown> = {...constraints};
    delete rest[key];
    return anyLayoutFits(profile, setup, rates, rest as LayoutConstraints, false);
  });
}

/** The layouts of a search, by their outer degrees: every combination of the lists of one block is a layout, in the search's order. */
interface LayoutBlock {
  readonly tp: number;
  readonly pp: number;
  readonly dp: number;
  readonly cp: number;
  /** The expert layouts: [ep, etp] pairs. */
  readonly experts: ReadonlyArray<readonly [number, number]>;
  readonly zeros: readonly ZeroStage[];
  readonly sizes: readonly number[];
  readonly recomputes: readonly Recompute[];
  readonly schedules: ReadonlyArray<[Schedule, number]>;
  readonly unevenStages: boolean;
}

/**
 * The layouts the constraints allow, in the search's order, as blocks of
 * (tp, cp, pp, dp) with the lists of the inner knobs; options are computed
 * only for the knobs the constraints leave free (a fixed knob is its one value).
 */
function layoutBlocks(
  profile: ModelProfile,
  setup: TrainingSetup,
  constraints: LayoutConstraints,
  domainGpus: number,
): LayoutBlock[] {
  const blocks: LayoutBlock[] = [];
  const uneven = constraints.unevenStages ?? false;
  const pick = <T>(fixed: T | undefined, options: () => readonly T[]): readonly T[] =>
    fixed === undefined ? options() : [fixed];
  const tps = pick(constraints.tp, () =>
    divisors(profile.heads).filter((tp) => tp <= domainGpus && setup.gpus % tp === 0),
  );
  const cps = pick(constraints.cp, () =>
    setup.seqLen >= 32_768 && constraints.contextParallel !== false
      ? [1, 2, 4, 8, 16, 32].filter((cp) => setup.seqLen % cp === 0)
      : [1],
  );
  const recomputes = pick<Recompute>(constraints.recompute, () => constraints.recomputes ?? RECOMPUTE_POLICIES);
  const sequences = setup.globalBatchTokens / setup.seqLen;
  for (const tp of tps) {
    for (const cp of cps) {
      const rest = setup.gpus / (tp * cp);
      if (!Number.isInteger(rest)) continue;
      const pps = pick(constraints.pp, () =>
        divisors(rest).filter((pp) => pp <= profile.layers && (uneven || profile.layers % pp === 0)),
      );
      for (const pp of pps) {
        const dp = constraints.dp ?? rest / pp;
        if (!Number.isInteger(dp) || tp * pp * dp * cp !== setup.gpus) continue;
        blocks.push({
          tp,
          pp,
          dp,
          cp,
          experts: expertLayouts(profile, tp * dp * cp, tp, constraints),
          // Every ZeRO stage, pipelined or not: Megatron's distributed optimizer and FSDP both combine with PP (Llama 3 Herd §3.3.2).
          zeros: pick(constraints.zero, () => constraints.zeros ?? ZERO_STAGES),
          sizes: pick(constraints.microBatchSize, () =>
            MICRO_BATCH_SIZES.filter((size) => (sequences / dp) % size === 0),
          ),
          recomputes,
          schedules: schedules(pp, profile.layers, uneven, constraints),
          unevenStages: uneven,
        });
      }
    }
  }
  return blocks;
}

/**
 * The expert layouts a stage of `stageGpus` GPUs may take, as [ep, etp]:
 * whole experts on each GPU (etp 1, Megatron-Bridge's MoE recipes) or
 * experts split like the rest of the layer (etp = tp, Megatron-Core's
 * default), with every ep dividing the experts and the GPUs the refold
 * leaves (tp·dp·cp / etp). A fixed ep or etp is kept as given, for the
 * validation to judge. A dense model has none: [1, tp].
 */
function expertLayouts(
  profile: ModelProfile,
  stageGpus: number,
  tp: number,
  constraints: LayoutConstraints,
): Array<readonly [number, number]> {
  if (profile.experts === 0) return [[constraints.ep ?? 1, constraints.etp ?? tp]];
  const etps = constraints.etp !== undefined ? [constraints.etp] : tp > 1 ? [tp, 1] : [1];
  const layouts: Array<readonly [number, number]> = [];
  for (const etp of etps) {
    const eps =
      constraints.ep !== undefined
        ? [constraints.ep]
        : Number.isInteger(stageGpus / etp)
          ? divisors(stageGpus / etp).filter((ep) => profile.experts % ep === 0)
          : [];
    for (const ep of eps) layouts.push([ep, etp]);
  }
  return layouts;
}

/**
 * The schedules (with their chunks per stage) a pipeline of `pp` stages may
 * run: 1F1B, zero-bubble, DualPipe, and interleaved with any number of
 * chunks above 1 that divides the layers per stage (the largest stage's,
 * with uneven stages) and leaves every chunk a layer (Narayanan et al. 2021
 * §2.2.2). A fixed number of chunks is kept as given, for the validation
 * to judge.
 */
function schedules(
  pp: number,
  layers: number,
  uneven: boolean,
  constraints: LayoutConstraints,
): Array<[Schedule, number]> {
  if (pp === 1) return [['1f1b', 1]];
  // (One stage runs no pipeline schedule: 1F1B there stands for none, whatever the run's date.)
  const all: Array<[Schedule, number]> = [
    ['1f1b', 1],
    ['zero-bubble', 1],
    ['dualpipe', 1],
  ];
  if (constraints.virtualStages !== undefined && constraints.virtualStages > 1) {
    all.push(['interleaved', constraints.virtualStages]);
  } else {
    const perStage = uneven ? Math.ceil(layers / pp) : layers / pp;
    if (Number.isInteger(perStage))
      for (const v of divisors(perStage)) if (v > 1 && pp * v <= layers) all.push(['interleaved', v]);
  }
  return all.filter(
    ([schedule, v]) =>
      (constraints.schedule === undefined || constraints.schedule === schedule) &&
      (constraints.schedule !== undefined || !constraints.schedules || constraints.schedules.includes(schedule)) &&
      (constraints.virtualStages === undefined || constraints.virtualStages === v),
  );
}

/** Keep the `keep` fastest estimates, sorted by stepOrder; ties go to the layout found first (the enumeration is deterministic). */
function insertRanked(ranked: StepEstimate[], estimate: StepEstimate, keep: number): void {
  const order = stepOrder(estimate.stepSeconds);
  if (ranked.length === keep && order >= stepOrder((ranked.at(-1) as StepEstimate).stepSeconds)) return;
  let index = ranked.findIndex((other) => order < stepOrder(other.stepSeconds));
  if (index === -1) index = ranked.length;
  ranked.splice(index, 0, estimate);
  if (ranked.length > keep) ranked.pop();
}
