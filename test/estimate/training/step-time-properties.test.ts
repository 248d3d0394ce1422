import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseHardwareRecord, type Hardware} from '../../../src/data/schemas/hardware.js';
import {modelSchema, type Model} from '../../../src/data/schemas/model.js';
import {chipRates, type ChipRates} from '../../../src/estimate/chip-rates.js';
import {divisors, gcd} from '../../../src/estimate/divisors.js';
import {
  microBatches,
  RECOMPUTE_POLICIES,
  SCHEDULES,
  validateLayout,
  type Layout,
  type Recompute,
  type Schedule,
  type TrainingSetup,
  type ZeroStage,
} from '../../../src/estimate/training/layout.js';
import {inFlightOnRank, memoryPerGpu} from '../../../src/estimate/training/memory.js';
import {profileModel, type ModelProfile} from '../../../src/estimate/model-profile.js';
import {searchLayouts} from '../../../src/estimate/training/search.js';
import {
  busiestStage,
  computeTimes,
  dataParallelGroups,
  dataParallelMicroBatchSeconds,
  pipelineStages,
  predictStep,
  stepExchangeSeconds,
  zero3GatherSeconds,
  type StepEstimate,
} from '../../../src/estimate/training/step-time.js';
import {reduceScatterSeconds} from '../../../src/estimate/collectives.js';
import {layoutOf, setupOf} from '../../helpers/training-fixtures.js';
import {stepOrder} from '../../../src/estimate/training/step-order.js';

/**
 * Property-based tests of the training step-time model (src/estimate/):
 * invariants any physically sensible model of a training step must keep.
 * Models and chips are arbitrary but valid (raw records parsed through the
 * zod schemas, so defaults apply); layouts are built valid by construction
 * (tp dividing the heads, pp fitting the layers, dp = gpus / (tp·pp·cp), ep
 * dividing gcd(experts, dp), whole micro-batches as each schedule needs)
 * and checked with `validateLayout` before use.
 */

const RUNS = {numRuns: 100};
/**
 * Floating point slack for comparisons that hold exactly in real arithmetic: a step sums some hundred
 * rounded terms, and fast-check finds orderings off by about 1e-12 where two regimes meet (compute-bound
 * turning link-bound). The model's real slips found here were far larger (a TP window counting the
 * head's recompute, 9e-9; DualPipe stages unpaired, 1e-3; TP and EP hiding behind one window, 1e-7).
 */
const ULP_SLACK = 1e-10;

// ---------------------------------------------------------------------------
// Arbitraries: models

const gqaArbitrary = fc
  .record({
    kvHeads: fc.constantFrom(1, 2, 4, 8, 16),
    groupSize: fc.constantFrom(1, 2, 3, 4, 8),
    headDim: fc.constantFrom(32, 64, 96, 128, 256),
  })
  .map(({kvHeads, groupSize, headDim}) => ({
    kind: 'gqa' as const,
    heads: kvHeads * groupSize,
    kv_heads: kvHeads,
    head_dim: headDim,
  }));

const mlaArbitrary = fc.record(
  {
    kind: fc.constant('mla' as const),
    heads: fc.constantFrom(8, 16, 32, 64, 128),
    q_lora_rank: fc.integer({min: 64, max: 2048}),
    kv_lora_rank: fc.integer({min: 64, max: 1024}),
    qk_nope_head_dim: fc.constantFrom(64, 128),
    qk_rope_head_dim: fc.constantFrom(32, 64),
    v_head_dim: fc.constantFrom(64, 128),
  },
  {requiredKeys: ['kind', 'heads', 'kv_lora_rank', 'qk_nope_head_dim', 'qk_rope_head_dim', 'v_head_dim']},
);

const otherAttentionArbitrary = fc.record({
  kind: fc.constantFrom('mha' as const, 'mqa' as const),
  heads: fc.constantFrom(4, 8, 12, 16, 32, 64),
  head_dim: fc.constantFrom(64, 128),
});

/** gqa and mla most of the time, mha and mqa now and then. */
const attentionArbitrary = fc.oneof(
  {arbitrary: gqaArbitrary, weight: 3},
  {arbitrary: mlaArbitrary, weight: 3},
  {arbitrary: otherAttentionArbitrary, weight: 1},
);

const denseFfnArbitrary = fc.record(
  {kind: fc.constant('dense' as const), d_ff: fc.integer({min: 64, max: 65_536}), gated: fc.boolean()},
  {requiredKeys: ['kind', 'd_ff']},
);

const moeFfnArbitrary = (layers: number) =>
  fc
    .record({
      experts: fc.integer({min: 1, max: 256}),
      active: fc.integer({min: 1, max: 16}),
      denseLayers: fc.integer({min: 0, max: Math.min(3, layers)}),
      denseDff: fc.integer({min: 64, max: 32_768}),
      shared: fc.integer({min: 0, max: 2}),
      expertDff: fc.integer({min: 64, max: 8192}),
      gated: fc.boolean(),
      maxNodes: fc.option(fc.integer({min: 1, max: 8}), {nil: undefined}),
    })
    .map(({experts, active, denseLayers, denseDff, shared, expertDff, gated, maxNodes}) => ({
      kind: 'moe' as const,
      experts,
      active: Math.min(active, experts),
      ...(denseLayers > 0 ? {dense_layers: denseLayers, dense_d_ff: denseDff} : {}),
      shared,
      expert_d_ff: expertDff,
      gated,
      ...(maxNodes === undefined ? {} : {max_nodes_per_token: maxNodes}),
    }));

