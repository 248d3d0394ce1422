import {AsyncLocalStorage} from 'node:async_hooks';
import type {BuildLogger, StageTimer} from './build-options.js';

/**
 * A StageTimer that reports each stage's duration to the logger's `onStage`,
 * less the stages timed inside it: printing PDFs runs inside writing the
 * site (from the staged folder, before the swap), and `write 5200 ms, pdf
 * 5000 ms` would say writing took 5.2 s when it took 0.2 s. Each stage
 * thus counts once, and the stages add up to the build.
 */
export function stageTimer(onStage: BuildLogger['onStage']): StageTimer {
  const open = new AsyncLocalStorage<{inner: number}>();
  return async (stage, work) => {
    const outer = open.getStore();
    const frame = {inner: 0};
    const start = performance.now();
    const result = await open.run(frame, work);
    const elapsed = performance.now() - start;
    if (outer) outer.inner += elapsed;
    onStage?.(stage, Math.max(0, elapsed - frame.inner));
    return result;
  };
}
