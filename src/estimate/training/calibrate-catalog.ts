import type {Catalog} from '../../data/catalog.js';
import {calibrateRun, type CalibrationRow} from './calibration.js';
import {byKey} from '../../tool/compare.js';

/** Calibrate every reference run of the catalog, in id order. */
export function calibrateCatalog(catalog: Pick<Catalog, 'references' | 'models' | 'hardware'>): CalibrationRow[] {
  return [...catalog.references.values()].sort(byKey((run) => run.id)).flatMap((run) => {
    const model = catalog.models.get(run.model);
    if (!model) return [];
    return [calibrateRun(run, model, run.cluster ? catalog.hardware.get(run.cluster.hardware) : undefined)];
  });
}
