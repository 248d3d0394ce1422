/**
 * A project's cold build against the bare library calls that bound it
 * (goal: a cold build within 0.8× the single-threaded sum of its
 * bare library calls). Ratios from one run on one machine.
 *
 * - Cold build, as users run it: `node dist/cli.js build --no-cache --force
 *   --root <project> --out <tmp>` in a fresh process, median of 3, with the
 *   process's peak RSS (bench/peak-memory.ts).
 * - Bare calls, in this process, one after the other: MDX `compile` of every
 *   template (the options of src/render/compile-template.ts: function body,
 *   development mode, remark-frontmatter, remark-gfm; no source map), MDX
 *   `run` and evaluation of each with the tool's scope and components (the
 *   estimates a template asks for are computed here, as nothing precomputes
 *   them), and Vega-Lite `compile` + Vega `View.toSVG()` of every chart spec
 *   the cold build wrote (its `<report>/figure-*.vl.json`), with the site's
 *   theme and text metrics so the SVG is the build's. A fresh scope per
 *   round, so no estimate is remembered from the round before; median of the
 *   rounds' sums. Loading the data, page layout and writing are not bare
 *   calls: they count against the build.
 * - For context, an in-process build (`buildSite`, no cache, forced) split by
 *   stage.
 */
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {compile, run} from '@mdx-js/mdx';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import {parse, View} from 'vega';
import {compile as compileVegaLite, type TopLevelSpec} from 'vega-lite';
import {z} from 'zod';
import {checkChartSpec} from '../src/charts/check-spec.js';
import {useFontMetrics} from '../src/charts/text-metrics.js';
import {chartTheme} from '../src/charts/theme.js';
import {loadCheckedCatalog} from '../src/check/check-catalog.js';
import {Diagnostics} from '../src/diagnostics/diagnostics.js';
import {diskEffects} from '../src/build/build-effects.js';
import {buildSite} from '../src/build/build-site.js';
import type {BuildStage} from '../src/build/build-options.js';
import {createComponents, pageScope} from '../src/render/components/index.js';
import {createPageState} from '../src/render/components/page-state.js';
import {createHastRuntime} from '../src/render/jsx-runtime.js';
import {createTemplateScope} from '../src/render/template-scope.js';
import {formatKib, peakMethod, runNodeMeasured, type PeakMethod} from './peak-memory.js';

/** Goal: the cold build takes at most this share of the bare calls' single-threaded sum. */
export const BUILD_VS_BARE_GOAL = 0.8;

export interface BuildVsBareOptions {
  /** Fresh cold-build processes (default 3). */
  readonly coldRuns?: number;
  /** Rounds of the bare calls (default 5). */
  readonly bareRounds?: number;
  /** In-process builds for the stage split (default 3). */
  readonly stageRounds?: number;
}

