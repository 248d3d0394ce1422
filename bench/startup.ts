/**
 * Start-up of the bundled CLI: `node dist/cli.js --version` in a fresh
 * process (goal: under 150 ms), against a bare `node -e 0` in the
 * same run, so the ratio says what the tool adds to Node's own start. Median
 * of 15 runs of each, interleaved so both see the same machine load. Returns
 * printable lines for `bench/run.ts` (and, from `measureStartup`, the times).
 */
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** The repository root: this module runs as bench/startup.ts or bundled into dist/bench.js. */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

const RUNS = 15;
export const STARTUP_GOAL_MS = 150;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Wall-clock milliseconds of one fresh `node <args>` until it exits; throws unless it exits 0. */
function timeNode(args: readonly string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, {encoding: 'utf8'});
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return elapsed;
}

export interface StartupResult {
  readonly bareMs: number;
  readonly versionMs: number;
  readonly met: boolean;
  readonly lines: string[];
}

export async function benchStartup(): Promise<string[]> {
  return (await measureStartup()).lines;
}

export async function measureStartup(): Promise<StartupResult> {
  // One of each first, unmeasured, so the files are in the page cache.
  timeNode(['-e', '0']);
  timeNode([CLI, '--version']);
  const bare: number[] = [];
  const version: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    bare.push(timeNode(['-e', '0']));
    version.push(timeNode([CLI, '--version']));
  }
  const bareMs = median(bare);
  const versionMs = median(version);
  const met = versionMs < STARTUP_GOAL_MS;
  const lines = [
    `median of ${RUNS} fresh processes each, interleaved`,
    `node -e 0:                     ${bareMs.toFixed(1)} ms`,
    `node dist/cli.js --version:    ${versionMs.toFixed(1)} ms (+${(versionMs - bareMs).toFixed(1)} ms, ratio ${(versionMs / bareMs).toFixed(2)}×)`,
    `goal: --version under ${STARTUP_GOAL_MS} ms: ${met ? 'met' : 'NOT met'}`,
  ];
  return {bareMs, versionMs, met, lines};
}
