import type {Catalog} from '../data/catalog.js';
import {loadCatalog, type DataReader} from '../data/load-catalog.js';
import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {applyProblems} from './check-problem.js';
import {checkDeclaredParameters} from './declared.js';
import {checkInference} from './inference.js';
import {checkLayouts} from './layouts.js';
import {checkSameSetups} from './same-setup.js';

/**
 * Check that a loaded catalog's records make sense to the estimator: declared
 * parameter counts match the architecture, training layouts divide what they
 * split and fit in memory, serving deployments divide the model and fit; and
 * warn when two unrelated scenarios describe the same setup under different
 * assumptions. Each problem is reported at its field; the catalog returned
 * leaves out every record with an error, so later stages only see records
 * they can estimate.
 */
export function checkCatalog(catalog: Catalog, diagnostics: Diagnostics): Catalog {
  const checked = applyProblems(catalog, checkDeclaredParameters(catalog), diagnostics);
  const usable = applyProblems(checked, [...checkLayouts(checked), ...checkInference(checked)], diagnostics);
  return applyProblems(usable, checkSameSetups(usable), diagnostics);
}

/** Load a project's data (src/data/) and check it: the catalog every later stage reads. */
export async function loadCheckedCatalog(
  root: string,
  diagnostics: Diagnostics,
  reader?: DataReader,
): Promise<Catalog> {
  return checkCatalog(await loadCatalog(root, diagnostics, reader), diagnostics);
}
