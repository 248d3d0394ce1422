import {existsSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import path from 'node:path';
import {Worker} from 'node:worker_threads';
import {ChartError, type RenderedChart} from '../charts/chart-output.js';
import type {PreparedTemplate} from '../render/render-report.js';
import {toolRoot} from '../tool/assets.js';
import type {StoredMessage, WorkerRequest, WorkerResponse} from './worker-protocol.js';

/** Compiles templates and draws charts in worker threads. */
export interface WorkerPool {
  compile(path: string, text: string): Promise<{template: PreparedTemplate | undefined; messages: StoredMessage[]}>;
  chart(spec: unknown): Promise<RenderedChart>;
  close(): Promise<void>;
}

/** Distributive Omit, so each request kind keeps its own fields. */
type Job = WorkerRequest extends infer R ? (R extends {id: number} ? Omit<R, 'id'> : never) : never;

/**
 * A pool of build workers, one per core (at most `limit`), started on the
 * first job (a build with everything cached starts none), or `undefined`
 * when there is one core or no bundled worker (running from source): the
 * build then does everything in its own thread. Jobs go to the worker with
 * the fewest in flight; workers are unref'd, so an idle pool never keeps
 * the process alive.
 */
export function createWorkerPool(limit = availableParallelism() - 1): WorkerPool | undefined {
  const file = path.join(toolRoot(), 'dist', 'worker.js');
  const size = Math.min(limit, availableParallelism());
  if (size < 1 || !existsSync(file)) return undefined;
  const pending = new Map<number, {resolve: (response: WorkerResponse) => void; reject: (error: Error) => void}>();
  let started: Array<{worker: Worker; inFlight: number}> | undefined;
  const start = () =>
    Array.from({length: size}, () => {
      const worker = new Worker(file, {resourceLimits: {maxYoungGenerationSizeMb: 8}});
      worker.unref();
      const slot = {worker, inFlight: 0};
      worker.on('message', (response: WorkerResponse) => {
        slot.inFlight--;
        const job = pending.get(response.id);
        pending.delete(response.id);
        job?.resolve(response);
      });
      // A worker that dies takes its jobs with it: fail them, so the build reports rather than hangs.
      worker.on('error', (error) => {
        for (const [id, job] of pending) {
          pending.delete(id);
          job.reject(error);
        }
      });
      return slot;
    });
  let nextId = 0;
  const run = (job: Job): Promise<WorkerResponse> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const workers = (started ??= start());
      const slot = workers.reduce((best, candidate) => (candidate.inFlight < best.inFlight ? candidate : best));
      slot.inFlight++;
      pending.set(id, {resolve, reject});
      slot.worker.postMessage({...job, id});
    });
  const failure = (response: Extract<WorkerResponse, {kind: 'error'}>): Error => {
    const error = response.name === 'ChartError' ? new ChartError(response.message) : new Error(response.message);
    if (response.stack) error.stack = response.stack;
    return error;
  };
  return {
    compile: async (templatePath, text) => {
      const response = await run({kind: 'compile', path: templatePath, text});
      if (response.kind === 'error') throw failure(response);
      if (response.kind !== 'compile') throw new Error(`unexpected worker answer ${response.kind}`);
      return {template: response.template, messages: response.messages};
    },
    chart: async (spec) => {
      const response = await run({kind: 'chart', spec});
      if (response.kind === 'error') throw failure(response);
      if (response.kind !== 'chart') throw new Error(`unexpected worker answer ${response.kind}`);
      return response.chart;
    },
    close: async () => {
      await Promise.all((started ?? []).map(({worker}) => worker.terminate()));
    },
  };
}
