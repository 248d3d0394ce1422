import {renderedChartSchema} from '../charts/chart-output.js';
import type {Catalog} from '../data/catalog.js';
import {fileUsageKey, trackCatalog, UsageRecorder, type UsageKey} from '../data/catalog-usage.js';
import type {Diagnostics} from '../diagnostics/diagnostics.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import type {BuiltReport} from '../output/publish-site.js';
import {
  evaluateReport,
  type ChartRenderer,
  type EvaluatedReport,
  type RenderedReport,
} from '../render/render-report.js';
import {checkSvgMarkup} from '../render/content-check.js';
import {createTemplateScope} from '../render/template-scope.js';
import {sha256} from '../tool/hash.js';
import type {BuildLogger, StageTimer} from './build-options.js';
import type {BuildCache} from './build-cache.js';
import type {StaleReport} from './build-plan.js';
import {samplingKey, usesOf, writeCachedReport} from './report-cache.js';
import type {InputReader} from './input-reader.js';
import type {CompiledResult, TemplateCompiler} from './template-compiler.js';
import type {WorkerPool} from './worker-pool.js';

/** What rendering reports takes: the checked data, the tool, and where the work goes. */
export interface RenderContext {
  readonly catalog: Catalog;
  /** The hash of every record, by usage key, for what each report read. */
  readonly hashes: ReadonlyMap<UsageKey, string>;
  readonly sampling: SamplingOptions;
  readonly fingerprint: string;
  readonly cache: BuildCache;
  readonly compiler: TemplateCompiler;
  readonly pool: WorkerPool | undefined;
  readonly timed: StageTimer;
  readonly onEvent: BuildLogger['onEvent'];
  /** The project's inputs, for the data files charts name (`data.url`). */
  readonly reader: InputReader;
}

/**
 * Render the stale reports: run each template as soon as a worker has
 * compiled it, one at a time (what each reads of the data is recorded), and
 * hand its charts to the workers at once, while the next template runs.
 * Problems go to `diagnostics`, in template order; each report rendered is
 * kept in the cache. Resolves to the reports, by template name (a failed
 * one is left out).
 */
export async function renderReports(
  stale: readonly StaleReport[],
  context: RenderContext,
  diagnostics: Diagnostics,
): Promise<Map<string, BuiltReport>> {
  const {catalog, sampling, timed} = context;
  const recorder = new UsageRecorder();
  const tracked = trackCatalog(catalog, recorder);
  const scope = createTemplateScope(tracked, sampling, recorder);
  const renderChart = chartRenderer(context.cache, context.fingerprint, context.pool);
  // A chart's data file: only an input the build hashed (a regular file under data/ or templates/), read
  // while the recorder collects what the report reads, so a change to the file renders the report again.
  const readInput = async (file: string): Promise<string> => {
    const key = fileUsageKey(file);
    recorder.record(key);
    if (!context.hashes.has(key)) throw Object.assign(new Error(`no input file ${file}`), {code: 'ENOENT'});
    return context.reader.readText(file);
  };
  const evaluated: Array<{
    name: string;
    compiled: CompiledResult;
    evaluation: EvaluatedReport;
    used: ReadonlySet<UsageKey>;
    finishing: Promise<RenderedReport | undefined>;
  }> = [];
  for (const [index, {name}] of stale.entries()) {
    const [compiled] = await timed('compile', () => context.compiler.results([name], diagnostics));
    if (!compiled) continue;
    context.onEvent?.({type: 'report', slug: compiled.template.slug, index, count: stale.length});
    const {value: evaluation, used} = await recorder.collect(() =>
      evaluateReport(compiled.template, scope, tracked, {measure: timed, renderChart, readInput}),
    );
    const finishing = evaluation.finish();
    // Awaited below, in order; a failure must not surface as an unhandled rejection first.
    finishing.catch(() => undefined);
    evaluated.push({name, compiled, evaluation, used, finishing});
  }
  const finished = await timed('charts', () => Promise.all(evaluated.map(({finishing}) => finishing)));
  const built = new Map<string, BuiltReport>();
  for (const [index, {name, compiled, evaluation, used}] of evaluated.entries()) {
    for (const file of evaluation.diagnostics.files)
      for (const message of file.messages) diagnostics.adopt(compiled.template.path, message);
    const rendered = finished[index];
    if (!rendered) continue;
    // The compiler's warnings travel with the report, so a cached copy reports them again.
    const report: RenderedReport = {...rendered, warnings: [...compiled.warnings, ...rendered.warnings]};
    const uses = usesOf(used, context.hashes);
    built.set(name, {report, templateHash: compiled.templateHash, uses});
    await writeCachedReport(context.cache, compiled.template.slug, {
      templateHash: compiled.templateHash,
      fingerprint: context.fingerprint,
      sampling: samplingKey(sampling),
      uses,
      report,
    });
  }
  return built;
}

/**
 * Draw charts from the cache (by a hash of their spec and the tool), else in
 * a worker, else here. A cached SVG is input: one holding what no chart
 * draws (content-check.ts) is drawn again and its entry replaced.
 */
function chartRenderer(cache: BuildCache, fingerprint: string, pool: WorkerPool | undefined): ChartRenderer {
  return async (spec) => {
    const key = sha256(`${fingerprint}\0${JSON.stringify(spec)}`);
    const hit = await cache.readJson('charts', key, renderedChartSchema);
    if (hit && checkSvgMarkup(hit.svg).length === 0) return hit;
    const chart = pool ? await pool.chart(spec) : await (await import('../charts/render-svg.js')).renderChartSvg(spec);
    await cache.writeJson('charts', key, chart);
    return chart;
  };
}
