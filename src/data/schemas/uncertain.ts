import {z} from 'zod';
import {Distribution, type DistributionSpec} from '../../uncertain/distribution.js';

/** The description that marks a schema as an uncertain number, so tools can find every continuous input. */
export const UNCERTAIN = 'uncertain number';

/**
 * A number that may be uncertain: a plain number, a range
 * `{low, mode, high}` (triangular), or a named distribution:
 * `{dist: uniform, low, high}`, `{dist: normal, mean, sd}`,
 * `{dist: lognormal, median, sigma}`. Every value a distribution can take
 * must satisfy `base` (normal samples are clipped at three deviations).
 * Validated ranges become Distribution objects.
 */
export function uncertain(base: z.ZodNumber) {
  const spread = z.number().finite().positive();
  const triangular = z
    .strictObject({low: base, mode: base, high: base})
    .superRefine((range, context) => {
      if (!(range.low <= range.mode && range.mode <= range.high)) {
        context.addIssue({
          code: 'custom',
          message: `expected low <= mode <= high, got ${range.low}, ${range.mode}, ${range.high}`,
        });
      }
    })
    .transform((range) => new Distribution({kind: 'triangular', ...range}));
  const named = z.discriminatedUnion('dist', [
    z
      .strictObject({dist: z.literal('uniform'), low: base, high: base})
      .superRefine((range, context) => {
        if (range.low > range.high)
          context.addIssue({code: 'custom', message: `expected low <= high, got ${range.low} and ${range.high}`});
      })
      .transform(({low, high}) => new Distribution({kind: 'uniform', low, high})),
    z
      .strictObject({dist: z.literal('normal'), mean: base, sd: spread})
      .superRefine((normal, context) => {
        for (const edge of [normal.mean - 3 * normal.sd, normal.mean + 3 * normal.sd]) {
          if (!base.safeParse(edge).success) {
            context.addIssue({code: 'custom', message: `expected mean ± 3 sd to stay in range, got ${edge}`});
            return;
          }
        }
      })
      .transform(({mean, sd}) => new Distribution({kind: 'normal', mean, sd})),
    z
      .strictObject({dist: z.literal('lognormal'), median: base.positive(), sigma: spread})
      .transform(({median, sigma}) => new Distribution({kind: 'lognormal', median, sigma})),
  ]);
  return z.union([base, triangular, named]).describe(UNCERTAIN);
}

/**
 * A distribution as a data file writes it, the inverse of `uncertain()`'s
 * transforms: `{low, mode, high}` for a triangular range, else the named
 * form (`{dist: uniform, low, high}`, …). Validating it again gives the same
 * distribution.
 */
export function writtenDistribution(spec: DistributionSpec): Record<string, number | string> {
  switch (spec.kind) {
    case 'triangular':
      return {low: spec.low, mode: spec.mode, high: spec.high};
    case 'uniform':
      return {dist: 'uniform', low: spec.low, high: spec.high};
    case 'normal':
      return {dist: 'normal', mean: spec.mean, sd: spec.sd};
    case 'lognormal':
      return {dist: 'lognormal', median: spec.median, sigma: spec.sigma};
  }
}
