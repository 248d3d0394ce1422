import {printable} from '../diagnostics/printable.js';

/** A field's path as messages name it: `workload.tokens`, `sweep.gpus[2]`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? printable(segment) : `.${printable(segment)}`,
    )
    .join('');
}