export interface BuildVsBareResult {
  readonly reports: number;
  readonly charts: number;
  /** Median wall-clock time of the cold builds. */
  readonly coldMs: number;
  /** Median over rounds of the bare calls' sum. */
  readonly bareMs: number;
  /** coldMs / bareMs. */
  readonly ratio: number;
  /** The bare calls as a fresh single-threaded program runs them: their first round in a fresh process (median of runs). */
  readonly bareColdMs: number;
  /** coldMs / bareColdMs: a cold build against the cold bare calls. */
  readonly coldRatio: number;
  /** Highest peak RSS of the cold builds, KiB. */
  readonly peakKib: number;
  readonly peakMethod: PeakMethod;
  /** The cold build's stderr (warnings), empty when it printed none. */
  readonly warnings: string;
  readonly lines: string[];
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

export async function benchBuildVsBare(
  cli: string,
  project: string,
  options: BuildVsBareOptions = {},
): Promise<BuildVsBareResult> {
  const coldRuns = options.coldRuns ?? 3;
  const bareRounds = options.bareRounds ?? 5;
  const stageRounds = options.stageRounds ?? 3;
  const scratch = await mkdtemp(path.join(tmpdir(), 'tradeoffs-bench-build-'));
  try {
    // (a) The cold build as users run it: fresh processes, nothing cached, never "up to date".
    const method = peakMethod();
    const cold: number[] = [];
    const peaks: number[] = [];
    let built: {reports: number; charts: number} | undefined;
    let warnings = '';
    const firstSite = path.join(scratch, 'site-0');
    for (let index = 0; index < coldRuns; index++) {
      const out = path.join(scratch, `site-${index}`);
      const result = runNodeMeasured(cli, ['build', '--no-cache', '--force', '--root', project, '--out', out], method);
      if (result.status !== 0) throw new Error(`cold build of ${project} failed (${result.status}):\n${result.stderr}`);
      const summary = /Built (\d+) report\(s\) with (\d+) chart\(s\)/.exec(result.stdout);
      if (!summary) throw new Error(`unexpected build output:\n${result.stdout}`);
      built = {reports: Number(summary[1]), charts: Number(summary[2])};
      if (index === 0) warnings = result.stderr.trim();
      else await rm(out, {recursive: true, force: true});
      cold.push(result.ms);
      peaks.push(result.peakKib);
    }
    if (!built) throw new Error('no cold build ran');

    // (b) The same content through the bare library calls.
    const specs = await chartSpecs(firstSite);
    if (specs.length !== built.charts)
      throw new Error(`the build drew ${built.charts} chart(s) but wrote ${specs.length} spec(s)`);
    const bare = await bareCalls(project, specs, bareRounds);
    // The same calls cold, as the build makes them: once each, in a fresh process (JIT and modules cold,
    // process start-up and imports not counted).
    const bareCold: number[] = [];
    for (let index = 0; index < coldRuns; index++) {
      const result = runNodeMeasured(process.argv[1] as string, [BARE_COLD_FLAG, project, firstSite], method);
      if (result.status !== 0) throw new Error(`cold bare calls failed (${result.status}):\n${result.stderr}`);
      bareCold.push(Number(result.stdout.trim()));
    }

    // (c) For context: an in-process build, split by stage.
    const stages = new Map<BuildStage, number[]>();
    const totals: number[] = [];
    for (let round = 0; round < stageRounds; round++) {
      const perStage = new Map<BuildStage, number>();
      const start = performance.now();
      await buildSite(
        {root: project, cacheDir: null, force: true},
        diskEffects(project, path.join(scratch, 'in-process'), {
          onStage: (stage, time) => perStage.set(stage, (perStage.get(stage) ?? 0) + time),
        }),
      );
      totals.push(performance.now() - start);
      for (const [stage, time] of perStage) stages.set(stage, [...(stages.get(stage) ?? []), time]);
    }

    const coldMs = median(cold);
    const ratio = coldMs / bare.total;
    const bareColdMs = median(bareCold);
    const coldRatio = coldMs / bareColdMs;
    const peakKib = Math.max(...peaks);
    const inProcess = median(totals);
    const lines = [
      `${built.reports} report(s), ${built.charts} chart(s)`,
      `cold build, fresh process (build --no-cache --force), median of ${coldRuns}: ${ms(coldMs)}  (runs: ${cold.map((value) => value.toFixed(0)).join(', ')} ms)`,
      `  peak RSS (${method}), highest of ${coldRuns}: ${formatKib(peakKib)}`,
      `  warnings: ${warnings === '' ? 'none' : (warnings.split('\n').at(-1) ?? '')}`,
      `bare library calls, single-threaded, median of ${bareRounds} rounds:`,
      `  MDX compile                               ${ms(bare.compile).padStart(9)}`,
      `  MDX run + evaluate (estimates included)   ${ms(bare.evaluate).padStart(9)}`,
      `  Vega-Lite compile + Vega toSVG            ${ms(bare.charts).padStart(9)}`,
      `  sum                                       ${ms(bare.total).padStart(9)}`,
      `bare library calls, cold: their first round in a fresh process, median of ${coldRuns}: ${ms(bareColdMs)}  (runs: ${bareCold.map((value) => value.toFixed(0)).join(', ')} ms)`,
      `ratio cold build / warm bare calls: ${ratio.toFixed(2)}× (goal: within ${BUILD_VS_BARE_GOAL}×): ${verdict(ratio <= BUILD_VS_BARE_GOAL)}`,
      `ratio cold build / cold bare calls: ${coldRatio.toFixed(2)}× (goal: within ${BUILD_VS_BARE_GOAL}×): ${verdict(coldRatio <= BUILD_VS_BARE_GOAL)}`,
      `in-process build by stage (buildSite, no cache, forced), median of ${stageRounds}:`,
      ...[...stages].map(([stage, times]) => `  ${stage.padEnd(9)} ${ms(median(times)).padStart(9)}`),
      `  ${'total'.padEnd(9)} ${ms(inProcess).padStart(9)}  (cold process / in-process: ${(coldMs / inProcess).toFixed(2)}×)`,
    ];
    return {
      ...built,
      coldMs,
      bareMs: bare.total,
      ratio,
      bareColdMs,
      coldRatio,
      peakKib,
      peakMethod: method,
      warnings,
      lines,
    };
  } finally {
    await rm(scratch, {recursive: true, force: true});
  }
}

/** `node dist/bench.js --bare-cold <project> <site>`: run the bare calls once and print their sum in ms. */
export const BARE_COLD_FLAG = '--bare-cold';

export async function printColdBareCalls(project: string, site: string): Promise<void> {
  const times = await bareCalls(project, await chartSpecs(site), 1);
  process.stdout.write(`${times.total}\n`);
}

/** A spec as the site writes it: an object that passes the build's own checks (Vega-Lite checks the rest). */
const chartSpecSchema = z.custom<TopLevelSpec>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value) && checkChartSpec(value).length === 0,
  'expected a Vega-Lite spec',
);

