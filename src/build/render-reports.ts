import {renderedChartSchema, type RenderedChart} from '../charts/chart-output.js';
import {drawnCharts, type DrawnCharts} from './drawn-charts.js';
import type {Catalog} from '../data/catalog.js';
import {fileUsageKey, type UsageKey} from '../data/catalog-usage.js';
import {Diagnostics} from '../diagnostics/diagnostics.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import type {BuiltReport} from '../output/publish-site.js';
import {laidOut, layoutContent, type LaidOutReport} from '../output/site-files.js';
import type {PageSpill} from '../output/page-spill.js';
import {finishReport, type ChartRenderer} from '../render/render-report.js';
import {checkSvgMarkup} from '../render/content-check.js';
import {sha256} from '../tool/hash.js';
import type {BuildLogger, StageTimer} from './build-options.js';
import type {BuildCache} from './build-cache.js';
import type {StaleReport} from './build-plan.js';
import {samplingKey, usesOf, writeCachedReport} from './report-cache.js';
import {keepSummary} from './build-plan.js';
import type {InputReader} from './input-reader.js';
import {stoppedMessage, type CompiledResult, type TemplateCompiler} from './template-compiler.js';
import {TemplateStopped, type RenderAnswer, type TemplateRunner} from './template-runner.js';
import {heapTrimmer} from '../output/heap-trim.js';
import {adoptMessages, type StoredMessage} from './worker-protocol.js';

/** What rendering reports takes: the checked data, the tool, and where the work goes. */
export interface RenderContext {
  readonly catalog: Catalog;
  /** The hash of every record, by usage key, for what each report read. */
  readonly hashes: ReadonlyMap<UsageKey, string>;
  readonly sampling: SamplingOptions;
  readonly fingerprint: string;
  readonly cache: BuildCache;
  readonly compiler: TemplateCompiler;
  /** Runs the templates (given the catalog already: runner.setup). */
  readonly runner: TemplateRunner;
  /** Keep each report's laid-out tree (a shard build writes it). */
  readonly keepTrees: boolean;
  /** Lay out each report's section of the print edition (LayoutOptions.print). */
  readonly print: boolean;
  /** Where each laid-out report's body waits until its page is written. */
  readonly spill: PageSpill;
  readonly timed: StageTimer;
  readonly onEvent: BuildLogger['onEvent'];
  /** The project's inputs, for the data files charts name (`data.url`). */
  readonly reader: InputReader;
}

/**
 * Most templates sent to run before the report whose charts this thread draws is taken: the next two run
 * while its charts are drawn. Without a bound, when drawing is the slower half (at 200 generated reports,
 * 77 s of charts against 23 s of templates) every page the template process finished waited here, tree and
 * chart data, and the build's process grew by some 90 MB (issue #18, heap snapshots).
 */
const RUN_AHEAD = 2;

/** A template handed to the runner, and what became of it. */
interface RenderJob {
  readonly name: string;
  readonly compiled: CompiledResult;
  readonly answer: Promise<RenderAnswer | {readonly stopped: StoredMessage}>;
}

/** What is kept of a rendered report until every report is done: strings, not trees. */
interface Finished {
  readonly name: string;
  readonly path: string;
  readonly own: Diagnostics;
  readonly built: BuiltReport | undefined;
}

/**
 * Render the stale reports: each template runs in the template process as
 * soon as it is compiled (what it reads of the data is recorded there), and
 * while the next one runs, this thread draws the charts of the one before.
 * Problems go to `diagnostics`, in template order; each report rendered is
 * kept in the cache. Resolves to the reports, by template name (a failed
 * one is left out).
 */
export async function renderReports(
  stale: readonly StaleReport[],
  context: RenderContext,
  diagnostics: Diagnostics,
): Promise<Map<string, BuiltReport>> {
  const drawn = drawnCharts();
  try {
    return await renderWith(chartRenderer(context.cache, context.fingerprint, drawn), stale, context, diagnostics);
  } finally {
    await drawn.dispose();
  }
}

