/**
 * `npm run bench`: the cold build of the default site, split by stage, and
 * the same content through the bare library calls that bound it (MDX compile
 * and run, Vega-Lite compile and Vega `toSVG`). Ratios come from one run on
 * one machine; absolute times are printed for context only. Then start-up
 * (`--version` against bare Node), the estimator, uncertainty and PDF export.
 */
import {spawnSync} from 'node:child_process';
import {cp, mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {compile, run} from '@mdx-js/mdx';
import {toHtml} from 'hast-util-to-html';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import {parse, View} from 'vega';
import {compile as compileVegaLite, type TopLevelSpec} from 'vega-lite';
import {chartTheme} from '../src/charts/theme.js';
import {buildSite, type BuildStage} from '../src/publish/build-site.js';
import {createHastRuntime} from '../src/render/jsx-runtime.js';
import {createComponents} from '../src/render/components/index.js';
import {createPageState} from '../src/render/components/page-state.js';
import {createTemplateScope} from '../src/render/template-scope.js';
import {loadCatalog} from '../src/data/load-catalog.js';
import {Diagnostics} from '../src/diagnostics/diagnostics.js';
import {benchEstimator} from './estimator.js';
import {benchIncremental} from './incremental.js';
import {benchPdf} from './pdf.js';
import {benchStartup} from './startup.js';
import {benchUncertainty} from './uncertainty.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = 7;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function main() {
  const project = await mkdtemp(path.join(tmpdir(), 'tradeoffs-bench-'));
  await cp(path.join(REPO, 'data'), path.join(project, 'data'), {recursive: true});
  await cp(path.join(REPO, 'templates'), path.join(project, 'templates'), {recursive: true});
  try {
    // 1. A cold build: a fresh process, as `npm run build` runs it.
    const coldStart = performance.now();
    const cold = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'build', '--root', project], {encoding: 'utf8'});
    const coldMs = performance.now() - coldStart;
    if (cold.status !== 0) throw new Error(`cold build failed:\n${cold.stderr}`);

    // 2. Warm in-process builds, split by stage (median over rounds).
    const stages = new Map<BuildStage, number[]>();
    const totals: number[] = [];
    let specs: unknown[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const perStage = new Map<BuildStage, number>();
      const start = performance.now();
      const result = await buildSite({root: project, cacheDir: null, force: true, onStage: (stage, time) => perStage.set(stage, (perStage.get(stage) ?? 0) + time)});
      totals.push(performance.now() - start);
      for (const [stage, time] of perStage) stages.set(stage, [...(stages.get(stage) ?? []), time]);
      specs = result.reports.flatMap((report) => report.assets.filter(([name]) => name.endsWith('.vl.json')).map(([, json]) => JSON.parse(json) as unknown));
    }

    // 3. The same content through the bare library calls.
    const templates = (await import('node:fs/promises')).readdir(path.join(project, 'templates'));
    const texts = await Promise.all((await templates).filter((name) => name.endsWith('.mdx')).map((name) => readFile(path.join(project, 'templates', name), 'utf8')));
    const catalog = await loadCatalog(project, new Diagnostics());
    const bareMdx: number[] = [];
    const bareVega: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let start = performance.now();
      for (const text of texts) {
        const code = String(await compile(text, {outputFormat: 'function-body', remarkPlugins: [remarkFrontmatter, remarkGfm], elementAttributeNameCase: 'html', stylePropertyNameCase: 'css'}));
        const scope = createTemplateScope(catalog);
        const body = code.replace('= arguments[0];', `= arguments[0]; const {${Object.keys(scope).join(', ')}} = arguments[0].scope;`);
        const module = await run(body, {...createHastRuntime(), scope, baseUrl: import.meta.url} as never);
        toHtml((module.default as (props: unknown) => never)({components: createComponents(scope, createPageState())}));
      }
      bareMdx.push(performance.now() - start);
      start = performance.now();
      for (const spec of specs) {
        const topLevel = spec as TopLevelSpec;
        const view = new View(parse(compileVegaLite(topLevel, {config: {...chartTheme, ...(topLevel.config ?? {})}}).spec), {renderer: 'none'});
        const svg = await view.toSVG();
        view.finalize();
        if (svg.length === 0) throw new Error('empty SVG');
      }
      bareVega.push(performance.now() - start);
    }

    const build = median(totals);
    const bare = median(bareMdx) + median(bareVega);
    console.log(`tradeoffs bench (${texts.length} report(s), ${specs.length} chart(s), median of ${ROUNDS} rounds)\n`);
    console.log(`cold build, fresh process:        ${ms(coldMs)}`);
    console.log('');
    console.log('warm build by stage:');
    for (const [stage, times] of stages) console.log(`  ${stage.padEnd(9)} ${ms(median(times)).padStart(10)}`);
    console.log(`  ${'total'.padEnd(9)} ${ms(build).padStart(10)}\n`);
    console.log('bare library calls for the same content:');
    console.log(`  MDX compile + run + toHtml ${ms(median(bareMdx)).padStart(10)}`);
    console.log(`  Vega-Lite → Vega toSVG     ${ms(median(bareVega)).padStart(10)}`);
    console.log(`  sum                        ${ms(bare).padStart(10)}\n`);
    console.log(`ratio warm build / bare calls:  ${(build / bare).toFixed(2)}×`);
    console.log(`ratio cold build / warm build:  ${(coldMs / build).toFixed(2)}×\n`);
    console.log('start-up:');
    for (const line of await benchStartup()) console.log(`  ${line}`);
    console.log('\nincremental builds, fresh processes:');
    for (const line of await benchIncremental(path.join(REPO, 'dist', 'cli.js'), project)) console.log(`  ${line}`);
    console.log('\ntraining estimator:');
    for (const line of await benchEstimator()) console.log(`  ${line}`);
    console.log('\nuncertainty and sensitivity:');
    for (const line of await benchUncertainty()) console.log(`  ${line}`);
    console.log('\nPDF export:');
    for (const line of await benchPdf(project)) console.log(`  ${line}`);
  } finally {
    await rm(project, {recursive: true, force: true});
  }
}

await main();
