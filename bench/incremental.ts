/**
 * Incremental builds, as users run them (fresh CLI processes): a cold build
 * with an empty cache, a rebuild with nothing changed (goal: under 5% of the
 * cold build), and rebuilds after changing one template and one scenario.
 * Medians; ratios to the cold build measured in the same run.
 */
import {spawnSync} from 'node:child_process';
import {readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export async function benchIncremental(cli: string, project: string): Promise<string[]> {
  const cache = path.join(project, '.bench-cache');
  const out = path.join(project, 'bench-site');
  const build = (): {ms: number; stdout: string} => {
    const start = performance.now();
    const result = spawnSync(process.execPath, [cli, 'build', '--root', project, '--out', out, '--cache', cache], {
      encoding: 'utf8',
    });
    const ms = performance.now() - start;
    if (result.status !== 0) throw new Error(`build failed:\n${result.stderr}`);
    return {ms, stdout: result.stdout};
  };
  const cold: number[] = [];
  for (let round = 0; round < 3; round++) {
    await rm(cache, {recursive: true, force: true});
    await rm(out, {recursive: true, force: true});
    cold.push(build().ms);
  }
  const noChange: number[] = [];
  for (let round = 0; round < 7; round++) {
    const {ms, stdout} = build();
    if (!stdout.startsWith('Up to date')) throw new Error(`expected an up-to-date build, got:\n${stdout}`);
    noChange.push(ms);
  }
  const edited = async (
    file: string,
    search: string,
    replace: (round: number) => string,
    rounds: number,
  ): Promise<number[]> => {
    const full = path.join(project, file);
    const original = await readFile(full, 'utf8');
    if (!original.includes(search)) throw new Error(`${file} has no \`${search}\``);
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await writeFile(full, original.replace(search, replace(round)));
      const {ms, stdout} = build();
      if (!/^Rendering 1 of \d+ report/.test(stdout)) throw new Error(`expected one report rendered, got:\n${stdout}`);
      times.push(ms);
    }
    await writeFile(full, original);
    build();
    return times;
  };
  const oneTemplate = await edited(
    'templates/calibration.mdx',
    'title: Calibration against published runs',
    (round) => `title: Calibration against published runs (${round})`,
    3,
  );
  const oneScenario = await edited(
    'data/scenarios/compute-demand-rebound.yaml',
    'pass_through: {low: 0.5, mode: 0.9, high: 1.0}',
    (round) => `pass_through: {low: 0.5, mode: 0.8${round}, high: 1.0}`,
    3,
  );
  const base = median(cold);
  const line = (label: string, times: number[], goal = '') =>
    `${label.padEnd(34)} ${`${median(times).toFixed(0)} ms`.padStart(8)}  ${((median(times) / base) * 100).toFixed(1).padStart(5)}% of cold${goal}`;
  return [
    `${'cold build (empty cache)'.padEnd(34)} ${`${base.toFixed(0)} ms`.padStart(8)}`,
    line('no-change rebuild', noChange, `  (goal < 5%: ${median(noChange) / base < 0.05 ? 'met' : 'NOT met'})`),
    line('one template changed', oneTemplate),
    line('one scenario changed', oneScenario),
  ];
}
