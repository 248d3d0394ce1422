/**
 * Speed at scale (issue #18): the generated 10-, 50- and 200-report sites
 * (bench/generate-site.ts, 5 charts each), each built cold and made by the
 * floor (bench/floor.ts: the bare library calls, one thread, fresh process),
 * interleaved, in this one run; then, on the same site with its cache, a
 * rebuild with nothing changed and one after a prose edit of one report.
 *
 * Wall time, CPU time (user + system, the template process included) and
 * peak memory of fresh processes. Peak memory is the most the build's whole
 * process tree held at once (the build and its template process, sampled
 * from /proc every 20 ms), next to the largest single process's peak (GNU
 * time's %M, as a one-process tool would be measured).
 */
import {spawn} from 'node:child_process';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {FLOOR_FLAG} from './floor.js';
import {generateSite} from './generate-site.js';

export const SCALE_SIZES = [10, 50, 200] as const;

/** Goals of issue #18, as ratios measured in one run. */
const GOALS = {coldWall: 0.8, coldCpu: 1.0, peakMb: 300, editShare: 0.1, noChangeShare: 0.05};

interface Measured {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Most the process tree held at once, kB (sampled). */
  readonly treeKb: number;
  /** Largest single process's peak RSS, kB (GNU time %M). */
  readonly maxKb: number;
  readonly stdout: string;
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** The pids of `pid` and its descendants, from /proc. */
function tree(pid: number): number[] {
  const all = [pid];
  for (let index = 0; index < all.length; index++) {
    const each = all[index] as number;
    try {
      for (const task of readdirSync(`/proc/${each}/task`))
        for (const child of readFileSync(`/proc/${each}/task/${task}/children`, 'utf8').trim().split(/\s+/))
          if (child) all.push(Number(child));
    } catch {
      // Gone meanwhile.
    }
  }
  return all;
}

function rssKb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** `node <args>` in a fresh process under GNU time, its process tree's memory sampled meanwhile. */
function measure(args: readonly string[]): Promise<Measured> {
  const report = path.join(tmpdir(), `tradeoffs-scale-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const start = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', report, process.execPath, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  let treeKb = 0;
  const sampler = setInterval(() => {
    if (child.pid === undefined) return;
    // The tree below GNU time: the build and its template process.
    const sum = tree(child.pid)
      .slice(1)
      .reduce((total, pid) => total + rssKb(pid), 0);
    treeKb = Math.max(treeKb, sum);
  }, 20);
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      clearInterval(sampler);
      const wallMs = performance.now() - start;
      const fields = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').at(-1)?.split(' ') : [];
      void rm(report, {force: true});
      if (code !== 0) {
        reject(new Error(`node ${args.join(' ')} exited ${code}:\n${stderr}`));
        return;
      }
      const [, user, system, max] = (fields ?? []).map(Number);
      resolve({wallMs, cpuMs: ((user ?? NaN) + (system ?? NaN)) * 1000, treeKb, maxKb: max ?? NaN, stdout});
    });
  });
}

const mb = (kb: number) => `${((kb * 1024) / 1e6).toFixed(0)} MB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const ratio = (value: number) => `${value.toFixed(2)}×`;
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

export interface ScaleRow {
  readonly reports: number;
  readonly floor: {wallMs: number; cpuMs: number; treeKb: number};
  readonly cold: {wallMs: number; cpuMs: number; treeKb: number; maxKb: number};
  readonly noChangeMs: number;
  readonly editMs: number;
}

/**
 * Build each generated site `rounds` times cold and by the floor, interleaved; then the incremental rebuilds.
 * `sizes` picks some of the sites (`node dist/bench.js --scale 10,200`), for a quicker look; the goals are
 * judged on the first and last of those measured.
 */
export async function benchScale(
  cli: string,
  benchScript: string,
  repo: string,
  rounds = 3,
  sizes: readonly number[] = SCALE_SIZES,
): Promise<string[]> {
  const rows: ScaleRow[] = [];
  for (const reports of sizes) {
    const site = await generateSite(repo, {reports});
    const scratch = await mkdtemp(path.join(tmpdir(), 'tradeoffs-scale-'));
    try {
      const out = path.join(scratch, 'site');
      const cold: Measured[] = [];
      const floor: Measured[] = [];
      for (let round = 0; round < rounds; round++) {
        cold.push(await measure([cli, 'build', '--no-cache', '--force', '--root', site.root, '--out', out]));
        floor.push(await measure([benchScript, FLOOR_FLAG, site.root, out, path.join(scratch, 'floor')]));
      }
      // Incremental: a cache filled by one build, then nothing changed, then one report's prose edited.
      const cache = path.join(scratch, 'cache');
      const cached = [cli, 'build', '--root', site.root, '--out', out, '--cache', cache];
      // Forced: the site in place is the cold builds', up to date for these inputs, and the cache is still empty.
      const filled = await measure([...cached, '--force']);
      if (!filled.stdout.startsWith('Rendering')) throw new Error(`expected the cache filled, got:\n${filled.stdout}`);
      const noChange: number[] = [];
      const edit: number[] = [];
      const template = path.join(site.root, 'templates', 'generated-05.mdx');
      const original = await readFile(template, 'utf8');
      for (let round = 0; round < rounds; round++) {
        const same = await measure(cached);
        if (!same.stdout.startsWith('Up to date')) throw new Error(`expected nothing to do, got:\n${same.stdout}`);
        noChange.push(same.wallMs);
        await writeFile(
          template,
          original.replace('## The sweep', `One more sentence, edit ${round}.\n\n## The sweep`),
        );
        const edited = await measure(cached);
        if (!/^Rendering 1 of \d+ report/.test(edited.stdout))
          throw new Error(`expected one report rendered, got:\n${edited.stdout}`);
        edit.push(edited.wallMs);
      }
      await writeFile(template, original);
      rows.push({
        reports,
        floor: {
          wallMs: median(floor.map((run) => run.wallMs)),
          cpuMs: median(floor.map((run) => run.cpuMs)),
          treeKb: Math.max(...floor.map((run) => run.treeKb)),
        },
        cold: {
          wallMs: median(cold.map((run) => run.wallMs)),
          cpuMs: median(cold.map((run) => run.cpuMs)),
          treeKb: Math.max(...cold.map((run) => run.treeKb)),
          maxKb: Math.max(...cold.map((run) => run.maxKb)),
        },
        noChangeMs: median(noChange),
        editMs: median(edit),
      });
    } finally {
      await rm(scratch, {recursive: true, force: true});
      await rm(site.root, {recursive: true, force: true});
    }
  }
  const first = rows[0] as ScaleRow;
  const perPage = (row: ScaleRow) => row.cold.wallMs / row.reports;
  const lines = [
    `medians of ${rounds} fresh processes each, cold builds and floor interleaved; peak RSS: the build's process tree at once (largest single process)`,
    '',
    '| reports | floor wall | floor CPU | floor RSS | cold wall | ×floor | cold CPU | ×floor | peak RSS | per report | no change | one-report edit |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...rows.map(
      (row) =>
        `| ${row.reports} | ${ms(row.floor.wallMs)} | ${ms(row.floor.cpuMs)} | ${mb(row.floor.treeKb)} | ${ms(row.cold.wallMs)} | ${ratio(row.cold.wallMs / row.floor.wallMs)} | ${ms(row.cold.cpuMs)} | ${ratio(row.cold.cpuMs / row.floor.cpuMs)} | ${mb(row.cold.treeKb)} (${mb(row.cold.maxKb)}) | ${ms(perPage(row))} | ${ms(row.noChangeMs)} (${((row.noChangeMs / row.cold.wallMs) * 100).toFixed(1)}%) | ${ms(row.editMs)} (${((row.editMs / row.cold.wallMs) * 100).toFixed(1)}%) |`,
    ),
    '',
  ];
  const last = rows.at(-1) as ScaleRow;
  lines.push(
    `goal: ${first.reports}-report cold wall ≤ ${GOALS.coldWall}× floor: ${ratio(first.cold.wallMs / first.floor.wallMs)}, ${verdict(first.cold.wallMs / first.floor.wallMs <= GOALS.coldWall)}`,
    `goal: ${first.reports}-report cold CPU ≤ ${GOALS.coldCpu}× floor: ${ratio(first.cold.cpuMs / first.floor.cpuMs)}, ${verdict(first.cold.cpuMs / first.floor.cpuMs <= GOALS.coldCpu)}`,
    `goal: ${last.reports}-report peak RSS < ${GOALS.peakMb} MB: ${mb(last.cold.treeKb)} (tree), ${verdict((last.cold.treeKb * 1024) / 1e6 < GOALS.peakMb)}`,
    `goal: ${last.reports}-report time per report no worse than at ${first.reports}: ${ms(perPage(last))} vs ${ms(perPage(first))}, ${verdict(perPage(last) <= perPage(first))}`,
    `goal: ${last.reports}-report one-report edit ≤ ${GOALS.editShare * 100}% of cold: ${((last.editMs / last.cold.wallMs) * 100).toFixed(1)}%, ${verdict(last.editMs / last.cold.wallMs <= GOALS.editShare)}`,
    `goal: ${last.reports}-report no-change rebuild ≤ ${GOALS.noChangeShare * 100}% of cold: ${((last.noChangeMs / last.cold.wallMs) * 100).toFixed(1)}%, ${verdict(last.noChangeMs / last.cold.wallMs <= GOALS.noChangeShare)}`,
  );
  return lines;
}
