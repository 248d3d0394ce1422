/**
 * Run a fresh Node process and read its wall-clock time and peak resident
 * memory (max RSS): through GNU time (`/usr/bin/time -f %M`) where it
 * works, else through a tiny wrapper module that runs the script in the same
 * process and writes `process.resourceUsage().maxRSS` when it exits. Either
 * way the number is the whole process's, worker threads included (they share
 * its address space); child processes it spawns are not counted.
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

export type PeakMethod = 'GNU time' | 'maxRSS wrapper';

export interface MeasuredRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock milliseconds from spawn to exit. */
  readonly ms: number;
  /** Peak resident set size in kibibytes (NaN when it could not be read). */
  readonly peakKib: number;
}

const GNU_TIME = '/usr/bin/time';

/** The wrapper: drop its own two arguments, report maxRSS (KiB) on exit, run the script. */
const WRAPPER = `import {writeFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';
const [report, script] = process.argv.splice(2, 2);
process.on('exit', () => writeFileSync(report, String(process.resourceUsage().maxRSS)));
await import(pathToFileURL(script).href);
`;

let scratch: string | undefined;
let detected: PeakMethod | undefined;

function scratchDir(): string {
  if (!scratch) {
    const dir = mkdtempSync(path.join(tmpdir(), 'tradeoffs-bench-rss-'));
    writeFileSync(path.join(dir, 'wrapper.mjs'), WRAPPER);
    process.once('exit', () => rmSync(dir, {recursive: true, force: true}));
    scratch = dir;
  }
  return scratch;
}

/** The last line of a GNU time report holds %M (a failing command adds a line before it). */
function readKib(file: string): number {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const value = Number(lines.at(-1));
  return Number.isFinite(value) && value > 0 ? value : Number.NaN;
}

/** GNU time when it runs here and prints a number for %M (BSD time has no -f), else the wrapper. */
export function peakMethod(): PeakMethod {
  if (detected) return detected;
  detected = 'maxRSS wrapper';
  if (existsSync(GNU_TIME)) {
    const report = path.join(scratchDir(), 'probe');
    const probe = spawnSync(GNU_TIME, ['-f', '%M', '-o', report, process.execPath, '-e', '0'], {encoding: 'utf8'});
    if (probe.status === 0 && existsSync(report) && Number.isFinite(readKib(report))) detected = 'GNU time';
  }
  return detected;
}

/** `node <script> <args…>` in a fresh process, timed, with its peak RSS. */
export function runNodeMeasured(
  script: string,
  args: readonly string[],
  method: PeakMethod = peakMethod(),
): MeasuredRun {
  const dir = scratchDir();
  const report = path.join(dir, `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [command, commandArgs] =
    method === 'GNU time'
      ? [GNU_TIME, ['-f', '%M', '-o', report, process.execPath, script, ...args]]
      : [process.execPath, [path.join(dir, 'wrapper.mjs'), report, script, ...args]];
  const start = performance.now();
  const result = spawnSync(command, commandArgs, {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
  const ms = performance.now() - start;
  const peakKib = existsSync(report) ? readKib(report) : Number.NaN;
  rmSync(report, {force: true});
  return {status: result.status, stdout: result.stdout, stderr: result.stderr, ms, peakKib};
}

/** Kibibytes as megabytes (10^6 bytes) and mebibytes, for printing. */
export function formatKib(kib: number): string {
  return `${((kib * 1024) / 1e6).toFixed(0)} MB (${(kib / 1024).toFixed(0)} MiB)`;
}
