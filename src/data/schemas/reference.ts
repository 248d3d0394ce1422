import {z} from 'zod';
import type {Nominal} from '../../uncertain/distribution.js';
import {idSchema, positiveInteger, positiveNumber, precisionSchema, sourceSchema} from './common.js';
import {availabilitySchema, networkSchema, parallelismSchema, recipeSchema} from './training.js';
import {inferenceReferenceSchema} from './inference-reference.js';
import {measured} from './quantity.js';
import {checkWorkloadLength, checkWorkloadOrStages} from './run-workload.js';

/**
 * What a lab published about a run's efficiency or outcome: MFU (model
 * FLOPs, with its attention convention: `none` is 6N per token), HFU
 * (FLOPs executed, recomputation included, as Megatron-LM's Table 1), both
 * over the 16-bit dense peak; the same FLOPs as TFLOP/s per GPU, as labs often
 * publish them; a step (iteration) time; tokens per second
 * per GPU; or, with the run's tokens, GPU-hours, wall-clock days or
 * energy, which include the run's lost time; or a FLOP count. A run written
 * in `stages` reports a figure of the whole run (WHOLE_RUN_METRICS).
 */
const reportedSchema = z.discriminatedUnion('metric', [
  z.strictObject({
    metric: z.literal('mfu'),
    attention: z.enum(['none', 'causal', 'non-causal']),
    value: measured('mfu', z.number().gt(0).lte(1)),
    source: sourceSchema,
  }),
  z.strictObject({
    metric: z.literal('hfu'),
    /** Attention FLOPs as counted: Megatron's Eq. 3 (Narayanan et al. 2021) counts them non-causal. */
    attention: z.enum(['causal', 'non-causal']).optional(),
    value: measured('mfu', z.number().gt(0).lte(1)),
    source: sourceSchema,
  }),
  z.strictObject({
    metric: z.literal('tflops_per_gpu'),
    /** Which FLOPs the rate counts: the model's (as MFU) or those executed, recomputation included (as HFU). */
    counts: z.enum(['model', 'hardware']),
    /** Attention FLOPs as counted (`none`, 6N per token, only for model FLOPs). */
    attention: z.enum(['none', 'causal', 'non-causal']),
    value: measured('tflops', positiveNumber),
    source: sourceSchema,
  }),
  z.strictObject({
    metric: z.literal('step_seconds'),
    value: measured('step_seconds', positiveNumber),
    source: sourceSchema,
  }),
  z.strictObject({
    metric: z.literal('tokens_per_second_per_gpu'),
    value: measured('tokens_per_second_per_gpu', positiveNumber),
    source: sourceSchema,
  }),
  z.strictObject({metric: z.literal('gpu_hours'), value: measured('gpu_hours', positiveNumber), source: sourceSchema}),
  z.strictObject({
    metric: z.literal('wall_clock_days'),
    value: measured('wall_clock_days', positiveNumber),
    source: sourceSchema,
  }),
  z.strictObject({
    metric: z.literal('energy_mwh'),
    value: measured('energy_mwh', positiveNumber),
    source: sourceSchema,
  }),
  z.strictObject({
    metric: z.literal('training_flops'),
    attention: z.enum(['none', 'causal', 'non-causal']).default('none'),
    value: measured('training_flops', positiveNumber),
    source: sourceSchema,
  }),
]);
export type ReportedFigure = z.infer<typeof reportedSchema>;

/** Figures of a whole run, summed over its stages: the ones a multi-stage run may report. */
export const WHOLE_RUN_METRICS = ['gpu_hours', 'wall_clock_days', 'energy_mwh', 'training_flops'] as const;

/** Figures that count every token of the run, so need its `tokens`. */
const COUNTS_TOKENS: ReadonlySet<ReportedFigure['metric']> = new Set(['gpu_hours', 'wall_clock_days', 'energy_mwh']);

const referenceWorkloadSchema = z.strictObject({
  tokens: measured('training_tokens', positiveNumber).optional(),
  seq_len: measured('seq_len', positiveInteger),
  global_batch_tokens: measured('batch_tokens', positiveNumber).optional(),
});

/**
 * One stage of a published multi-stage run (Llama 3 Herd §3.4: pre-training
 * at 8K, long-context pre-training to 128K, annealing): its own tokens,
 * sequence length and batch, and where they differ from the run's, its GPU
 * count, layout and recipe. The prediction sums the stages.
 */
const referenceStageSchema = z.strictObject({
  name: z.string().min(1),
  workload: z.strictObject({
    tokens: measured('training_tokens', positiveNumber),
    seq_len: measured('seq_len', positiveInteger),
    global_batch_tokens: measured('batch_tokens', positiveNumber),
  }),
  gpus: measured('gpus', positiveInteger).optional(),
  parallelism: parallelismSchema.optional(),
  recipe: recipeSchema.optional(),
});

