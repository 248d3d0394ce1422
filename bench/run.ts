/**
 * `npm run bench` (`node dist/bench.js --scale [sizes] [rounds]` for the first table only, e.g.
 * `--scale 10,200 1`).
 * First speed at scale (bench/scale.ts): generated 10-, 50- and 200-report
 * sites, cold against the floor, peak memory, incremental rebuilds. Then the build-speed goals, as ratios
 * measured in the same run on the same machine (absolute times are for
 * context only): the cold build of the default site against the
 * single-threaded sum of its bare library calls (MDX compile and evaluate,
 * Vega `toSVG`; goal: within 0.8×), the same for a generated site of 10
 * reports with 5 charts each, the default build's peak memory (goal: under
 * 300 MB) and start-up (`--version`, goal: under 150 ms). Then incremental
 * builds, the estimators, uncertainty, PDF export and the explorer in the
 * browser (script size; input change to redrawn estimate, goal: under
 * 100 ms), and a summary of the goals. `node dist/bench.js serving` runs the
 * serving estimator's alone, `node dist/bench.js estimators` both estimators'.
 */
import {cp, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {
  BARE_COLD_FLAG,
  benchBuildVsBare,
  BUILD_VS_BARE_GOAL,
  printColdBareCalls,
  type BuildVsBareResult,
} from './build-vs-bare.js';
import {benchEstimator} from './estimator.js';
import {FLOOR_FLAG, runFloor} from './floor.js';
import {benchExplorer, EXPLORER_REDRAW_GOAL_MS} from './explorer.js';
import {CHARTS_PER_REPORT, generateSite} from './generate-site.js';
import {benchIncremental} from './incremental.js';
import {benchPdf} from './pdf.js';
import {benchServing} from './serving.js';
import {formatKib} from './peak-memory.js';
import {benchScale} from './scale.js';
import {measureStartup, STARTUP_GOAL_MS} from './startup.js';
import {benchUncertainty} from './uncertainty.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const BENCH = path.join(REPO, 'dist', 'bench.js');
/** `node dist/bench.js --scale`: the speed-at-scale table only. */
const SCALE_FLAG = '--scale';
const GENERATED_REPORTS = 10;
const PEAK_MEMORY_GOAL_MB = 300;

const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

function section(title: string, lines: readonly string[]): void {
  console.log(`\n${title}`);
  for (const line of lines) console.log(`  ${line}`);
}

async function main() {
  const project = await mkdtemp(path.join(tmpdir(), 'tradeoffs-bench-'));
  await cp(path.join(REPO, 'data'), path.join(project, 'data'), {recursive: true});
  await cp(path.join(REPO, 'templates'), path.join(project, 'templates'), {recursive: true});
  let generated: string | undefined;
  try {
    console.log('tradeoffs bench');

    // Issue #18: cold builds of 10-, 50- and 200-report sites against the floor, memory, incremental rebuilds.
    // `--scale [sizes] [rounds]`: some sizes only (`10,200`), and how many rounds of each (default 3).
    const sizes =
      process.argv[2] === SCALE_FLAG && process.argv[3] ? process.argv[3].split(',').map(Number) : undefined;
    const rounds = process.argv[2] === SCALE_FLAG && process.argv[4] ? Number(process.argv[4]) : undefined;
    section(
      'speed at scale: generated sites against the bare library calls (bench/scale.ts)',
      await benchScale(CLI, BENCH, REPO, rounds, sizes),
    );
    if (process.argv[2] === SCALE_FLAG) return;

    // Build speed, as ratios measured in this run.
    const defaultSite = await benchBuildVsBare(CLI, project);
    section(
      `build vs bare library calls: the default site (goal: cold build within ${BUILD_VS_BARE_GOAL}× the bare calls)`,
      defaultSite.lines,
    );

    const site = await generateSite(REPO, {reports: GENERATED_REPORTS});
    generated = site.root;
    const generatedSite = await benchBuildVsBare(CLI, site.root);
    if (generatedSite.reports !== GENERATED_REPORTS || generatedSite.charts !== GENERATED_REPORTS * CHARTS_PER_REPORT) {
      throw new Error(
        `the generated site built ${generatedSite.reports} report(s) with ${generatedSite.charts} chart(s)`,
      );
    }
    section(
      `build vs bare library calls: a generated site of ${GENERATED_REPORTS} reports × ${CHARTS_PER_REPORT} charts (goal: within ${BUILD_VS_BARE_GOAL}×)`,
      generatedSite.lines,
    );

    const peakMb = (defaultSite.peakKib * 1024) / 1e6;
    section(`peak memory of the default build (goal: under ${PEAK_MEMORY_GOAL_MB} MB)`, [
      `highest peak RSS of the cold build processes above (${defaultSite.peakMethod}): ${formatKib(defaultSite.peakKib)}; goal ${verdict(peakMb < PEAK_MEMORY_GOAL_MB)}`,
      `for comparison, the generated site's: ${formatKib(generatedSite.peakKib)}`,
    ]);

    const startup = await measureStartup();
    section('start-up:', startup.lines);

    section('incremental builds, fresh processes:', await benchIncremental(CLI, project));
    section('training estimator:', await benchEstimator());
    section('serving estimator:', await benchServing());
    section('uncertainty and sensitivity:', await benchUncertainty());
    section('PDF export:', await benchPdf(project));
    const explorer = await benchExplorer(project);
    section('the explorer in Chromium (explore.html):', explorer.lines);

    const ratioLine = (label: string, result: BuildVsBareResult) =>
      `${label}: cold ${result.coldMs.toFixed(0)} ms / warm bare ${result.bareMs.toFixed(0)} ms = ${result.ratio.toFixed(2)}× (${verdict(result.ratio <= BUILD_VS_BARE_GOAL)}); / cold bare ${result.bareColdMs.toFixed(0)} ms = ${result.coldRatio.toFixed(2)}× (${verdict(result.coldRatio <= BUILD_VS_BARE_GOAL)}); goal ≤ ${BUILD_VS_BARE_GOAL}×`;
    section('build-speed goals:', [
      ratioLine('default site', defaultSite),
      ratioLine(`generated site (${GENERATED_REPORTS}×${CHARTS_PER_REPORT})`, generatedSite),
      `peak memory of the default build: ${peakMb.toFixed(0)} MB (goal < ${PEAK_MEMORY_GOAL_MB} MB): ${verdict(peakMb < PEAK_MEMORY_GOAL_MB)}`,
      `tradeoffs --version: ${startup.versionMs.toFixed(1)} ms (goal < ${STARTUP_GOAL_MS} ms): ${verdict(startup.met)}`,
      `explorer, input change to redrawn estimate: ${explorer.redrawMs.toFixed(0)} ms (goal < ${EXPLORER_REDRAW_GOAL_MS} ms): ${verdict(explorer.redrawMs < EXPLORER_REDRAW_GOAL_MS)}`,
    ]);
  } finally {
    await rm(project, {recursive: true, force: true});
    if (generated) await rm(generated, {recursive: true, force: true});
  }
}

if (process.argv[2] === BARE_COLD_FLAG) await printColdBareCalls(process.argv[3] as string, process.argv[4] as string);
else if (process.argv[2] === FLOOR_FLAG)
  await runFloor(process.argv[3] as string, process.argv[4] as string, process.argv[5] as string);
// `node dist/bench.js serving`: the serving estimator's bench alone.
else if (process.argv[2] === 'serving') section('serving estimator:', await benchServing());
// `node dist/bench.js estimators`: the training and serving estimators' benches alone.
else if (process.argv[2] === 'estimators') {
  section('training estimator:', await benchEstimator());
  section('serving estimator:', await benchServing());
} else await main();
