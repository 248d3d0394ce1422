import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {countParameters, relativeDifference} from '../estimate/parameters.js';
import type {Catalog} from './catalog.js';
import {positionAt} from './yaml-source.js';

/** How far a computed parameter count may stray from the declared one before it is worth a warning. */
export const DECLARED_PARAMS_TOLERANCE = 0.02;

/**
 * Compare the parameter counts computed from each model's architecture with
 * the counts its authors declare; a gap beyond 2% usually means a wrong field.
 */
export function checkDeclaredParameters(catalog: Catalog, diagnostics: Diagnostics): void {
  for (const model of catalog.models.values()) {
    const origin = catalog.origins.get(model);
    if (!origin) continue;
    const counts = countParameters(model);
    const checks = [
      {field: 'params_total', computed: counts.totalParams, declared: model.declared.params_total},
      {field: 'params_active', computed: counts.activeParams, declared: model.declared.params_active},
    ];
    for (const {field, computed, declared} of checks) {
      if (declared === undefined) continue;
      const difference = relativeDifference(computed, declared);
      if (Math.abs(difference) <= DECLARED_PARAMS_TOLERANCE) continue;
      diagnostics.warn(
        origin.source.path,
        `Model \`${model.id}\`: ${field} computed from the architecture is ${formatCount(computed)}, ` +
          `${(difference * 100).toFixed(1)}% from the declared ${formatCount(declared)}, expected within ${DECLARED_PARAMS_TOLERANCE * 100}%`,
        positionAt(origin.source, [...origin.path, 'declared', field]),
        'parameter-count',
      );
    }
  }
}

function formatCount(count: number): string {
  return `${(count / 1e9).toFixed(2)}B`;
}
