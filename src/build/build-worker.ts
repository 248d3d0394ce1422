/**
 * A build worker (worker_threads): compiles templates and draws charts for
 * the main thread, which meanwhile loads the data and runs the estimates.
 * Bundled as dist/worker.js; see worker-pool.ts.
 */
import {parentPort} from 'node:worker_threads';
import {renderChartSvg} from '../charts/render-svg.js';
import {Diagnostics} from '../diagnostics/diagnostics.js';
import {prepareTemplate} from '../render/prepare-template.js';
import {storeMessages, type WorkerRequest, type WorkerResponse} from './worker-protocol.js';

// One job at a time, in the order sent: the main thread waits for the first template first, and
// interleaving several MDX compilations would finish them all late.
let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', (request: WorkerRequest) => {
  queue = queue.then(() => answer(request));
});

async function answer(request: WorkerRequest): Promise<void> {
  let response: WorkerResponse;
  try {
    if (request.kind === 'compile') {
      const diagnostics = new Diagnostics();
      const template = await prepareTemplate(request.path, request.text, diagnostics);
      response = {id: request.id, kind: 'compile', template, messages: storeMessages(diagnostics)};
    } else {
      const chart = await renderChartSvg(request.spec);
      response = {id: request.id, kind: 'chart', chart};
    }
  } catch (error) {
    response = {
      id: request.id,
      kind: 'error',
      name: (error as Error).name,
      message: (error as Error).message ?? String(error),
      stack: (error as Error).stack,
    };
  }
  parentPort?.postMessage(response);
}
