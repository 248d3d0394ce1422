import type {Catalog} from '../data/catalog.js';
import {countParameters, relativeDifference} from '../estimate/parameters.js';
import type {CheckProblem} from './check-problem.js';

/** How far a computed parameter count may stray from the declared one before it is worth a warning. */
export const DECLARED_PARAMS_TOLERANCE = 0.02;

/**
 * Compare the parameter counts computed from each model's architecture with
 * the counts its authors declare; a gap beyond 2% usually means a wrong field.
 */
export function checkDeclaredParameters(catalog: Catalog): CheckProblem[] {
  const problems: CheckProblem[] = [];
  for (const model of catalog.models.values()) {
    const counts = countParameters(model);
    const checks = [
      {field: 'params_total', computed: counts.totalParams, declared: model.declared.params_total},
      {
        field: 'params_active',
        computed:
          counts.activeParams - (model.declared.active_excludes_embedding === true ? counts.embeddingParams : 0),
        declared: model.declared.params_active,
      },
    ];
    for (const {field, computed, declared} of checks) {
      if (declared === undefined) continue;
      const difference = relativeDifference(computed, declared);
      if (Math.abs(difference) <= DECLARED_PARAMS_TOLERANCE) continue;
      problems.push({
        severity: 'warning',
        collection: 'models',
        id: model.id,
        path: ['declared', field],
        message:
          `Model \`${model.id}\`: ${field} computed from the architecture is ${formatCount(computed)}, ` +
          `${(difference * 100).toFixed(1)}% from the declared ${formatCount(declared)}, expected within ${DECLARED_PARAMS_TOLERANCE * 100}%`,
        rule: 'parameter-count',
      });
    }
  }
  return problems;
}

function formatCount(count: number): string {
  return `${(count / 1e9).toFixed(2)}B`;
}
