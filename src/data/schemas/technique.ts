import {z} from 'zod';
import {idSchema, sourceSchema} from './common.js';

/** A month, `YYYY-MM`, that exists. */
export const yearMonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM');

/** Features a run may or may not have had, beside its schedule, recomputation and ZeRO stage. */
export const FEATURES = [
  'overlap_data_parallel',
  'flash_attention',
  'sequence_parallel',
  'context_parallel',
  'fp8',
] as const;
export type Feature = (typeof FEATURES)[number];

/**
 * When a technique the layout search can choose (or a run may use) became
 * available: its first public paper or release (`data/techniques.yaml`). A
 * knob value not listed (no recomputation, ZeRO stage 0) always was.
 */
export const techniqueSchema = z.discriminatedUnion('knob', [
  z.strictObject({
    id: idSchema,
    name: z.string().min(1),
    knob: z.literal('schedule'),
    value: z.enum(['1f1b', 'interleaved', 'zero-bubble', 'dualpipe']),
    available: yearMonthSchema,
    source: sourceSchema,
  }),
  z.strictObject({
    id: idSchema,
    name: z.string().min(1),
    knob: z.literal('recompute'),
    value: z.enum(['selective', 'full']),
    available: yearMonthSchema,
    source: sourceSchema,
  }),
  z.strictObject({
    id: idSchema,
    name: z.string().min(1),
    knob: z.literal('zero'),
    value: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    available: yearMonthSchema,
    source: sourceSchema,
  }),
  z.strictObject({
    id: idSchema,
    name: z.string().min(1),
    knob: z.literal('feature'),
    value: z.enum(FEATURES),
    available: yearMonthSchema,
    source: sourceSchema,
  }),
]);
export type Technique = z.infer<typeof techniqueSchema>;
