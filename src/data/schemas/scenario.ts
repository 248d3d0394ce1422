import {z} from 'zod';
import {fraction, idSchema, positiveInteger, positiveNumber, precisionSchema, sourceSchema} from './common.js';

/**
 * Which FLOPs an MFU figure counts (PaLM, Chowdhery et al. 2022, App. B):
 * `none` is 6N per token; `causal` adds the attention term halved by the
 * causal mask; `non-causal` adds the full 12·L·H·Q·T term.
 */
export const attentionConventionSchema = z.enum(['none', 'causal', 'non-causal']);
export type AttentionConvention = z.infer<typeof attentionConventionSchema>;

/** A stated training efficiency: model FLOPs utilisation with its convention. */
const efficiencySchema = z.strictObject({
  mfu: fraction,
  /** Which attention FLOPs the MFU counts. */
  attention: attentionConventionSchema,
  /** The precision whose dense peak is the denominator (DeepSeek and Meta use BF16). */
  peak_precision: precisionSchema.default('bf16'),
  source: sourceSchema,
});

const costSchema = z.strictObject({
  usd_per_gpu_hour: positiveNumber,
  source: sourceSchema,
});

/**
 * Energy: GPU-hours × average board power (a fraction of TDP) × PUE.
 * Defaults are board power at TDP and no facility overhead, the convention of
 * the Llama 3.1 model card's emissions figure.
 */
const energySchema = z.strictObject({
  power_fraction_of_tdp: z.number().gt(0).lte(1.5).default(1),
  pue: z.number().gte(1).lte(3).default(1),
  source: sourceSchema,
});

/** Figures the authors published for this run, for the reports to compare against. */
const reportedSchema = z.strictObject({
  gpu_hours: positiveNumber.optional(),
  wall_clock_days: positiveNumber.optional(),
  tokens_per_second_per_gpu: positiveNumber.optional(),
  training_flops: positiveNumber.optional(),
  cost_usd: positiveNumber.optional(),
  source: sourceSchema,
});

export const trainingScenarioSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  kind: z.literal('training'),
  description: z.string().optional(),
  model: idSchema,
  cluster: z.strictObject({
    hardware: idSchema,
    gpus: positiveInteger,
  }),
  workload: z.strictObject({
    tokens: positiveNumber,
    seq_len: positiveInteger,
  }),
  /** The precision of the matrix multiplications. */
  precision: precisionSchema,
  efficiency: efficiencySchema,
  cost: costSchema.optional(),
  energy: energySchema.optional(),
  reported: reportedSchema.optional(),
  /** Re-run the scenario with other values; one estimate per point. */
  sweep: z
    .strictObject({
      hardware: z.array(idSchema).min(1),
    })
    .optional(),
});

export type TrainingScenario = z.infer<typeof trainingScenarioSchema>;
export const scenarioSchema = z.discriminatedUnion('kind', [trainingScenarioSchema]);
export type Scenario = z.infer<typeof scenarioSchema>;
