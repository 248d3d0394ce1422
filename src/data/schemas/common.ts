import {z} from 'zod';

/** Record ids: lower-case words joined by hyphens or dots, such as `h100-sxm` or `llama-3.1-405b`. */
export const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]*$/, 'expected an id of lower-case letters, digits, "." and "-"');

/** Where a number comes from: a paper and its table or section, a vendor document, a URL. */
export const sourceSchema = z.string().trim().min(1, 'expected a non-empty source');

export const positiveNumber = z.number().finite().positive();
export const positiveInteger = z.number().int().positive();
export const nonNegativeInteger = z.number().int().nonnegative();
/** A fraction in (0, 1]. */
export const fraction = z.number().gt(0).lte(1);

/** Numeric precisions a chip may have a peak rate for. */
export const precisionSchema = z.enum(['fp32', 'tf32', 'bf16', 'fp16', 'fp8', 'fp6', 'fp4', 'int8']);
export type Precision = z.infer<typeof precisionSchema>;
