import type {Catalog} from '../data/catalog.js';
import {trackCatalog, UsageRecorder} from '../data/catalog-usage.js';
import {servingModelError} from '../estimate/inference/calibration.js';
import type {ModelError} from '../estimate/calibration/model-error.js';
import {trainingModelError} from '../estimate/training/calibrate-catalog.js';
import {Diagnostics} from '../diagnostics/diagnostics.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import {prepareTemplate} from '../render/prepare-template.js';
import {evaluateReport} from '../render/render-report.js';
import {createTemplateScope, type TemplateScope} from '../render/template-scope.js';
import {estimateCache, type EstimateCacheOptions} from './estimate-cache.js';
import {storeMessages, type WorkerJob, type WorkerResponse} from './worker-protocol.js';

/**
 * Where templates are compiled and run: in the template process
 * (template-worker.ts), or in the build's own thread when there is no
 * bundled process to start (running from source). Estimates are memoised
 * across the templates of one build, and what each template reads of the
 * data is recorded with it.
 */
export interface TemplateHost {
  /** The data the templates run with (and where earlier builds' estimates are kept): before the first render. */
  setup(catalog: Catalog, sampling: SamplingOptions, estimates?: EstimateCacheOptions): void;
  /** Do one job; a failure of the tool itself is an `error` answer. */
  work(job: WorkerJob): Promise<WorkerResponse>;
}

/**
 * The models' errors the site's explorer carries: the scope's memoised calibrations, so a build fits each
 * once, whether its templates asked for them first or not. A calibration the scope refuses (a non-finite
 * prediction, which fails the template that reads it) is fitted here as before, without the check.
 */
function modelErrors(
  scope: TemplateScope,
  catalog: Catalog,
): {training: ModelError | undefined; serving: ModelError | undefined} {
  return {
    training: orElse(
      () => scope.calibrationSummary().modelError,
      () => trainingModelError(catalog),
    ),
    serving: orElse(
      () => scope.servingCalibration().modelError,
      () => servingModelError(catalog),
    ),
  };
}

/** What `compute` returns, or what `otherwise` does when it throws. */
function orElse<T>(compute: () => T, otherwise: () => T): T {
  try {
    return compute();
  } catch {
    return otherwise();
  }
}

export function createTemplateHost(): TemplateHost {
  let ready: {catalog: Catalog; scope: TemplateScope; recorder: UsageRecorder} | undefined;
  const work = async (job: WorkerJob): Promise<WorkerResponse> => {
    if (job.kind === 'compile') {
      const diagnostics = new Diagnostics();
      const template = await prepareTemplate(job.path, job.text, diagnostics);
      return {id: job.id, kind: 'compile', template, messages: storeMessages(diagnostics)};
    }
    if (!ready) throw new Error('a template was sent before the data');
    const {catalog, scope, recorder} = ready;
    if (job.kind === 'model-errors') return {id: job.id, kind: 'model-errors', ...modelErrors(scope, catalog)};
    const {value, used} = await recorder.collect(() => evaluateReport(job.template, scope, catalog));
    return {id: job.id, kind: 'render', page: value.page, messages: storeMessages(value.diagnostics), used: [...used]};
  };
  return {
    setup: (catalog, sampling, estimates) => {
      const store = estimates && estimateCache(estimates);
      const recorder = new UsageRecorder();
      const tracked = trackCatalog(catalog, recorder);
      ready = {catalog: tracked, scope: createTemplateScope(tracked, sampling, recorder, store), recorder};
    },
    work: async (job) => {
      try {
        return await work(job);
      } catch (error) {
        return {
          id: job.id,
          kind: 'error',
          name: (error as Error).name,
          message: (error as Error).message ?? String(error),
          stack: (error as Error).stack,
        };
      }
    },
  };
}
