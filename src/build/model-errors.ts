import {z} from 'zod';
import {modelErrorSchema} from '../data/catalog-json.js';
import type {UsageKey} from '../data/catalog-usage.js';
import type {ModelError} from '../estimate/calibration/model-error.js';
import {sha256} from '../tool/hash.js';
import type {BuildCache} from './build-cache.js';
import type {TemplateRunner} from './template-runner.js';

/**
 * The training and serving models' errors the site's explorer carries
 * (full leave-one-out calibrations, the slowest estimates of a build):
 * fitted once per build, by the template process whose estimates fit them
 * anyway, and kept in the cache under the hashes of what they are fitted
 * from (the references, models, hardware and techniques), so a build whose
 * data kept those fits them not at all. A cache entry is input: one that
 * does not match its schema is a miss.
 */
export interface ModelErrors {
  readonly training: ModelError | undefined;
  readonly serving: ModelError | undefined;
}

/** The collections a calibration reads (calibrateCatalog, calibrateServing). */
const FITTED_FROM = ['references', 'models', 'hardware', 'techniques'] as const;

/** A cache entry; JSON has no `undefined`: no model error is `null`. */
const cachedModelErrorsSchema = z.strictObject({
  training: modelErrorSchema.nullable(),
  serving: modelErrorSchema.nullable(),
});

/** The cache key: the tool and the whole-collection hashes of what the calibrations read. */
export function modelErrorsKey(fingerprint: string, hashes: ReadonlyMap<UsageKey, string>): string {
  return sha256([fingerprint, ...FITTED_FROM.map((kind) => `${kind}:${hashes.get(`${kind}:*`) ?? ''}`)].join('\0'));
}

export async function siteModelErrors(
  cache: BuildCache,
  key: string,
  runner: Pick<TemplateRunner, 'modelErrors'>,
): Promise<ModelErrors> {
  const hit = await cache.readJson('model-errors', key, cachedModelErrorsSchema);
  if (hit) return {training: hit.training ?? undefined, serving: hit.serving ?? undefined};
  const {training, serving} = await runner.modelErrors();
  await cache.writeJson('model-errors', key, {training: training ?? null, serving: serving ?? null});
  return {training, serving};
}
