import type {Catalog} from '../../data/catalog.js';
import {isInferenceReference, referenceStages, type ReferenceRun} from '../../data/schemas/reference.js';
import {byKey} from '../../tool/compare.js';
import {median} from '../calibration/median.js';
import {profileModel} from '../model-profile.js';
import {predictableStage, referenceRunInputs, splitSearched} from './calibration.js';
import {isPublishedLayout, layoutConstraints} from './inputs.js';
import {searchLayouts} from './search.js';

/** One published run's evidence about the tuning gap: the search's fastest layout against the one it was published with. */
export interface TuningGapRow {
  readonly id: string;
  /** Throughput of the search's fastest layout (no published knob fixed) over that of the published layout. */
  readonly ratio: number;
}

export interface TuningGapEvidence {
  readonly rows: readonly TuningGapRow[];
  readonly median: number | undefined;
  /** The quartiles of the ratios (the constant's range). */
  readonly lowerQuartile: number | undefined;
  readonly upperQuartile: number | undefined;
}

/**
 * What a prediction at the search's fastest layout is worth for a run that
 * gives no layout (model-constants.ts tuningGap): on every single-stage run
 * that publishes its tensor or pipeline degree, the estimator's own fastest
 * layout (the techniques of the run's date, nothing else fixed) over the
 * published layout, both at the nominal constants. The reported figures are
 * not read: the ratio is the model's, and says how far the layouts labs run
 * are from the one the search would pick.
 */
export function tuningGapEvidence(
  catalog: Pick<Catalog, 'references' | 'models' | 'hardware' | 'techniques'>,
): TuningGapEvidence {
  const rows: TuningGapRow[] = [];
  const runs = [...catalog.references.values()]
    .filter((run): run is ReferenceRun => !isInferenceReference(run) && run.reported.metric !== 'training_flops')
    .sort(byKey((run) => run.id));
  for (const run of runs) {
    const model = catalog.models.get(run.model);
    const hardware = run.cluster && catalog.hardware.get(run.cluster.hardware);
    const stages = referenceStages(run);
    // A multi-stage run repeats the layouts of the single-stage runs it is counted from.
    if (!model || !hardware || stages.length !== 1) continue;
    const [stage] = stages as [(typeof stages)[number]];
    const inputs = predictableStage(stage);
    if (!inputs || !isPublishedLayout(stage.parallelism) || splitSearched(stage.parallelism)) continue;
    const {limits, setup, rates} = referenceRunInputs(run, inputs, hardware, catalog.techniques.values());
    const profile = profileModel(model);
    const published = searchLayouts(
      profile,
      setup,
      rates,
      layoutConstraints(stage.parallelism, limits, true),
      1,
      false,
    );
    const fastest = searchLayouts(profile, setup, rates, layoutConstraints(undefined, limits), 1, false);
    const [atPublished, atFastest] = [published.ranked[0], fastest.ranked[0]];
    if (!atPublished || !atFastest) continue;
    rows.push({id: run.id, ratio: atFastest.tokensPerSecondPerGpu / atPublished.tokensPerSecondPerGpu});
  }
  const ratios = rows.map((row) => row.ratio).sort((a, b) => a - b);
  const half = Math.floor(ratios.length / 2);
  return {
    rows,
    median: median(ratios),
    // The medians of the lower and upper halves (Tukey's hinges).
    lowerQuartile: median(ratios.slice(0, ratios.length % 2 === 1 ? half + 1 : half)),
    upperQuartile: median(ratios.slice(half)),
  };
}
