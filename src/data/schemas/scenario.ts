import {z} from 'zod';
import {fraction, idSchema, positiveInteger, positiveNumber, precisionSchema, sourceSchema} from './common.js';
import type {Nominal} from '../../uncertain/distribution.js';
import {availabilitySchema, goodputSchema, networkSchema, parallelismSchema, recipeSchema} from './training.js';
import {servingSetupShape} from './inference.js';
import {uncertain} from './uncertain.js';
import {checkWorkloadLength, checkWorkloadOrStages} from './run-workload.js';
import {measured} from './quantity.js';

/**
 * Which FLOPs an MFU figure counts (PaLM, Chowdhery et al. 2022, App. B):
 * `none` is 6N per token; `causal` adds the attention term halved by the
 * causal mask; `non-causal` adds the full 12·L·H·Q·T term.
 */
export const attentionConventionSchema = z.enum(['none', 'causal', 'non-causal']);
export type AttentionConvention = z.infer<typeof attentionConventionSchema>;

/** A stated training efficiency: model FLOPs utilisation with its convention. */
const efficiencySchema = z.strictObject({
  mfu: measured('mfu', uncertain(fraction)),
  /** Which attention FLOPs the MFU counts. */
  attention: attentionConventionSchema,
  /** The precision whose dense peak is the denominator (DeepSeek and Meta use BF16). */
  peak_precision: precisionSchema.default('bf16'),
  source: sourceSchema,
});

/** A price per GPU-hour (rental), or what owning the GPUs costs (capital over a lifetime, plus power). */
export const costSchema = z.union([
  z.strictObject({
    usd_per_gpu_hour: measured('usd_per_gpu_hour', uncertain(positiveNumber)),
    source: sourceSchema,
  }),
  z.strictObject({
    owned: z.strictObject({
      capex_usd_per_gpu: measured('capex_usd_per_gpu', uncertain(positiveNumber)),
      lifetime_years: measured('lifetime_years', uncertain(positiveNumber)),
      utilization: measured('fraction', uncertain(fraction)).default(1),
      usd_per_kwh: measured('usd_per_kwh', uncertain(positiveNumber)),
    }),
    source: sourceSchema,
  }),
]);
export type CostInput = Nominal<z.infer<typeof costSchema>>;

/**
 * Energy: GPU-hours × average board power (a fraction of TDP) × node
 * overhead × PUE; CO2 from the grid's intensity. Defaults in
 * src/estimate/energy.ts, each with its source.
 */
export const energySchema = z.strictObject({
  power_fraction_of_tdp: measured('power_fraction', uncertain(z.number().gt(0).lte(1.5))).optional(),
  node_overhead: measured('overhead_ratio', uncertain(z.number().gte(1).lte(3))).optional(),
  pue: measured('overhead_ratio', uncertain(z.number().gte(1).lte(3))).optional(),
  grid_kg_co2_per_kwh: measured('grid_kg_co2_per_kwh', uncertain(z.number().gte(0).lte(2))).optional(),
  source: sourceSchema,
});
export type EnergyInput = Nominal<z.infer<typeof energySchema>>;

/** Figures the authors published for this run (or one of its stages), for the reports to compare against. */
const reportedSchema = z.strictObject({
  gpu_hours: measured('gpu_hours', positiveNumber).optional(),
  wall_clock_days: measured('wall_clock_days', positiveNumber).optional(),
  tokens_per_second_per_gpu: measured('tokens_per_second_per_gpu', positiveNumber).optional(),
  step_seconds: measured('step_seconds', positiveNumber).optional(),
  training_flops: measured('training_flops', positiveNumber).optional(),
  energy_mwh: measured('energy_mwh', positiveNumber).optional(),
  cost_usd: measured('cost_usd', positiveNumber).optional(),
  source: sourceSchema,
});

const workloadSchema = z.strictObject({
  tokens: measured('training_tokens', uncertain(positiveNumber)),
  seq_len: measured('seq_len', positiveInteger),
  /** Tokens per optimizer step; needed to predict the step. */
  global_batch_tokens: measured('batch_tokens', positiveNumber).optional(),
});

/**
 * One stage of a multi-stage run (Llama 3 Herd §3.4: pre-training at 8K,
 * long-context extension to 128K, annealing): its own tokens, sequence
 * length and batch, and optionally its own GPU count, layout, recipe,
 * stated efficiency and reported figures; the rest is the scenario's.
 */
const stageSchema = z.strictObject({
  name: z.string().min(1),
  workload: workloadSchema,
  gpus: measured('gpus', positiveInteger).optional(),
  efficiency: efficiencySchema.optional(),
  parallelism: z.union([z.literal('search'), parallelismSchema]).optional(),
  recipe: recipeSchema.optional(),
  reported: reportedSchema.optional(),
});

