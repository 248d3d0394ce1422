import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {isInvalidId, placeOf, type Catalog} from './catalog.js';
import {unknownIdReason} from '../diagnostics/nearest-id.js';
import {scenarioReferences} from './scenario-kinds.js';
import type {Precision} from './schemas/common.js';
import {isInferenceReference} from './schemas/reference.js';
import type {DataPath} from './yaml-source.js';
import {positionAt} from './yaml-source.js';

/**
 * Check every id a scenario refers to (its model, its hardware, the hardware
 * it sweeps over) and that the chip has the precisions the scenario needs.
 * Returns the scenarios whose references do not resolve: the loader leaves
 * them out, so later stages only see complete scenarios.
 */
export function resolveIds(catalog: Catalog, diagnostics: Diagnostics): ReadonlySet<string> {
  const scenarios = new Set<string>();
  for (const [id, scenario] of catalog.scenarios) {
    const origin = catalog.origins.get(scenario);
    const references = scenarioReferences(scenario);
    if (!origin || !references) continue;
    const fail = (path: DataPath, reason: string, ruleId: 'unknown-id' | 'invalid-value') => {
      const {file, place} = placeOf(origin, path);
      diagnostics.error(file, reason, place, ruleId);
      scenarios.add(id);
    };
    if (isInvalidId(catalog, 'model', references.model)) {
      scenarios.add(id);
    } else if (!catalog.models.has(references.model)) {
      fail(['model'], unknownIdReason('model', references.model, catalog.models.keys()), 'unknown-id');
    }
    const hardwareIds: Array<{hardwareId: string; path: DataPath}> = [
      {hardwareId: references.hardware.id, path: references.hardware.path},
      ...references.sweepHardware.map((hardwareId, index) => ({
        hardwareId,
        path: ['sweep', 'hardware', index],
      })),
    ];
    for (const {hardwareId, path} of hardwareIds) {
      const hardware = catalog.hardware.get(hardwareId);
      if (isInvalidId(catalog, 'hardware', hardwareId)) {
        scenarios.add(id);
        continue;
      }
      if (!hardware) {
        fail(path, unknownIdReason('hardware', hardwareId, catalog.hardware.keys()), 'unknown-id');
        continue;
      }
      const peakPrecision = references.peakPrecision;
      if (peakPrecision !== undefined && hardware.peak_tflops[peakPrecision] === undefined) {
        fail(
          ['efficiency', 'peak_precision'],
          `Hardware \`${hardwareId}\` has no ${peakPrecision} peak rate, expected one of ${availablePrecisions(hardware.peak_tflops)}`,
          'invalid-value',
        );
      }
    }
    const precision = references.gemmPrecision;
    if (precision === undefined) continue;
    const base = catalog.hardware.get(references.hardware.id);
    if (base && base.peak_tflops[precision] === undefined) {
      fail(
        ['precision'],
        `Hardware \`${base.id}\` does not support ${precision}, expected one of ${availablePrecisions(base.peak_tflops)}`,
        'invalid-value',
      );
    }
  }
  return scenarios;
}

/** The same checks for reference runs: their model and hardware exist, and the chip has their precision. */
export function resolveReferenceIds(catalog: Catalog, diagnostics: Diagnostics): ReadonlySet<string> {
  const references = new Set<string>();
  for (const [id, run] of catalog.references) {
    const origin = catalog.origins.get(run);
    if (!origin) continue;
    const fail = (path: DataPath, reason: string, ruleId: 'unknown-id' | 'invalid-value') => {
      diagnostics.error(origin.source.path, reason, positionAt(origin.source, [...origin.path, ...path]), ruleId);
      references.add(id);
    };
    if (isInvalidId(catalog, 'model', run.model)) references.add(id);
    else if (!catalog.models.has(run.model))
      fail(['model'], unknownIdReason('model', run.model, catalog.models.keys()), 'unknown-id');
    if (isInferenceReference(run)) {
      if (isInvalidId(catalog, 'hardware', run.hardware)) references.add(id);
      else if (!catalog.hardware.has(run.hardware))
        fail(['hardware'], unknownIdReason('hardware', run.hardware, catalog.hardware.keys()), 'unknown-id');
      continue;
    }
    if (!run.cluster) continue;
    const hardware = catalog.hardware.get(run.cluster.hardware);
    if (isInvalidId(catalog, 'hardware', run.cluster.hardware)) references.add(id);
    else if (!hardware)
      fail(
        ['cluster', 'hardware'],
        unknownIdReason('hardware', run.cluster.hardware, catalog.hardware.keys()),
        'unknown-id',
      );
    else if (hardware.peak_tflops[run.precision] === undefined) {
      fail(
        ['precision'],
        `Hardware \`${hardware.id}\` does not support ${run.precision}, expected one of ${availablePrecisions(hardware.peak_tflops)}`,
        'invalid-value',
      );
    }
    const batchless = run.stages ? false : run.workload?.global_batch_tokens === undefined;
    if (run.reported.metric !== 'training_flops' && (!run.cluster || batchless)) {
      fail(
        ['reported', 'metric'],
        `A ${run.reported.metric} reference needs \`cluster\` and \`workload.global_batch_tokens\` to be predicted`,
        'invalid-value',
      );
    }
  }
  return references;
}

export function availablePrecisions(peak: Partial<Record<Precision, number>> & {source: string}): string {
  return Object.keys(peak)
    .filter((key) => key !== 'source')
    .map((key) => `\`${key}\``)
    .join(', ');
}
