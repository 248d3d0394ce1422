import type {Catalog} from '../../data/catalog.js';
import {isInferenceReference, type ReferenceRun} from '../../data/schemas/reference.js';
import {calibrateRun, type CalibrationRow} from './calibration.js';

/** Calibrate every reference run of the catalog, in id order. */
export function calibrateCatalog(catalog: Pick<Catalog, 'references' | 'models' | 'hardware'>): CalibrationRow[] {
  return [...catalog.references.values()]
    .filter((run): run is ReferenceRun => !isInferenceReference(run))
    .sort((a, b) => a.id.localeCompare(b.id))
    .flatMap((run) => {
      const model = catalog.models.get(run.model);
      if (!model) return [];
      return [calibrateRun(run, model, run.cluster ? catalog.hardware.get(run.cluster.hardware) : undefined)];
    });
}