export const trainingScenarioSchema = z
  .strictObject({
    id: idSchema,
    /** The scenario this one varies (src/data/extends.ts): its fields are this one's unless overridden. */
    extends: idSchema.optional(),
    name: z.string().min(1),
    kind: z.literal('training'),
    description: z.string().optional(),
    model: idSchema,
    cluster: z.strictObject({
      hardware: idSchema,
      gpus: measured('gpus', positiveInteger),
      /** The cluster's own scale-out network, when it differs from the chip record's. */
      network: networkSchema.optional(),
    }),
    /** What the run trains on, for a single-stage run (else `stages`). */
    workload: workloadSchema.optional(),
    /** The stages of a multi-stage run, in order (else `workload`): GPU-hours, time and cost add up over them. */
    stages: z.array(stageSchema).min(1).optional(),
    /** The precision of the matrix multiplications. */
    precision: precisionSchema,
    /** A stated efficiency; without it the efficiency is predicted from `parallelism`. */
    efficiency: efficiencySchema.optional(),
    /** The parallel layout, fully or partly given (a search chooses the rest), or `search` for a full search. */
    parallelism: z.union([z.literal('search'), parallelismSchema]).optional(),
    recipe: recipeSchema.optional(),
    /** Techniques the layout search may use: those published by a date, or named lists (data/techniques.yaml). */
    available: availabilitySchema.optional(),
    goodput: goodputSchema.optional(),
    cost: costSchema.optional(),
    energy: energySchema.optional(),
    reported: reportedSchema.optional(),
    /** Re-run the scenario with other values; one estimate per point. */
    sweep: z
      .strictObject({
        hardware: z.array(idSchema).min(1).optional(),
        gpus: z.array(measured('gpus', positiveInteger)).min(1).optional(),
        precision: z.array(precisionSchema).min(1).optional(),
        /** Named sets of technique choices: each overrides parts of the layout and recipe. */
        techniques: z
          .array(
            z.strictObject({
              name: z.string().min(1),
              parallelism: parallelismSchema.omit({source: true}).optional(),
              recipe: recipeSchema.partial().optional(),
              /** Where the set comes from: labelled [A] or [T], it is a layout a run was published with (evidence it fitted). */
              source: sourceSchema.optional(),
            }),
          )
          .min(1)
          .optional(),
      })
      .optional(),
  })
  .superRefine((scenario, context) => {
    checkWorkloadOrStages(scenario, context);
    const runs = scenario.stages
      ? scenario.stages.map((stage, index) => ({...stage, path: ['stages', index]}))
      : [
          {
            workload: scenario.workload,
            efficiency: undefined,
            parallelism: undefined,
            path: [] as Array<string | number>,
          },
        ];
    let predictsStep = false;
    for (const run of runs) {
      if (run.workload) checkWorkloadLength(run.workload, [...run.path, 'workload'], context);
      const efficiency = run.efficiency ?? scenario.efficiency;
      const parallelism = run.parallelism ?? scenario.parallelism;
      if (!efficiency && !parallelism) {
        context.addIssue({
          code: 'custom',
          path: run.path,
          message: 'Expected `efficiency` (a stated MFU) or `parallelism` (to predict it), got neither',
        });
      }
      if (parallelism) predictsStep = true;
      if (parallelism && run.workload && run.workload.global_batch_tokens === undefined) {
        context.addIssue({
          code: 'custom',
          path: [...run.path, 'workload'],
          message: 'Missing field `global_batch_tokens`, expected a number: predicting a step needs the batch',
        });
      }
    }
    // The step model has GEMM rates in these precisions only (chip-rates.ts): any other would run at the BF16 rate.
    if (predictsStep) {
      const precisions = [
        {precision: scenario.precision, path: ['precision']},
        ...(scenario.sweep?.precision ?? []).map((precision, index) => ({
          precision,
          path: ['sweep', 'precision', index],
        })),
      ];
      for (const {precision, path} of precisions) {
        if (STEP_PRECISIONS.has(precision)) continue;
        context.addIssue({
          code: 'custom',
          path,
          message: `Expected \`bf16\`, \`fp16\` or \`fp8\` to predict the step (the precisions the step model has GEMM rates for), got \`${precision}\`; or state the run's \`efficiency\` without \`parallelism\``,
        });
      }
    }
  });

/** The precisions a predicted training step runs its GEMMs in (src/estimate/chip-rates.ts, GemmPrecision). */
export const STEP_PRECISIONS: ReadonlySet<string> = new Set(['bf16', 'fp16', 'fp8']);

export type TrainingScenario = Nominal<z.infer<typeof trainingScenarioSchema>>;