type FfnKind = 'dense' | 'moe' | 'any';

const modelArbitrary = (ffnKind: FfnKind = 'any'): fc.Arbitrary<Model> =>
  fc
    .integer({min: 1, max: 96})
    .chain((layers) =>
      fc.record({
        id: fc.constant('generated-model'),
        name: fc.constant('Generated model'),
        layers: fc.constant(layers),
        d_model: fc.integer({min: 64, max: 16_384}),
        vocab: fc.integer({min: 1000, max: 262_144}),
        tied_embeddings: fc.boolean(),
        attention: attentionArbitrary,
        ffn:
          ffnKind === 'dense'
            ? denseFfnArbitrary
            : ffnKind === 'moe'
              ? moeFfnArbitrary(layers)
              : fc.oneof(denseFfnArbitrary, moeFfnArbitrary(layers)),
        declared: fc.constant({params_total: 1e9, source: 'generated'}),
        source: fc.constant('generated'),
      }),
    )
    .map((raw) => modelSchema.parse(raw));

// ---------------------------------------------------------------------------
// Arbitraries: hardware

const fractionOfPeak = fc.option(fc.double({min: 0.3, max: 1, noNaN: true}), {nil: undefined});
const linkFraction = fc.option(fc.double({min: 0.3, max: 1, noNaN: true}), {nil: undefined});

/** A chip with physically ordered rates: FP16 as fast as BF16, FP8 up to twice as fast; achievable rates at most the peak. */
const hardwareArbitrary: fc.Arbitrary<Hardware> = fc
  .record({
    bf16: fc.double({min: 50, max: 5000, noNaN: true}),
    hasFp16: fc.boolean(),
    fp8Speedup: fc.option(fc.constantFrom(1, 2), {nil: undefined}),
    achievableBf16: fractionOfPeak,
    achievableFp16: fractionOfPeak,
    achievableFp8: fractionOfPeak,
    capacityGb: fc.double({min: 16, max: 288, noNaN: true}),
    hbmTbPerS: fc.double({min: 0.5, max: 10, noNaN: true}),
    scaleUpGbPerS: fc.double({min: 25, max: 1800, noNaN: true}),
    domainGpus: fc.constantFrom(1, 2, 4, 8, 16, 72),
    scaleUpFraction: linkFraction,
    scaleOutGbPerS: fc.double({min: 5, max: 100, noNaN: true}),
    scaleOutFraction: linkFraction,
  })
  .map((chip) => {
    const fp16 = chip.hasFp16 ? chip.bf16 : undefined;
    const fp8 = chip.fp8Speedup === undefined ? undefined : chip.bf16 * chip.fp8Speedup;
    const achievable = {
      ...(chip.achievableBf16 === undefined ? {} : {bf16: chip.bf16 * chip.achievableBf16}),
      ...(fp16 === undefined || chip.achievableFp16 === undefined ? {} : {fp16: fp16 * chip.achievableFp16}),
      ...(fp8 === undefined || chip.achievableFp8 === undefined ? {} : {fp8: fp8 * chip.achievableFp8}),
    };
    return parseHardwareRecord({
      id: 'generated-gpu',
      name: 'Generated GPU',
      vendor: 'Nobody',
      peak_tflops: {
        bf16: chip.bf16,
        ...(fp16 === undefined ? {} : {fp16}),
        ...(fp8 === undefined ? {} : {fp8}),
        source: 'generated',
      },
      ...(Object.keys(achievable).length > 0 ? {achievable_tflops: {...achievable, source: 'generated'}} : {}),
      memory: {capacity_gb: chip.capacityGb, bandwidth_tb_per_s: chip.hbmTbPerS, source: 'generated'},
      scale_up: {
        bandwidth_gb_per_s: chip.scaleUpGbPerS,
        domain_gpus: chip.domainGpus,
        ...(chip.scaleUpFraction === undefined ? {} : {achievable_fraction: chip.scaleUpFraction}),
        source: 'generated',
      },
      scale_out: {
        bandwidth_gb_per_s: chip.scaleOutGbPerS,
        ...(chip.scaleOutFraction === undefined ? {} : {achievable_fraction: chip.scaleOutFraction}),
        source: 'generated',
      },
      power: {tdp_w: 700, source: 'generated'},
    });
  });

// ---------------------------------------------------------------------------
// Arbitraries: a model, a chip, a setup and a valid layout

interface Scenario {
  readonly model: Model;
  readonly profile: ModelProfile;
  readonly rates: ChipRates;
  readonly setup: TrainingSetup;
  readonly layout: Layout;
}

interface ScenarioOptions {
  readonly ffn?: FfnKind;
  readonly schedule?: Schedule;
}

const knobsArbitrary = fc.record({
  tpPick: fc.nat(),
  ppPick: fc.nat(),
  dp: fc.integer({min: 1, max: 8}),
  cp: fc.constantFrom(1, 1, 2, 4),
  epPick: fc.nat(),
  zero: fc.constantFrom<ZeroStage>(0, 1, 2, 3),
  microBatchSize: fc.constantFrom(1, 2, 4, 8),
  recompute: fc.constantFrom<Recompute>(...RECOMPUTE_POLICIES),
  schedule: fc.constantFrom<Schedule>(...SCHEDULES),
  virtualStages: fc.constantFrom(2, 3, 4),
  unevenStages: fc.boolean(),
  wholeExperts: fc.boolean(),
  microBatchUnits: fc.integer({min: 1, max: 8}),
  seqLen: fc.constantFrom(512, 1024, 2048, 4096, 8192, 32_768),
  gemmPrecision: fc.constantFrom<TrainingSetup['gemmPrecision']>('bf16', 'fp16', 'fp8'),
  flashAttention: fc.boolean(),
  sequenceParallel: fc.boolean(),
  momentBytes: fc.constantFrom<2 | 4>(2, 4),
  overlapDataParallel: fc.boolean(),
  overlapTensorParallel: fc.boolean(),
  overlapContextParallel: fc.boolean(),
});

