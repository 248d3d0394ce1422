import type {Catalog} from '../data/catalog.js';
import {placeOf, withoutRecords} from '../data/catalog.js';
import type {DataPath} from '../data/yaml-source.js';
import type {Diagnostics, RuleId} from '../diagnostics/diagnostics.js';

/** A catalog collection whose records a check can drop. */
export type CheckedCollection = 'models' | 'scenarios' | 'references';

/**
 * Something a check found in one record: where (the record, and the path of
 * the field inside it), what, and how bad. An error drops the record from the
 * checked catalog; a warning only informs.
 */
export interface CheckProblem {
  readonly severity: 'error' | 'warning';
  readonly collection: CheckedCollection;
  readonly id: string;
  /** The field the problem is at, relative to the record. */
  readonly path: DataPath;
  readonly message: string;
  readonly rule: RuleId;
}

/**
 * Report problems at their fields (in the order found) and return the
 * catalog without the records that have errors.
 */
export function applyProblems(catalog: Catalog, problems: readonly CheckProblem[], diagnostics: Diagnostics): Catalog {
  const drops: Record<CheckedCollection, Set<string>> = {
    models: new Set(),
    scenarios: new Set(),
    references: new Set(),
  };
  for (const problem of problems) {
    const record = catalog[problem.collection].get(problem.id);
    const origin = record && catalog.origins.get(record);
    if (!origin) continue;
    const {file, place} = placeOf(origin, problem.path);
    if (problem.severity === 'error') {
      diagnostics.error(file, problem.message, place, problem.rule);
      drops[problem.collection].add(problem.id);
    } else {
      diagnostics.warn(file, problem.message, place, problem.rule);
    }
  }
  return withoutRecords(catalog, drops);
}
