import type {Catalog} from '../../data/catalog.js';
import {isInferenceReference, referenceStages, type ReferenceRun} from '../../data/schemas/reference.js';
import {byKey} from '../../tool/compare.js';
import {profileModel} from '../model-profile.js';
import {predictableStage, referenceRunInputs} from './calibration.js';
import {layoutConstraints} from './inputs.js';
import type {Layout} from './layout.js';
import {leastMemoryReading} from './search.js';

/** One published run's evidence about the memory model. */
export interface MemoryEvidenceRow {
  readonly id: string;
  readonly hardwareId: string;
  /** Whether the run's source states its recomputation (else the least memory-hungry reading recomputes as much as it can, and says little). */
  readonly recomputeStated: boolean;
  /** The least memory-hungry layout the published knobs allow, and what the model says it needs per GPU. */
  readonly layout: Layout;
  readonly predictedBytes: number;
  readonly capacityBytes: number;
  /** predictedBytes / capacityBytes: above 1, the model over-predicts the run's memory by at least this much. */
  readonly ratio: number;
}

export interface MemoryEvidence {
  readonly rows: readonly MemoryEvidenceRow[];
  /** Over the runs that state their recomputation: the largest ratio (the model's least known over-prediction) and the median. */
  readonly stated: {readonly runs: number; readonly largest: number | undefined; readonly median: number | undefined};
}

/**
 * The memory model against the published runs: every reference run with a
 * stated layout trained on it, so it fitted in its chip's memory. For each,
 * the least memory-hungry reading of its published knobs (the knobs its
 * source leaves out chosen to need the least) over the chip's memory: a
 * ratio above 1 is a known over-prediction, one below 1 says nothing
 * against the model. Runs that leave recomputation out are listed apart, as
 * their least reading recomputes everything.
 */
export function memoryEvidence(
  catalog: Pick<Catalog, 'references' | 'models' | 'hardware' | 'techniques'>,
): MemoryEvidence {
  const rows: MemoryEvidenceRow[] = [];
  const runs = [...catalog.references.values()]
    .filter((run): run is ReferenceRun => !isInferenceReference(run))
    .sort(byKey((run) => run.id));
  for (const run of runs) {
    const model = catalog.models.get(run.model);
    const hardware = run.cluster && catalog.hardware.get(run.cluster.hardware);
    if (!model || !hardware) continue;
    const stages = referenceStages(run);
    for (const stage of stages) {
      const inputs = predictableStage(stage);
      if (!inputs || !stage.parallelism) continue;
      const {limits, setup, rates} = referenceRunInputs(run, inputs, hardware, catalog.techniques.values());
      const least = leastMemoryReading(profileModel(model), setup, rates, layoutConstraints(stage.parallelism, limits));
      if (!least) continue;
      rows.push({
        id: stages.length > 1 ? `${run.id} (${stage.name})` : run.id,
        hardwareId: hardware.id,
        recomputeStated: stage.parallelism.recompute !== undefined,
        layout: least.layout,
        predictedBytes: least.memory.totalBytes,
        capacityBytes: least.memory.capacityBytes,
        ratio: least.memory.totalBytes / least.memory.capacityBytes,
      });
    }
  }
  const ratios = rows
    .filter((row) => row.recomputeStated)
    .map((row) => row.ratio)
    .sort((a, b) => a - b);
  const middle = ratios.length / 2;
  return {
    rows,
    stated: {
      runs: ratios.length,
      largest: ratios.at(-1),
      median:
        ratios.length === 0
          ? undefined
          : ratios.length % 2 === 1
            ? ratios[Math.floor(middle)]
            : ((ratios[middle - 1] as number) + (ratios[middle] as number)) / 2,
    },
  };
}