/** A published training run, to predict without being told its efficiency and compare. */
export const referenceRunSchema = z
  .strictObject({
    id: idSchema,
    /** Training runs may say so; published serving results say `kind: inference` (inference-reference.ts). */
    kind: z.literal('training').optional(),
    name: z.string().min(1),
    model: idSchema,
    /** Omitted for a FLOP-count reference (no hardware needed). */
    cluster: z
      .strictObject({
        hardware: idSchema,
        gpus: measured('gpus', positiveInteger),
        /** The cluster's own scale-out network, when it differs from the chip record's. */
        network: networkSchema.optional(),
      })
      .optional(),
    /** What the run trained on, for a single-stage run (else `stages`). */
    workload: referenceWorkloadSchema.optional(),
    /** The stages of a multi-stage run, in order (else `workload`): its reported figure is of the whole run. */
    stages: z.array(referenceStageSchema).min(1).optional(),
    precision: precisionSchema.default('bf16'),
    recipe: recipeSchema.optional(),
    /** Techniques the search may use for the knobs the paper leaves out: those of its date, or named lists. */
    available: availabilitySchema.optional(),
    /** The layout as published (a stage's own replaces it); knobs left out are chosen by a search over the rest. */
    parallelism: parallelismSchema.optional(),
    reported: reportedSchema,
    /**
     * A run added to the calibration set after the estimator was built (issue #14's held-out runs):
     * `tradeoffs calibrate` reports the errors with and without them.
     */
    held_out: z.boolean().default(false),
    notes: z.string().optional(),
  })
  .superRefine((run, context) => {
    checkWorkloadOrStages(run, context);
    if (run.stages && !(WHOLE_RUN_METRICS as readonly string[]).includes(run.reported.metric)) {
      context.addIssue({
        code: 'custom',
        path: ['reported', 'metric'],
        message: `A multi-stage run reports a figure of the whole run (${WHOLE_RUN_METRICS.map((metric) => `\`${metric}\``).join(', ')}), got \`${run.reported.metric}\`: write the stage it measures as a run of its own`,
      });
    }
    if (
      run.reported.metric === 'tflops_per_gpu' &&
      run.reported.counts === 'hardware' &&
      run.reported.attention === 'none'
    ) {
      context.addIssue({
        code: 'custom',
        path: ['reported', 'attention'],
        message: 'Hardware FLOPs count the attention the GPUs ran: expected `causal` or `non-causal`, got `none`',
      });
    }
    const workloads = run.stages
      ? run.stages.map((stage, index) => ({workload: stage.workload, path: ['stages', index, 'workload']}))
      : run.workload
        ? [{workload: run.workload, path: ['workload']}]
        : [];
    for (const {workload, path} of workloads) {
      if (COUNTS_TOKENS.has(run.reported.metric) && workload.tokens === undefined) {
        context.addIssue({
          code: 'custom',
          path: [...path, 'tokens'],
          message: `Missing field \`tokens\`, expected the run's tokens: reported ${run.reported.metric} is for all of them`,
        });
      }
      checkWorkloadLength(workload, path, context);
    }
  });
export type ReferenceRun = Nominal<z.infer<typeof referenceRunSchema>>;

/** A stage of a published run as predicted: its workload, GPU count, layout and recipe, the run's where it gives none. */
export interface ReferenceStage {
  /** The stage's name; `undefined` for a single-stage run. */
  readonly name: string | undefined;
  readonly workload: Readonly<z.infer<typeof referenceWorkloadSchema>>;
  readonly gpus: number | undefined;
  readonly parallelism: ReferenceRun['parallelism'];
  readonly recipe: ReferenceRun['recipe'];
}

/** The stages of a published run: its own, or the run itself as its one stage. */
export function referenceStages(run: ReferenceRun): ReferenceStage[] {
  if (!run.stages) {
    // The schema lets a run give `workload` or `stages`, exactly one.
    if (!run.workload) throw new RangeError(`reference run \`${run.id}\` has neither \`workload\` nor \`stages\``);
    const {workload} = run;
    return [{name: undefined, workload, gpus: run.cluster?.gpus, parallelism: run.parallelism, recipe: run.recipe}];
  }
  return run.stages.map((stage) => ({
    name: stage.name,
    workload: stage.workload,
    gpus: stage.gpus ?? run.cluster?.gpus,
    parallelism: stage.parallelism ?? run.parallelism,
    recipe: stage.recipe ?? run.recipe,
  }));
}

/** A published serving result (`kind: inference`), with its setup's uncertain numbers at their nominal values. */
export type InferenceReference = Nominal<z.infer<typeof inferenceReferenceSchema>>;

/** An entry of data/references.yaml: a training run (no `kind`, or `kind: training`) or a serving result. */
export const referenceSchema = z.discriminatedUnion('kind', [referenceRunSchema, inferenceReferenceSchema]);
export type Reference = ReferenceRun | InferenceReference;

/** Whether a reference is a published serving result. */
export function isInferenceReference(reference: Reference): reference is InferenceReference {
  return reference.kind === 'inference';
}