/** Every chart spec a built site holds (`<report>/figure-*.vl.json`), in path order. */
async function chartSpecs(site: string): Promise<TopLevelSpec[]> {
  const specs: TopLevelSpec[] = [];
  for (const entry of (await readdir(site, {withFileTypes: true}))
    .filter((entry) => entry.isDirectory())
    .sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const names = (await readdir(path.join(site, entry.name))).filter((name) => /^figure-\d+\.vl\.json$/.test(name));
    names.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
    for (const name of names)
      specs.push(chartSpecSchema.parse(JSON.parse(await readFile(path.join(site, entry.name, name), 'utf8'))));
  }
  return specs;
}

interface BareTimes {
  readonly compile: number;
  readonly evaluate: number;
  readonly charts: number;
  /** Median of the rounds' sums. */
  readonly total: number;
}

/** The bare library calls for a project's templates and the specs its build drew, `rounds` times. */
async function bareCalls(project: string, specs: readonly TopLevelSpec[], rounds: number): Promise<BareTimes> {
  const folder = path.join(project, 'templates');
  // The reports a build renders: templates/*.mdx but partials (_*.mdx).
  const names = (await readdir(folder)).filter((name) => name.endsWith('.mdx') && !name.startsWith('_')).sort();
  const texts = await Promise.all(names.map((name) => readFile(path.join(folder, name), 'utf8')));
  const diagnostics = new Diagnostics();
  const catalog = await loadCheckedCatalog(project, diagnostics);
  if (diagnostics.hasErrors) throw new Error(`the data of ${project} has errors`);
  // The site's text metrics (Inter), as the build sets them, so labels are measured and placed alike.
  useFontMetrics();
  const compileTimes: number[] = [];
  const evaluateTimes: number[] = [];
  const chartTimes: number[] = [];
  const totals: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let start = performance.now();
    const bodies: string[] = [];
    for (const text of texts) {
      const output = await compile(text, {
        outputFormat: 'function-body',
        development: true,
        remarkPlugins: [remarkFrontmatter, remarkGfm],
        elementAttributeNameCase: 'html',
        stylePropertyNameCase: 'css',
      });
      bodies.push(String(output.value));
    }
    const compileMs = performance.now() - start;

    start = performance.now();
    const scope = createTemplateScope(catalog);
    for (const body of bodies) {
      const state = createPageState();
      const scoped = pageScope(scope, state);
      // As src/render/evaluate-template.ts: the scope's names declared where MDX reads its runtime.
      const code = body.replace(
        '= arguments[0];',
        `= arguments[0]; const {${Object.keys(scoped).join(', ')}} = arguments[0].scope;`,
      );
      const module = await run(code, {...createHastRuntime(), scope: scoped, baseUrl: import.meta.url} as never);
      const content = (module.default as (props: unknown) => unknown)({components: createComponents(scoped, state)});
      if (!content) throw new Error('a template evaluated to nothing');
    }
    const evaluateMs = performance.now() - start;

    start = performance.now();
    for (const spec of specs) {
      const view = new View(parse(compileVegaLite(spec, {config: {...chartTheme, ...(spec.config ?? {})}}).spec), {
        renderer: 'none',
      });
      const svg = await view.toSVG();
      view.finalize();
      if (svg.length === 0) throw new Error('empty SVG');
    }
    const chartsMs = performance.now() - start;

    compileTimes.push(compileMs);
    evaluateTimes.push(evaluateMs);
    chartTimes.push(chartsMs);
    totals.push(compileMs + evaluateMs + chartsMs);
  }
  return {
    compile: median(compileTimes),
    evaluate: median(evaluateTimes),
    charts: median(chartTimes),
    total: median(totals),
  };
}
