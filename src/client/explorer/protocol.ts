import {z} from 'zod';
import type {EngineRequest, EngineResult} from './engine.js';

/**
 * Messages between the explorer's page and its worker (the same script):
 * the page sends the catalog once, then one request at a time; the worker
 * answers each with its result. Checked on arrival, as anything crossing
 * a boundary is.
 */

const pointSchema = z
  .object({
    hardware: z.string().optional(),
    gpus: z.string().optional(),
    precision: z.string().optional(),
    technique: z.string().optional(),
  })
  .strict();

const requestSchema = z.object({
  file: z.string(),
  text: z.string(),
  point: pointSchema,
  sampling: z.object({samples: z.number().int().min(0), seed: z.number().int().min(0)}),
});

export const toWorkerSchema = z.discriminatedUnion('type', [
  z.object({type: z.literal('init'), catalog: z.string()}),
  z.object({type: z.literal('run'), id: z.number().int(), request: requestSchema}),
]);
export type ToWorker = {type: 'init'; catalog: string} | {type: 'run'; id: number; request: EngineRequest};

// The result is the worker's own engine output, passed by structured clone: its envelope is checked, its
// estimate is the core's object (the page only reads it, and a missing number reads "–").
export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({type: z.literal('ready')}),
  z.object({type: z.literal('failed'), message: z.string()}),
  z.object({
    type: z.literal('result'),
    id: z.number().int(),
    result: z.custom<EngineResult>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        Array.isArray((value as {messages?: unknown}).messages) &&
        typeof (value as {elapsedMs?: unknown}).elapsedMs === 'number',
    ),
  }),
]);
export type FromWorker = z.infer<typeof fromWorkerSchema>;
