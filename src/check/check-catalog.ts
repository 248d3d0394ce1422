import type {Catalog} from '../data/catalog.js';
import {loadCatalog, type DataReader} from '../data/load-catalog.js';
import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {checkCatalog} from './check-records.js';

export {checkCatalog};

/** Load a project's data (src/data/) and check it: the catalog every later stage reads. */
export async function loadCheckedCatalog(
  root: string,
  diagnostics: Diagnostics,
  reader?: DataReader,
): Promise<Catalog> {
  return checkCatalog(await loadCatalog(root, diagnostics, reader), diagnostics);
}
