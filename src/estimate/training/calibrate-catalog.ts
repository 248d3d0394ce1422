import type {Catalog} from '../../data/catalog.js';
import {calibrateRun, type CalibrationRow} from './calibration.js';

/** Calibrate every reference run of the catalog, in id order. */
export function calibrateCatalog(
  catalog: Pick<Catalog, 'references' | 'models' | 'hardware'> & Partial<Pick<Catalog, 'techniques'>>,
): CalibrationRow[] {
  return [...catalog.references.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .flatMap((run) => {
      const model = catalog.models.get(run.model);
      if (!model) return [];
      return [
        calibrateRun(
          run,
          model,
          run.cluster ? catalog.hardware.get(run.cluster.hardware) : undefined,
          catalog.techniques?.values(),
        ),
      ];
    });
}
