import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {isInvalidId, type Catalog} from './catalog.js';
import {unknownIdReason} from '../diagnostics/nearest-id.js';
import type {Precision} from './schemas/common.js';
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
    if (!origin || scenario.kind === 'demand') continue;
    const fail = (path: DataPath, reason: string, ruleId: 'unknown-id' | 'invalid-value') => {
      diagnostics.error(origin.source.path, reason, positionAt(origin.source, [...origin.path, ...path]), ruleId);
      scenarios.add(id);
    };
    if (isInvalidId(catalog, 'model', scenario.model)) {
      scenarios.add(id);
    } else if (!catalog.models.has(scenario.model)) {
      fail(['model'], unknownIdReason('model', scenario.model, catalog.models.keys()), 'unknown-id');
    }
    const ownHardware =
      scenario.kind === 'training'
        ? {hardwareId: scenario.cluster.hardware, path: ['cluster', 'hardware']}
        : {hardwareId: scenario.hardware, path: ['hardware']};
    const hardwareIds: Array<{hardwareId: string; path: DataPath}> = [
      ownHardware,
      ...(scenario.sweep?.hardware ?? []).map((hardwareId, index) => ({
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
      const peakPrecision = scenario.kind === 'training' ? (scenario.efficiency?.peak_precision ?? 'bf16') : 'bf16';
      if (hardware.peak_tflops[peakPrecision] === undefined) {
        fail(
          ['efficiency', 'peak_precision'],
          `Hardware \`${hardwareId}\` has no ${peakPrecision} peak rate, expected one of ${availablePrecisions(hardware.peak_tflops)}`,
          'invalid-value',
        );
      }
    }
    if (scenario.kind !== 'training') continue;
    const base = catalog.hardware.get(scenario.cluster.hardware);
    if (base && base.peak_tflops[scenario.precision] === undefined) {
      fail(
        ['precision'],
        `Hardware \`${base.id}\` does not support ${scenario.precision}, expected one of ${availablePrecisions(base.peak_tflops)}`,
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
    if (run.reported.metric !== 'training_flops' && (!run.cluster || run.workload.global_batch_tokens === undefined)) {
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