/** Serving a model: where, how it is split, on which software, the traffic and the load (schemas/inference.ts). */
export const inferenceScenarioSchema = z.strictObject({
  id: idSchema,
  /** The scenario this one varies (src/data/extends.ts): its fields are this one's unless overridden. */
  extends: idSchema.optional(),
  name: z.string().min(1),
  kind: z.literal('inference'),
  description: z.string().optional(),
  ...servingSetupShape,
  cost: costSchema.optional(),
  energy: energySchema.optional(),
  sweep: z
    .strictObject({
      hardware: z.array(idSchema).min(1).optional(),
      concurrency: z.array(measured('concurrency', positiveInteger)).min(1).optional(),
      /** Day-average loads over the peak, on units that do not follow the load. */
      utilization: z.array(measured('fraction', fraction)).min(1).optional(),
    })
    .optional(),
});
export type InferenceScenario = Nominal<z.infer<typeof inferenceScenarioSchema>>;

/** A positive number written plainly (evidence is quoted, never sampled). */
const quoted = z.number().finite().positive();

/**
 * One piece of published evidence about the demand for AI capability:
 *
 * - `elasticity`: a published estimate (or a long-run analogue) of the
 *   price elasticity of demand, with its horizon;
 * - `volume-and-price`: how much the volume of tokens grew while the price
 *   of a fixed capability fell, over the same period: the elasticity it
 *   implies if demand did not shift is ln(volume) / ln(price), computed
 *   where it is shown, never stored;
 * - `capex`: a company's capital-expenditure guidance for one year, before
 *   and after DeepSeek-R1 (January 2025), as a range in USD.
 */
export const demandEvidenceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('elasticity'),
    name: z.string().min(1),
    elasticity: measured('elasticity', quoted),
    /** How the figure was found: a regression on market data, a practitioner's rule of thumb, or another market's history. */
    method: z.enum(['econometric', 'rule of thumb', 'analogue']),
    horizon: z.enum(['short run', 'long run']),
    date: z.string().min(1),
    source: sourceSchema,
  }),
  z.strictObject({
    kind: z.literal('volume-and-price'),
    name: z.string().min(1),
    period: z.string().min(1),
    /** Volume at the end of the period over volume at its start. */
    volume_ratio: measured('ratio', quoted),
    /** Price at the start of the period over price at its end (10 = the price fell tenfold). */
    price_ratio: measured('ratio', quoted.gt(1)),
    source: sourceSchema,
  }),
  z.strictObject({
    kind: z.literal('capex'),
    name: z.string().min(1),
    year: z.string().min(1),
    /** Guidance before DeepSeek-R1: [low, high] in USD (one number for a point). */
    before_usd: z.array(measured('capex_usd', quoted)).min(1).max(2),
    after_usd: z.array(measured('capex_usd', quoted)).min(1).max(2),
    source: sourceSchema,
  }),
]);
export type DemandEvidence = z.infer<typeof demandEvidenceSchema>;

/**
 * The demand question: if the compute per unit of capability falls by each
 * efficiency factor, with this price elasticity of demand and this share of
 * the saving passed on to the price, does total compute fall or rise?
 * (src/estimate/demand/demand-model.ts states the model and its assumptions.)
 */
const passThroughSchema = measured('fraction', uncertain(z.number().gte(0).lte(1)));

export const demandScenarioSchema = z.strictObject({
  id: idSchema,
  extends: idSchema.optional(),
  name: z.string().min(1),
  kind: z.literal('demand'),
  description: z.string().optional(),
  efficiency_factors: z.array(measured('efficiency_factor', z.number().finite().gte(1))).min(1),
  elasticity: measured('elasticity', uncertain(z.number().finite().gte(0).lte(10))),
  /**
   * The share of the saving passed on to the price: a number or a range, or `{value, source}` when the
   * scenario's `source` (which bounds the elasticity) does not cover it, so it never borrows that citation.
   */
  pass_through: z
    .union([passThroughSchema, z.strictObject({value: passThroughSchema, source: sourceSchema})])
    .default(1),
  source: sourceSchema,
  /** Published figures the elasticity and pass-through are bounded by, each with its source. */
  evidence: z.array(demandEvidenceSchema).min(1).optional(),
});
export type DemandScenario = Nominal<z.infer<typeof demandScenarioSchema>>;

/** A scenario of any kind, told apart by `kind`; each kind's schema checks what its fields need together. */
export const scenarioSchema = z.discriminatedUnion('kind', [
  trainingScenarioSchema,
  inferenceScenarioSchema,
  demandScenarioSchema,
]);
export type Scenario = Nominal<z.infer<typeof scenarioSchema>>;