type Knobs = typeof knobsArbitrary extends fc.Arbitrary<infer T> ? T : never;

const pickFrom = <T>(values: readonly T[], pick: number): T => values[pick % values.length] as T;

/** Build a valid layout from the drawn knobs: every degree chosen among the values that divide what it splits. */
function buildScenario(model: Model, hardware: Hardware, knobs: Knobs, options: ScenarioOptions): Scenario {
  const profile = profileModel(model);
  const tp = pickFrom(divisors(profile.heads), knobs.tpPick);
  let schedule = options.schedule ?? knobs.schedule;
  const stagesFor = (candidate: Schedule, v: number) =>
    Array.from({length: Math.min(profile.layers, 32)}, (_, index) => index + 1).filter(
      (pp) =>
        (knobs.unevenStages ? pp * v <= profile.layers : profile.layers % (pp * v) === 0) &&
        (candidate !== 'dualpipe' || pp % 2 === 0),
    );
  let virtualStages = schedule === 'interleaved' ? knobs.virtualStages : 1;
  let stages = stagesFor(schedule, virtualStages);
  if (stages.length === 0 && schedule === 'interleaved') {
    virtualStages = 2;
    stages = stagesFor(schedule, virtualStages);
  }
  if (stages.length === 0) {
    // DualPipe on a one-layer model, or interleaving a model too shallow to chunk: fall back to 1F1B.
    schedule = '1f1b';
    virtualStages = 1;
    stages = stagesFor(schedule, 1);
  }
  const pp = pickFrom(stages, knobs.ppPick);
  const {dp, cp} = knobs;
  // Whole experts on each GPU (etp 1) or split like the layer (etp = tp); either way ep divides dp.
  const etp = profile.experts > 0 && knobs.wholeExperts ? 1 : tp;
  const ep = profile.experts > 0 ? pickFrom(divisors(gcd(profile.experts, dp)), knobs.epPick) : 1;
  const m =
    schedule === 'dualpipe'
      ? 2 * pp * knobs.microBatchUnits
      : schedule === 'interleaved'
        ? pp * knobs.microBatchUnits
        : knobs.microBatchUnits;
  const setup: TrainingSetup = {
    gpus: tp * pp * dp * cp,
    seqLen: knobs.seqLen,
    globalBatchTokens: m * dp * knobs.microBatchSize * knobs.seqLen,
    gemmPrecision: knobs.gemmPrecision,
    flashAttention: knobs.flashAttention,
    sequenceParallel: knobs.sequenceParallel,
    momentBytes: knobs.momentBytes,
    overlapDataParallel: knobs.overlapDataParallel,
    overlapTensorParallel: knobs.overlapTensorParallel,
    overlapContextParallel: knobs.overlapContextParallel,
    goodput: 1,
  };
  const layout: Layout = {
    tp,
    pp,
    dp,
    ep,
    etp,
    cp,
    zero: knobs.zero,
    microBatchSize: knobs.microBatchSize,
    recompute: knobs.recompute,
    schedule,
    virtualStages,
    unevenStages: knobs.unevenStages,
  };
  const problems = validateLayout(profile, setup, layout);
  if (problems.length > 0)
    throw new Error(`the generator built an invalid layout ${JSON.stringify(layout)}: ${JSON.stringify(problems)}`);
  return {model, profile, rates: chipRates(hardware), setup, layout};
}

const scenarioArbitrary = (options: ScenarioOptions = {}): fc.Arbitrary<Scenario> =>
  fc
    .record({model: modelArbitrary(options.ffn), hardware: hardwareArbitrary, knobs: knobsArbitrary})
    .map(({model, hardware, knobs}) => buildScenario(model, hardware, knobs, options));

/** A factor above 1 by which to speed something up (not shrunk, so a failure reports the factor that showed it). */
const speedup = fc.noShrink(fc.double({min: 1, max: 16, noNaN: true}));

// ---------------------------------------------------------------------------
// Counterexamples these properties found, kept as fixed examples so that each
// failure reproduces on every run rather than on the seeds that reach it.

const smallChip = parseHardwareRecord({
  id: 'small-gpu',
  name: 'Small GPU',
  vendor: 'Nobody',
  peak_tflops: {bf16: 50, source: 'example'},
  memory: {capacity_gb: 16, bandwidth_tb_per_s: 0.5, source: 'example'},
  scale_up: {bandwidth_gb_per_s: 25, domain_gpus: 1, source: 'example'},
  scale_out: {bandwidth_gb_per_s: 5, source: 'example'},
  power: {tdp_w: 700, source: 'example'},
});

/** A tiny model (d_model 64, one attention head), so that communication and overheads dominate its steps. */
const tinyModel = (layers: number, overrides: Record<string, unknown> = {}): Model =>
  modelSchema.parse({
    id: 'tiny-model',
    name: 'Tiny model',
    layers,
    d_model: 64,
    vocab: 1000,
    attention: {kind: 'gqa', heads: 1, kv_heads: 1, head_dim: 32},
    ffn: {kind: 'dense', d_ff: 64, gated: false},
    declared: {params_total: 1e6, source: 'example'},
    source: 'example',
    ...overrides,
  });

