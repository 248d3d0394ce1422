import type {BuildLogger, StageTimer} from './build-options.js';

/** A StageTimer that reports each stage's duration to the logger's `onStage`. */
export function stageTimer(onStage: BuildLogger['onStage']): StageTimer {
  return async (stage, work) => {
    const start = performance.now();
    const result = await work();
    onStage?.(stage, performance.now() - start);
    return result;
  };
}
