import {PerformanceObserver} from 'node:perf_hooks';
import {getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

/**
 * A check to call between reports and pages that collects the garbage of a
 * long build once the heap has grown by `stepBytes` past what was live after
 * the last collection; a step of 0 (the default) leaves collecting to V8.
 *
 * V8 sizes its heap for throughput and collects late: in a 200-report build
 * the build process grew to about 4× what it held live (issue #18). Forced
 * collections at report boundaries bound that, at a price measured with
 * bench (200 generated reports, one cold build each, same machine): with
 * TRADEOFFS_HEAP_STEP_MB=48 the build process peaked at 371 MB instead of
 * 659 MB, but took 133 s of CPU instead of 85 s (each forced collection is a
 * full, stop-the-world one, about 0.2 s with this live set); a step of the
 * live set itself, 466 MB for 121 s; V8's asynchronous collection bounded
 * nothing. So it is off unless asked for: for a machine short of memory.
 */
export function heapTrimmer(stepBytes: number = heapStepBytes()): () => void {
  const collect = stepBytes > 0 ? exposedGc() : undefined;
  if (!collect) return () => undefined;
  let live = getHeapStatistics().used_heap_size;
  return () => {
    if (getHeapStatistics().used_heap_size < live + stepBytes) return;
    collect();
    live = getHeapStatistics().used_heap_size;
  };
}

/**
 * How far V8 lets a build's heap grow past what it held live after a
 * collection before it collects again, as a percentage (V8's
 * `--heap-growing-percent`). A default, measured with bench, not a sourced
 * figure: V8's own factor (up to 4× for a process that collects quickly)
 * let a cold 200-report build's process reach 755 MB; at 20% it reached
 * about 410 MB, and the 10-report build's CPU time did not move beyond the
 * noise of this machine (23.3 s and 23.0 s against 23.5 s and 25.2 s, under load).
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 20;

/** The percentage: TRADEOFFS_HEAP_GROWING_PERCENT when it is a whole number from 1 on, 0 for V8's own factor, else the default. */
export function heapGrowingPercent(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.TRADEOFFS_HEAP_GROWING_PERCENT;
  const value = Number(text);
  return text !== undefined && text !== '' && Number.isInteger(value) && value >= 0
    ? value
    : DEFAULT_HEAP_GROWING_PERCENT;
}

/**
 * Keep this process's heap close to what it holds live (heapGrowingPercent): the
 * build and its template process call it as they start. V8 reads the factor each
 * time it sizes the heap after a collection, so it takes effect at once; 0 leaves V8's own.
 */
export function leanHeapGrowth(percent: number = heapGrowingPercent()): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/** The step: TRADEOFFS_HEAP_STEP_MB when it is a whole number of MB from 1 on, else 0 (V8 alone collects). */
export function heapStepBytes(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.TRADEOFFS_HEAP_STEP_MB);
  return Number.isInteger(value) && value >= 1 ? value * 2 ** 20 : 0;
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

/**
 * The most a build's young generation may grow to, per semi-space, in MB. V8 grows it from 1 MB to 16 MB
 * per semi-space as objects survive, and a 200-report build's process held most of that to its end
 * (issue #18: 50 MB live at 178 MB resident). Measured with bench (200 generated reports, one cold build
 * each, interleaved, machine loaded): the process tree peaked at 317 MB capped at 2 MB against 346 MB
 * uncapped (the build's process 208 MB against 231 MB); at 10 reports 281-283 MB against 311-323 MB, CPU
 * time unchanged within the noise (four pairs: 0.95-1.04×). Node's own `--max-semi-space-size` does the
 * same (301 MB at 2 MB, 310 MB at 4 MB), but a flag on node's command line is not what
 * `node dist/cli.js build` or `npx tradeoffs build` run.
 */
export const BUILD_SEMI_SPACE_MB = 2;

/**
 * Stop the young generation growing once a semi-space reaches `semiSpaceMb`: V8 sizes it at start-up
 * from `--max-semi-space-size` and takes no new maximum at run time, but it reads its growth factor each
 * time it grows it, so a factor of 1 (no growth) set when the size is reached holds it there. Called
 * first thing (the CLI's entry, bin.ts): loading the CLI alone grows it to 4 MB per semi-space.
 */
export function capYoungGeneration(semiSpaceMb: number): void {
  // V8 reports the new space's size as both semi-spaces.
  const capBytes = 2 * semiSpaceMb * 2 ** 20;
  const reached = (): boolean => {
    const space = getHeapSpaceStatistics().find((each) => each.space_name === 'new_space');
    if (!space || space.space_size < capBytes) return false;
    setFlagsFromString('--semi-space-growth-factor=1');
    return true;
  };
  if (reached()) return;
  // It grows only in a collection: look after each.
  const observer = new PerformanceObserver(() => {
    if (reached()) observer.disconnect();
  });
  observer.observe({entryTypes: ['gc']});
}

/**
 * The most a large site's template process's young generation may grow to, per semi-space, in MB (V8's own
 * grows it to 16 MB). The template process holds about the same whatever the site's size, the build's process
 * grows with it, and the two add up (issue #18). Measured with /proc sampling every 50 ms, one cold build each,
 * machine shared: at 200 generated reports the tree peaked at 299-303 MiB uncapped, 285 MiB capped at 8 MB,
 * 274 MiB at 4 MB, 269-270 MiB at 2 MB (the template process 147-153, 133, 127, 121-123 MiB). A small young
 * generation costs the template process CPU in scavenges, in proportion to what its templates allocate: at 200
 * reports, capped at 2 MB, 54.1 s against 44.8 s (15,402 scavenges against 1,891; the build 121.8 s against
 * 114.9 s); at 10 reports 19.4-20.2 s against 18.2-18.3 s (three interleaved pairs), at 4 MB 18.8-19.6 s.
 * 4 MB: about half the scavenges of 2 MB for most of the memory.
 */
export const TEMPLATE_SEMI_SPACE_MB = 4;

/**
 * From how many reports a site's template process runs with its young generation capped
 * (TEMPLATE_SEMI_SPACE_MB). A small site's tree stays well under 300 MB uncapped (262-266 MiB, 275-279 MB, at
 * 10 reports), and there the cap's CPU is the largest share of the build's (about 6% at 2 MB). The tree grew
 * by about 0.2 MiB a report uncapped, reaching 300 MB near 130 reports: from 50 on, a site is capped with
 * margin.
 */
export const LEAN_TEMPLATE_PROCESS_FROM_REPORTS = 50;

/** The template process's young generation cap for a site of `reports` reports, in MB per semi-space: TEMPLATE_SEMI_SPACE_MB for a large site, else none (V8's own). */
export function templateSemiSpaceMb(reports: number): number | undefined {
  return reports >= LEAN_TEMPLATE_PROCESS_FROM_REPORTS ? TEMPLATE_SEMI_SPACE_MB : undefined;
}