async function renderWith(
  renderChart: ChartRenderer,
  stale: readonly StaleReport[],
  context: RenderContext,
  diagnostics: Diagnostics,
): Promise<Map<string, BuiltReport>> {
  const {timed, runner} = context;
  // Templates go to the runner in order as they are compiled; their compile messages are adopted in that order.
  // A job is dropped once finished, so its page (a tree) is garbage as soon as it is laid out.
  const jobs: Array<RenderJob | undefined> = [];
  let done = false;
  let wake: (() => void) | undefined;
  // The reports taken to be finished here; a template is sent to run only RUN_AHEAD reports ahead of them.
  let taken = 0;
  let advance: (() => void) | undefined;
  const submitted = (async () => {
    try {
      for (const [index, {name}] of stale.entries()) {
        while (jobs.length - taken >= RUN_AHEAD) await new Promise<void>((resolve) => (advance = resolve));
        const [compiled] = await timed('compile', () => context.compiler.results([name], diagnostics));
        if (!compiled) continue;
        context.onEvent?.({type: 'report', slug: compiled.template.slug, index, count: stale.length});
        const answer = runner.render(compiled.template).catch((error: unknown) => {
          if (!(error instanceof TemplateStopped) || error.reason === 'aborted') throw error;
          return {stopped: stoppedMessage(compiled.template.path, error)};
        });
        // Awaited below, in order; a failure must not surface as an unhandled rejection first.
        answer.catch(() => undefined);
        jobs.push({name, compiled, answer});
        wake?.();
      }
    } finally {
      done = true;
      wake?.();
    }
  })();
  submitted.catch(() => undefined);
  // Meanwhile, finish each report in order as its template has run: its charts are drawn here.
  const finished: Finished[] = [];
  // Each report's trees and drawings are garbage once it is laid out: collected between reports when asked (heap-trim.ts).
  const trimHeap = heapTrimmer();
  for (let index = 0; ; index++) {
    trimHeap();
    while (index >= jobs.length && !done) await new Promise<void>((resolve) => (wake = resolve));
    const job = jobs[index];
    if (!job) break;
    jobs[index] = undefined;
    taken = index + 1;
    advance?.();
    const answer = await timed('evaluate', () => job.answer);
    const own = new Diagnostics();
    const {template, templateHash, warnings} = job.compiled;
    const kept = {name: job.name, path: template.path, own};
    if ('stopped' in answer) {
      adoptMessages([answer.stopped], own);
      finished.push({...kept, built: undefined});
      continue;
    }
    adoptMessages(answer.messages, own);
    const {page} = answer;
    // What the template read of the data (recorded in the template process), and the data files its charts read.
    const used = new Set(answer.used);
    const readInput = async (file: string): Promise<string> => {
      // Only an input the build hashed (a regular file under data/ or templates/): a change to it renders the report again.
      const key = fileUsageKey(file);
      used.add(key);
      if (!context.hashes.has(key)) throw Object.assign(new Error(`no input file ${file}`), {code: 'ENOENT'});
      return context.reader.readText(file);
    };
    const rendered = page && (await timed('charts', () => finishReport(page, own, {renderChart, readInput})));
    if (!rendered) {
      finished.push({...kept, built: undefined});
      continue;
    }
    // The compiler's warnings travel with the report, so a cached copy reports them again.
    const stored = await timed('layout', async () =>
      layoutContent({...rendered, warnings: [...warnings, ...rendered.warnings]}),
    );
    const uses = usesOf(used, context.hashes);
    // Kept in the cache as laid out, while its tree is at hand.
    const entry = {templateHash, fingerprint: context.fingerprint, sampling: samplingKey(context.sampling), uses};
    const {hash: source, stamp} = await writeCachedReport(context.cache, template.slug, {...entry, report: stored});
    // Laid out at once: the build keeps the report's strings, not its tree.
    const report: LaidOutReport = await timed('layout', async () => {
      const laid = {...laidOut(stored, {keep: context.keepTrees, print: context.print}), source};
      // Its summary beside it, for the next build to plan with (not a shard's, nor one with a print section).
      if (context.cache.dir !== undefined && !context.keepTrees && !context.print)
        await keepSummary(context.cache, {...entry, stamp}, laid);
      return context.spill.keep(laid);
    });
    finished.push({...kept, built: {report, templateHash, uses}});
  }
  await submitted;
  const built = new Map<string, BuiltReport>();
  for (const {name, path, own, built: report} of finished) {
    for (const file of own.files) for (const message of file.messages) diagnostics.adopt(path, message);
    if (report) built.set(name, report);
  }
  return built;
}

/**
 * Draw charts from the cache (by a hash of their spec and the tool), else
 * here (Vega is loaded on first use). A cached SVG is input: one holding
 * what no chart draws (content-check.ts) is drawn again and its entry replaced.
 * A spec is drawn once per build (drawn-charts.ts): reports repeat charts (at
 * 200 generated reports, 375 of 1,000 specs are distinct), a build without a
 * cache keeps what it drew in a scratch folder of its own, and two requests
 * for one spec at once share one drawing.
 */
function chartRenderer(cache: BuildCache, fingerprint: string, drawn: DrawnCharts): ChartRenderer {
  const drawing = new Map<string, Promise<RenderedChart>>();
  const draw = async (key: string, spec: unknown): Promise<RenderedChart> => {
    const hit =
      cache.dir === undefined ? await drawn.get(key) : await cache.readJson('charts', key, renderedChartSchema);
    if (hit && checkSvgMarkup(hit.svg).length === 0) return hit;
    const chart = await (await import('../charts/render-svg.js')).renderChartSvg(spec);
    if (cache.dir === undefined) await drawn.set(key, chart);
    else await cache.writeJson('charts', key, chart);
    return chart;
  };
  return (spec) => {
    const key = sha256(`${fingerprint}\0${JSON.stringify(spec)}`);
    let chart = drawing.get(key);
    if (!chart) {
      chart = draw(key, spec).finally(() => drawing.delete(key));
      drawing.set(key, chart);
    }
    return chart;
  };
}
