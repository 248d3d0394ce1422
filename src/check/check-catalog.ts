import type {Catalog} from '../data/catalog.js';
import {loadCatalog, type DataReader} from '../data/load-catalog.js';
import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {applyProblems} from './check-problem.js';
import {checkCatalog} from './check-records.js';
import {checkSameSetups} from './same-setup.js';

export {checkCatalog};

/**
 * Load a project's data (src/data/) and check it: the catalog every later
 * stage reads. Besides each record's own checks (check-records.ts), a
 * project is checked as a whole: a warning when two scenarios that are not
 * variants of one another describe the same setup under different
 * assumptions (same-setup.ts).
 */
export async function loadCheckedCatalog(
  root: string,
  diagnostics: Diagnostics,
  reader?: DataReader,
): Promise<Catalog> {
  const checked = checkCatalog(await loadCatalog(root, diagnostics, reader), diagnostics);
  return applyProblems(checked, checkSameSetups(checked), diagnostics);
}
