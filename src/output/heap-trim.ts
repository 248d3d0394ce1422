import {getHeapStatistics, setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

/**
 * How far the heap may grow past what was live after the last collection
 * before the build collects (a default, sized to a build's work: one report
 * allocates a few MB; measured with bench/scale.ts, issue #18).
 */
export const DEFAULT_HEAP_STEP_BYTES = 48 * 2 ** 20;

/**
 * A check to call between reports that collects the garbage of a long build
 * once the heap has grown by `stepBytes` past its live set. V8 sizes its heap
 * for throughput and collects late: a 200-report build's processes grew to
 * about 4× what they held live (issue #18). Collecting at report boundaries,
 * where little is live, keeps the peak near the live set at the cost of a
 * full collection every few reports. Without a collector to call (V8 refused
 * `--expose-gc`), the check does nothing.
 */
export function heapTrimmer(stepBytes: number = DEFAULT_HEAP_STEP_BYTES): () => void {
  const collect = exposedGc();
  if (!collect) return () => undefined;
  let live = getHeapStatistics().used_heap_size;
  return () => {
    if (getHeapStatistics().used_heap_size < live + stepBytes) return;
    collect();
    live = getHeapStatistics().used_heap_size;
  };
}

/** V8's `gc()`: exposed at run time in a new context (the process was not started with `--expose-gc`). */
function exposedGc(): (() => void) | undefined {
  const existing = (globalThis as {gc?: unknown}).gc;
  if (typeof existing === 'function') return () => void existing();
  try {
    setFlagsFromString('--expose-gc');
    const collect: unknown = runInNewContext('gc');
    return typeof collect === 'function' ? () => void collect() : undefined;
  } catch {
    return undefined;
  }
}
