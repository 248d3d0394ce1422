import {printedNumbers, type AnyEstimate} from './kinds.js';

/**
 * The numbers of an estimate a page may print that are not finite
 * (`costUsd = Infinity`), as `name = value`: data that is valid number by
 * number can still overflow once multiplied out. A point marked infeasible
 * (its layout does not fit) has none: it is not a number to print, and its
 * reason is.
 */
export function nonFiniteOutputs(estimate: AnyEstimate): string[] {
  if ('infeasible' in estimate && estimate.infeasible) return [];
  return printedNumbers(estimate)
    .filter(([, value]) => value !== undefined && !Number.isFinite(value))
    .map(([name, value]) => `${name} = ${value}`);
}

/**
 * Why an estimate is refused, in the one wording the build, the `estimate`
 * command and the explorer share: the scenario, up to four numbers that are
 * not finite, and the file its inputs are in (when known).
 */
export function nonFiniteReason(scenarioId: string, overflowing: readonly string[], file?: string): string {
  const named = `${overflowing.slice(0, 4).join(', ')}${overflowing.length > 4 ? ', …' : ''}`;
  const where = file === undefined ? 'an input' : `an input in ${file}, or of its model or hardware,`;
  return `The estimate of \`${scenarioId}\` is not a finite number (${named}): ${where} is far too large or too small, expected realistic magnitudes`;
}