const exampleSetup = (
  gpus: number,
  globalBatchTokens: number,
  overlapDataParallel: boolean,
  flashAttention = false,
): TrainingSetup => ({
  gpus,
  seqLen: 512,
  globalBatchTokens,
  gemmPrecision: 'bf16',
  flashAttention,
  sequenceParallel: false,
  momentBytes: 2,
  overlapDataParallel,
  goodput: 1,
});

const exampleLayout = (overrides: Partial<Layout>): Layout => layoutOf({dp: 1, ...overrides});

function exampleScenario(model: Model, setup: TrainingSetup, layout: Layout): Scenario {
  const profile = profileModel(model);
  const problems = validateLayout(profile, setup, layout);
  if (problems.length > 0) throw new Error(`invalid example layout: ${JSON.stringify(problems)}`);
  return {model, profile, rates: chipRates(smallChip), setup, layout};
}

const mlaTiny = {kind: 'mla', heads: 8, kv_lora_rank: 64, qk_nope_head_dim: 64, qk_rope_head_dim: 32, v_head_dim: 64};
const counterexamples = {
  /** ZeRO-3, 2 GPUs: the weight gathers outlast compute, so faster compute saves nothing, but it shortens the window the gradient exchange hides in (+3.6% at 2×). */
  matmulZero3: exampleScenario(tinyModel(1), exampleSetup(2, 1024, true), exampleLayout({dp: 2, zero: 3})),
  /** Zero-bubble, pp 5, one micro-batch: the bubble scales the whole micro-batch (transfers included) by (F+B−2W)/(F+B), which grows as W shrinks (+0.5% at 2×). */
  matmulZeroBubble: exampleScenario(
    tinyModel(5),
    exampleSetup(5, 512, false),
    exampleLayout({pp: 5, schedule: 'zero-bubble'}),
  ),
  /** DualPipe, pp 22, cp 2 (44 micro-batches, 2·pp as DualPipe needs): the same with (F+2B−3W)/(F+B) over a micro-batch dominated by context-parallel exchange (+0.3% at 2×). */
  matmulDualPipe: exampleScenario(
    tinyModel(22),
    exampleSetup(44, 22 * 1024, false),
    exampleLayout({pp: 22, cp: 2, schedule: 'dualpipe'}),
  ),
  /** ZeRO-3 with cp 4: faster memory-bound kernels shorten compute, which the weight gathers already outlast, and the DP overlap window with it (+3.3% at 2×). */
  hbmZero3: exampleScenario(
    tinyModel(1, {attention: mlaTiny, ffn: {kind: 'dense', d_ff: 64, gated: true}}),
    exampleSetup(4, 512, true),
    exampleLayout({cp: 4, zero: 3}),
  ),
  /** DualPipe with ep 2: EP all-to-all then outlasts compute, so the micro-batch does not shorten, but the DP overlap window does (+2.9% at 2×). */
  hbmDualPipeExperts: exampleScenario(
    tinyModel(90, {ffn: {kind: 'moe', experts: 4, active: 1, expert_d_ff: 64, gated: false}}),
    exampleSetup(16, 4096, true),
    exampleLayout({pp: 2, dp: 2, ep: 2, cp: 4, schedule: 'dualpipe'}),
  ),
  /**
   * Overlapped TP with full recomputation: the TP window counted the head's forward as recomputed, which
   * recomputation never redoes, so a faster matmul shrank the window more than the step's compute (+9e-9).
   */
  matmulOverlappedTpFullRecompute: exampleScenario(
    tinyModel(1, {
      vocab: 3126,
      attention: {kind: 'gqa', heads: 8, kv_heads: 1, head_dim: 32},
      ffn: {kind: 'moe', experts: 1, active: 1, expert_d_ff: 64, gated: false},
    }),
    {...exampleSetup(2, 32768, false), seqLen: 32768, overlapTensorParallel: true},
    exampleLayout({tp: 2, recompute: 'full'}),
  ),
  /** 256 experts and dp 3: ep 257 is rejected with "such as 2", but 2 does not divide dp 3 (only 1 does). */
  expertsOverDp3: exampleScenario(
    tinyModel(1, {ffn: {kind: 'moe', experts: 256, active: 1, expert_d_ff: 64, gated: false}}),
    exampleSetup(3, 1536, false),
    exampleLayout({dp: 3}),
  ),
};

// ---------------------------------------------------------------------------
// Helpers

const predict = ({profile, setup, layout, rates}: Scenario): StepEstimate => predictStep(profile, setup, layout, rates);

function expectAtMost(actual: number, bound: number, what: string): void {
  expect(actual, `${what}: ${actual} should be <= ${bound}`).toBeLessThanOrEqual(bound * (1 + ULP_SLACK));
}

/** The matmul rate the step model uses for a setup: the chip's achievable rate in the GEMM precision, BF16 when it has none. */
function gemmRateOf(rates: ChipRates, setup: TrainingSetup): number {
  return rates.gemmFlopsPerSecond[setup.gemmPrecision] ?? (rates.gemmFlopsPerSecond.bf16 as number);
}

