import type {LoadedCatalog} from '../../data/catalog-json.js';
import {createEngine, type EngineRequest, type EngineResult} from './engine.js';
import {fromWorkerSchema, type ToWorker} from './protocol.js';

/**
 * Where the explorer computes: in a Web Worker started from the explorer's
 * own script (same origin, so the site's `script-src 'self'` allows it),
 * or, where a worker cannot start (Chromium refuses workers to pages opened
 * from file://), on the page itself with the same engine, seed and samples:
 * the same numbers, with the page busy while the Monte Carlo runs.
 */
export interface Computer {
  readonly where: 'worker' | 'page';
  /** Why the page computes itself, when it does. */
  readonly why?: string;
  run(request: EngineRequest): Promise<EngineResult>;
}

export async function startComputer(
  scriptUrl: string | undefined,
  catalogText: string,
  catalog: LoadedCatalog,
): Promise<Computer> {
  let why: string;
  if (scriptUrl === undefined) why = 'the script could not name its own address';
  else if (typeof Worker === 'undefined') why = 'this browser has no Web Workers';
  else {
    try {
      return await workerComputer(new Worker(scriptUrl), catalogText);
    } catch (error) {
      why =
        location.protocol === 'file:'
          ? 'the page was opened from a file, and browsers start no worker for such pages'
          : error instanceof Error
            ? error.message
            : String(error);
    }
  }
  return pageComputer(catalog, why);
}

function pageComputer(catalog: LoadedCatalog, why: string): Computer {
  const engine = createEngine(catalog);
  return {
    where: 'page',
    why,
    // After the browser has drawn what the input changed, so typing stays visible.
    run: (request) => new Promise((resolve) => setTimeout(() => resolve(engine.run(request)), 0)),
  };
}

function workerComputer(worker: Worker, catalogText: string): Promise<Computer> {
  const waiting = new Map<number, {done: (result: EngineResult) => void; refuse: (error: Error) => void}>();
  let next = 0;
  let failure: string | undefined;
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      failure = message;
      reject(new Error(message));
      for (const {refuse} of waiting.values()) refuse(new Error(message));
      waiting.clear();
    };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      fail(`the worker failed: ${event.message || 'it could not start'}`);
    });
    worker.addEventListener('message', (event: MessageEvent) => {
      const message = fromWorkerSchema.safeParse(event.data);
      if (!message.success) return;
      if (message.data.type === 'ready')
        resolve({
          where: 'worker',
          run: (request) =>
            new Promise((done, refuse) => {
              if (failure) {
                refuse(new Error(failure));
                return;
              }
              const id = next++;
              waiting.set(id, {done, refuse});
              const post: ToWorker = {type: 'run', id, request};
              worker.postMessage(post);
            }),
        });
      else if (message.data.type === 'failed') fail(message.data.message);
      else {
        waiting.get(message.data.id)?.done(message.data.result);
        waiting.delete(message.data.id);
      }
    });
    const init: ToWorker = {type: 'init', catalog: catalogText};
    worker.postMessage(init);
  });
}
