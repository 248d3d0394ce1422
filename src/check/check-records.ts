import type {Catalog} from '../data/catalog.js';
import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {applyProblems} from './check-problem.js';
import {checkDeclaredParameters} from './declared.js';
import {checkInference} from './inference.js';
import {checkLayouts} from './layouts.js';

/**
 * Check that a loaded catalog's records make sense to the estimator: declared
 * parameter counts match the architecture, training layouts divide what they
 * split and fit in memory, serving deployments divide the model and fit. Each
 * problem is reported at its field; the catalog returned leaves out every
 * record with an error, so later stages only see records they can estimate.
 * Pure (no file is read): the in-browser explorer checks a reader's scenario
 * with it too.
 */
export function checkCatalog(catalog: Catalog, diagnostics: Diagnostics): Catalog {
  const checked = applyProblems(catalog, checkDeclaredParameters(catalog), diagnostics);
  return applyProblems(checked, [...checkLayouts(checked), ...checkInference(checked)], diagnostics);
}