/** The step with the faster chip takes no longer than with the slower one; on failure, say which parts of the step grew. */
function expectNotSlower(faster: StepEstimate, slower: StepEstimate, what: string): void {
  const changed = Object.entries(slower.breakdown)
    .filter(([part, seconds]) => faster.breakdown[part as keyof typeof faster.breakdown] !== seconds)
    .map(
      ([part, seconds]) =>
        `${part} ${seconds.toPrecision(6)} → ${faster.breakdown[part as keyof typeof faster.breakdown].toPrecision(6)}`,
    );
  expectAtMost(
    faster.stepSeconds,
    slower.stepSeconds,
    `${what}, step ${slower.stepSeconds.toPrecision(6)} s → ${faster.stepSeconds.toPrecision(6)} s (${changed.join('; ')})`,
  );
}

const bubbleFraction = (estimate: StepEstimate) => estimate.breakdown.pipelineBubbleSeconds / estimate.stepSeconds;

// ---------------------------------------------------------------------------
// Properties

describe('predictStep: properties', () => {
  describe('more bandwidth never slows a step', () => {
    const links = ['scaleUpBytesPerSecond', 'scaleOutBytesPerSecond', 'hbmBytesPerSecond'] as const;
    const examples: Record<(typeof links)[number], Array<[Scenario, number]>> = {
      scaleUpBytesPerSecond: [],
      scaleOutBytesPerSecond: [],
      hbmBytesPerSecond: [
        [counterexamples.hbmZero3, 2],
        [counterexamples.hbmDualPipeExperts, 2],
      ],
    };
    it.each(links)('raising %s never raises stepSeconds', (link) => {
      fc.assert(
        fc.property(scenarioArbitrary(), speedup, (scenario, factor) => {
          const faster = {...scenario, rates: {...scenario.rates, [link]: scenario.rates[link] * factor}};
          expectNotSlower(predict(faster), predict(scenario), `${link} × ${factor}`);
        }),
        {...RUNS, examples: examples[link]},
      );
    });
  });

  it('a faster matmul rate never slows a step', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), speedup, (scenario, factor) => {
        const gemm = Object.fromEntries(
          Object.entries(scenario.rates.gemmFlopsPerSecond).map(([precision, rate]) => [
            precision,
            rate === undefined ? undefined : rate * factor,
          ]),
        );
        const faster = {...scenario, rates: {...scenario.rates, gemmFlopsPerSecond: gemm}};
        expectNotSlower(predict(faster), predict(scenario), `matmul rate × ${factor}`);
      }),
      {
        ...RUNS,
        examples: [
          [counterexamples.matmulZero3, 2],
          [counterexamples.matmulZeroBubble, 2],
          [counterexamples.matmulDualPipe, 2],
          [counterexamples.matmulOverlappedTpFullRecompute, 1.7106936850371386],
        ],
      },
    );
  });

  it.each(SCHEDULES)(
    'more micro-batches (a larger global batch, same layout) never raise the bubble fraction (%s)',
    (schedule) => {
      fc.assert(
        fc.property(scenarioArbitrary({schedule}), fc.integer({min: 2, max: 8}), (scenario, factor) => {
          // Multiplying the micro-batch count keeps it even (DualPipe) and a multiple of pp (interleaved).
          const larger = {
            ...scenario,
            setup: {...scenario.setup, globalBatchTokens: scenario.setup.globalBatchTokens * factor},
          };
          expect(validateLayout(larger.profile, larger.setup, larger.layout)).toEqual([]);
          expect(microBatches(larger.setup, larger.layout)).toBe(
            microBatches(scenario.setup, scenario.layout) * factor,
          );
          expectAtMost(
            bubbleFraction(predict(larger)),
            bubbleFraction(predict(scenario)),
            `bubble fraction with ${factor}× the micro-batches`,
          );
        }),
        RUNS,
      );
    },
  );

  it('memory per GPU grows with micro-batch size at a fixed number of micro-batches, activations strictly', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), ({profile, setup, layout, rates}) => {
        // Double the micro-batch and the global batch: the same micro-batches, each twice the tokens.
        const largerLayout = {...layout, microBatchSize: layout.microBatchSize * 2};
        const largerSetup = {...setup, globalBatchTokens: setup.globalBatchTokens * 2};
        expect(validateLayout(profile, largerSetup, largerLayout)).toEqual([]);
        expect(memoryPerGpu(profile, largerSetup, largerLayout, rates).totalBytes).toBeGreaterThan(
          memoryPerGpu(profile, setup, layout, rates).totalBytes,
        );
        // On every pipeline rank (the busiest may change): only activations and logits depend on the micro-batch.
        for (let rank = 0; rank < layout.pp; rank++) {
          const small = memoryPerGpu(profile, setup, layout, rates, rank);
          const large = memoryPerGpu(profile, largerSetup, largerLayout, rates, rank);
          expect(large.activationsBytes).toBeGreaterThan(small.activationsBytes);
          expect(large.totalBytes).toBeGreaterThan(small.totalBytes);
          expect(large.weightsBytes).toBe(small.weightsBytes);
          expect(large.gradientsBytes).toBe(small.gradientsBytes);
          expect(large.optimizerBytes).toBe(small.optimizerBytes);
        }
      }),
      RUNS,
    );
  });

  it('memory per GPU grows with micro-batch size at a fixed global batch; activations strictly when the schedule caps the in-flight micro-batches or with full recompute', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), ({profile, setup, layout, rates}) => {
        // Double the micro-batch, halve the number of micro-batches.
        const largerLayout = {...layout, microBatchSize: layout.microBatchSize * 2};
        fc.pre(validateLayout(profile, setup, largerLayout).length === 0);
        expect(memoryPerGpu(profile, setup, largerLayout, rates).totalBytes).toBeGreaterThanOrEqual(
          memoryPerGpu(profile, setup, layout, rates).totalBytes,
        );
        // Rank r holds min(m, cap_r) micro-batches: doubling their size at m/2 of them only adds memory when m was above the cap.
        for (let rank = 0; rank < layout.pp; rank++) {
          const small = memoryPerGpu(profile, setup, layout, rates, rank);
          const large = memoryPerGpu(profile, setup, largerLayout, rates, rank);
          expect(large.totalBytes).toBeGreaterThanOrEqual(small.totalBytes);
          expect(large.activationsBytes).toBeGreaterThanOrEqual(small.activationsBytes * (1 - ULP_SLACK));
          if (microBatches(setup, layout) > inFlightOnRank(layout, rank) || layout.recompute === 'full') {
            expect(large.activationsBytes).toBeGreaterThan(small.activationsBytes);
          }
        }
      }),
      RUNS,
    );
  });

  it('MFU never exceeds the achievable matmul rate (in the GEMM precision) over the BF16 peak', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (scenario) => {
        const {rates, setup} = scenario;
        // Every FLOP MFU counts runs at the GEMM rate or (attention) at the attention rate, and the step lasts at least that long.
        const bound = Math.max(gemmRateOf(rates, setup), rates.attentionFlopsPerSecond) / rates.peakBf16FlopsPerSecond;
        const estimate = predict(scenario);
        expectAtMost(estimate.mfu, bound, 'mfu');
        // Nor can it beat the peak of the GEMM precision (taking FP8's when training in FP8).
        expect(gemmRateOf(rates, setup)).toBeLessThanOrEqual(
          rates.peakBf16FlopsPerSecond * (setup.gemmPrecision === 'fp8' ? 2 : 1) * (1 + ULP_SLACK),
        );
      }),
      RUNS,
    );
  });

  it("the breakdown's parts are all >= 0 and sum to stepSeconds", () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (scenario) => {
        const estimate = predict(scenario);
        const parts = Object.entries(estimate.breakdown);
        for (const [part, seconds] of parts) {
          expect(Number.isFinite(seconds), part).toBe(true);
          expect(seconds, part).toBeGreaterThanOrEqual(0);
        }
        const sum = parts.reduce((total, [, seconds]) => total + seconds, 0);
        expect(estimate.stepSeconds).toBeGreaterThan(0);
        expect(Math.abs(sum - estimate.stepSeconds) / estimate.stepSeconds).toBeLessThanOrEqual(1e-9);
      }),
      RUNS,
    );
  });

  it('a model without routed experts never waits for the host: its steps are never host-bound', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ffn: 'dense'}), (scenario) => {
        expect(predict(scenario).hostBound).toBe(false);
      }),
      RUNS,
    );
  });

  it('HFU >= MFU, and full recompute gives a higher HFU/MFU ratio than none', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (scenario) => {
        const ratio: Partial<Record<Recompute, number>> = {};
        for (const recompute of RECOMPUTE_POLICIES) {
          const estimate = predict({...scenario, layout: {...scenario.layout, recompute}});
          expect(estimate.hfu, `hfu with recompute ${recompute}`).toBeGreaterThanOrEqual(estimate.mfu);
          ratio[recompute] = estimate.hfu / estimate.mfu;
        }
        expect(ratio.full).toBeGreaterThan(ratio.none as number);
        expect(ratio.selective).toBeGreaterThanOrEqual(ratio.none as number);
        expect(ratio.full).toBeGreaterThanOrEqual(ratio.selective as number);
      }),
      RUNS,
    );
  });

  it("a step never runs faster than its micro-batches' compute on the busiest stage, each GEMM at its shape-dependent rate (with its fixed overhead), every micro-batch paired or not", () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (scenario) => {
        const {profile, setup, layout, rates} = scenario;
        const step = predict(scenario);
        for (const stage of pipelineStages(profile, setup, layout)) {
          const compute = computeTimes(profile, setup, layout, rates, stage);
          expectAtMost(step.microBatches * compute.microBatchSeconds, step.stepSeconds, 'compute of every micro-batch');
        }
      }),
      RUNS,
    );
  });

  it("the data-parallel link's work is counted once: a step lasts at least all of it (ZeRO-3: every weight gather and the reduce-scatter)", () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (scenario) => {
        const {profile, setup, layout, rates} = scenario;
        for (const zero of [0, 1, 2, 3] as const) {
          const zeroed = {...layout, zero};
          const step = predict({...scenario, layout: zeroed});
          const groups = dataParallelGroups(profile, zeroed, rates, busiestStage(profile, setup, zeroed));
          const linkWork =
            step.microBatches * dataParallelMicroBatchSeconds(zeroed, groups) + stepExchangeSeconds(zeroed, groups);
          expectAtMost(linkWork, step.stepSeconds, `ZeRO-${zero} link work`);
          if (zero === 3) {
            const {linkBytesPerSecond: link, latencySeconds: latency} = groups;
            const reduceScatter =
              reduceScatterSeconds(groups.denseParams * 2, groups.denseGroup, link, latency) +
              reduceScatterSeconds(groups.expertParams * 2, groups.expertGroup, link, latency);
            expectAtMost(
              step.microBatches * zero3GatherSeconds(zeroed, groups) + reduceScatter,
              step.stepSeconds,
              'ZeRO-3 gathers and reduce-scatter',
            );
          }
        }
      }),
      RUNS,
    );
  });

  it("a GPT-style layout reported to fit holds Korthikanti's activations on its first stage (Table 2: s·b·h·(10 + 24/t + 5as/ht) without SP, s·b·h/t·(34 + 5as/h) with it)", () => {
    const gptArbitrary = fc.record({
      layers: fc.integer({min: 1, max: 48}),
      headDim: fc.constantFrom(64, 96, 128),
      heads: fc.constantFrom(8, 16, 32, 64),
      tpPick: fc.nat(),
      ppPick: fc.nat(),
      sequenceParallel: fc.boolean(),
      seqLen: fc.constantFrom(512, 1024, 2048, 4096),
      microBatchSize: fc.constantFrom(1, 2, 4),
      hardware: hardwareArbitrary,
    });
    fc.assert(
      fc.property(gptArbitrary, (drawn) => {
        const h = drawn.heads * drawn.headDim;
        const model = modelSchema.parse({
          id: 'gpt-style',
          name: 'GPT-style',
          layers: drawn.layers,
          d_model: h,
          vocab: 51_200,
          tied_embeddings: true,
          dropout: true,
          attention: {kind: 'mha', heads: drawn.heads, head_dim: drawn.headDim},
          ffn: {kind: 'dense', d_ff: 4 * h, gated: false},
          declared: {params_total: 1e9, source: 'generated'},
          source: 'generated',
        });
        const profile = profileModel(model);
        const t = pickFrom(divisors(drawn.heads), drawn.tpPick);
        // 1F1B over p stages: the first holds p micro-batches of L/p layers, L layers' worth (Korthikanti §4.2.3).
        const p = pickFrom(
          [1, 2, 4].filter((pp) => drawn.layers % pp === 0),
          drawn.ppPick,
        );
        const {seqLen: s, microBatchSize: b} = drawn;
        const setup: TrainingSetup = {
          gpus: t * p,
          seqLen: s,
          globalBatchTokens: b * s * 2 * p,
          gemmPrecision: 'bf16',
          flashAttention: false,
          sequenceParallel: drawn.sequenceParallel,
          momentBytes: 4,
          overlapDataParallel: true,
          goodput: 1,
        };
        const layout: Layout = {
          tp: t,
          pp: p,
          dp: 1,
          ep: 1,
          etp: t,
          cp: 1,
          zero: 0,
          microBatchSize: b,
          recompute: 'none',
          schedule: '1f1b',
          virtualStages: 1,
          unevenStages: false,
        };
        const rates = chipRates(drawn.hardware);
        const memory = memoryPerGpu(profile, setup, layout, rates, 0);
        const a = drawn.heads;
        const korthikanti =
          drawn.layers *
          (drawn.sequenceParallel
            ? ((s * b * h) / t) * (34 + (5 * a * s) / h)
            : s * b * h * (10 + 24 / t + (5 * a * s) / (h * t)));
        expect(Math.abs(memory.activationsBytes / korthikanti - 1)).toBeLessThan(1e-9);
        // Reported to fit: the busiest rank, the first among them, fits with Korthikanti's activations.
        if (memoryPerGpu(profile, setup, layout, rates).fits) {
          expectAtMost(memory.totalBytes - memory.activationsBytes + korthikanti, memory.capacityBytes, 'memory');
        }
      }),
      RUNS,
    );
  });

  it('ZeRO stage 3 never uses more memory than stage 1, which never uses more than stage 0', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), ({profile, setup, layout, rates}) => {
        const total = (zero: ZeroStage) => memoryPerGpu(profile, setup, {...layout, zero}, rates).totalBytes;
        const [zero0, zero1, zero2, zero3] = [total(0), total(1), total(2), total(3)];
        expect(zero3).toBeLessThanOrEqual(zero2);
        expect(zero2).toBeLessThanOrEqual(zero1);
        expect(zero1).toBeLessThanOrEqual(zero0);
      }),
      RUNS,
    );
  });
});

describe('validateLayout: rejections name what would be valid', () => {
  it('rejects tp·pp·dp·cp != gpus, naming the GPU count', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), fc.integer({min: 1, max: 7}), ({profile, setup, layout}, extra) => {
        const wrong = {...layout, dp: layout.dp + extra};
        const problem = validateLayout(profile, setup, wrong).find((each) => each.field === 'gpus');
        expect(problem).toBeDefined();
        expect(problem?.message).toContain(`${setup.gpus} GPUs`);
        // The other direction: a cluster that does not match the layout.
        const otherCluster = validateLayout(profile, {...setup, gpus: setup.gpus + extra}, layout).find(
          (each) => each.field === 'gpus',
        );
        expect(otherCluster?.message).toContain(`${setup.gpus + extra} GPUs`);
      }),
      RUNS,
    );
  });

  it('rejects ep larger than the expert count, suggesting an ep that is valid', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ffn: 'moe'}), fc.integer({min: 1, max: 64}), ({profile, setup, layout}, extra) => {
        const wrong = {...layout, ep: profile.experts + extra};
        const problem = validateLayout(profile, setup, wrong).find((each) => each.field === 'ep');
        expect(problem).toBeDefined();
        expect(problem?.message).toContain(`${profile.experts} experts`);
        const listed = /expected one of ([\d, ]+)/.exec(problem?.message ?? '')?.[1];
        expect(listed, problem?.message).toBeDefined();
        // Every suggested degree must be one the validator then accepts.
        for (const suggested of (listed ?? '').split(',').map(Number)) {
          const fixed = {...layout, ep: suggested};
          expect(
            validateLayout(profile, setup, fixed).filter((each) => each.field === 'ep'),
            `${problem?.message} (dp ${layout.dp})`,
          ).toEqual([]);
        }
      }),
      {...RUNS, examples: [[counterexamples.expertsOverDp3, 1]]},
    );
  });

  it('rejects ep above 1 on a dense model, expecting 1', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ffn: 'dense'}), fc.integer({min: 2, max: 64}), ({profile, setup, layout}, ep) => {
        const problem = validateLayout(profile, setup, {...layout, ep}).find((each) => each.field === 'ep');
        expect(problem?.message).toMatch(/expected 1\b/);
      }),
      RUNS,
    );
  });

  it('rejects the interleaved schedule with virtualStages < 2, naming the minimum', () => {
    fc.assert(
      fc.property(scenarioArbitrary({schedule: 'interleaved'}), ({profile, setup, layout}) => {
        fc.pre(layout.schedule === 'interleaved');
        const problem = validateLayout(profile, setup, {...layout, virtualStages: 1}).find(
          (each) => each.field === 'virtualStages',
        );
        expect(problem).toBeDefined();
        expect(problem?.message).toContain('at least 2 virtual stages');
      }),
      RUNS,
    );
  });
});

describe('searchLayouts: properties', () => {
  /** A small cluster and a batch with many divisors, so the search has layouts to rank. */
  const searchInputs = fc.record({
    model: modelArbitrary(),
    hardware: hardwareArbitrary,
    gpus: fc.constantFrom(1, 2, 4, 8, 12, 16, 32, 64),
    seqLen: fc.constantFrom(1024, 2048, 4096),
    sequences: fc.constantFrom(64, 96, 128, 256, 512),
    gemmPrecision: fc.constantFrom<TrainingSetup['gemmPrecision']>('bf16', 'fp8'),
    flashAttention: fc.boolean(),
    unevenStages: fc.boolean(),
  });

  /** The set-up the search properties draw: the inputs' GPUs, sequences and precision, the rest as setupOf. */
  const searchSetup = (inputs: {
    gpus: number;
    seqLen: number;
    sequences: number;
    gemmPrecision: TrainingSetup['gemmPrecision'];
    flashAttention: boolean;
  }) =>
    setupOf({
      gpus: inputs.gpus,
      seqLen: inputs.seqLen,
      globalBatchTokens: inputs.sequences * inputs.seqLen,
      gemmPrecision: inputs.gemmPrecision,
      flashAttention: inputs.flashAttention,
    });

  it('returns layouts sorted by step time (to stepOrder: last-bit ties go to the layout found first), all fitting in memory and all valid, deterministically', () => {
    fc.assert(
      fc.property(searchInputs, (inputs) => {
        const profile = profileModel(inputs.model);
        const rates = chipRates(inputs.hardware);
        const setup = searchSetup(inputs);
        const constraints = {unevenStages: inputs.unevenStages};
        const first = searchLayouts(profile, setup, rates, constraints);
        expect(first.ranked.length).toBeLessThanOrEqual(Math.min(5, first.feasible));
        expect(first.feasible).toBeLessThanOrEqual(first.considered);
        for (const [index, estimate] of first.ranked.entries()) {
          expect(validateLayout(profile, setup, estimate.layout), JSON.stringify(estimate.layout)).toEqual([]);
          expect(estimate.memory.fits).toBe(true);
          expect(estimate.memory.totalBytes).toBeLessThanOrEqual(rates.memoryBytes);
          // The estimate is the one predictStep gives for the layout.
          expect(estimate).toEqual(predictStep(profile, setup, estimate.layout, rates));
          const previous = first.ranked[index - 1];
          if (previous !== undefined)
            expect(stepOrder(estimate.stepSeconds)).toBeGreaterThanOrEqual(stepOrder(previous.stepSeconds));
        }
        const second = searchLayouts(profile, setup, rates, constraints);
        expect(second).toEqual(first);
      }),
      {numRuns: 50},
    );
  });

  it('a published layout changes nothing when some reading fits, and else ranks only its least memory-hungry readings', () => {
    fc.assert(
      fc.property(
        searchInputs,
        fc.constantFrom<Recompute>(...RECOMPUTE_POLICIES),
        fc.constantFrom(1, 2, 4),
        (inputs, recompute, tp) => {
          const profile = profileModel(inputs.model);
          const rates = chipRates(inputs.hardware);
          const setup = searchSetup(inputs);
          const constraints = {unevenStages: inputs.unevenStages, recompute, tp};
          const unpublished = searchLayouts(profile, setup, rates, constraints);
          const published = searchLayouts(profile, setup, rates, {...constraints, published: true});
          expect(unpublished.takenAsPublished).toBe(false);
          if (unpublished.feasible > 0 || !unpublished.closest) {
            expect(published.takenAsPublished).toBe(false);
            expect(published.ranked).toEqual(unpublished.ranked);
            return;
          }
          // Nothing fits: the published layout's readings that need no more than the least memory-hungry one.
          const least = unpublished.closest.memory.totalBytes;
          expect(least).toBeGreaterThan(rates.memoryBytes);
          expect(published.takenAsPublished).toBe(true);
          expect(published.ranked.length).toBeGreaterThan(0);
          for (const estimate of published.ranked) {
            expect(estimate.layout.recompute).toBe(recompute);
            expect(estimate.layout.tp).toBe(tp);
            expect(estimate.memory.totalBytes).toBeLessThanOrEqual(least);
          }
        },
      ),
      {numRuns: 50},
    );
  });
});
