/**
 * The template process (bundled as dist/template-worker.js, started by
 * template-runner.ts): compiles templates and runs them with the estimates,
 * one job at a time, in the order sent. Templates are code: one that never
 * ends, ends the process or exhausts its memory takes only this process
 * down, and the build reports it at the template.
 */
import {heapTrimmer, leanHeapGrowth} from '../output/heap-trim.js';
import {restoreCatalog} from './catalog-snapshot.js';
import {createTemplateHost} from './template-host.js';
import type {WorkerJob, WorkerRequest, WorkerResponse} from './worker-protocol.js';

// Its heap kept close to what it holds (heap-trim.ts): it runs beside the build, and both count.
leanHeapGrowth();
const host = createTemplateHost();
// A long build's garbage is collected between jobs when asked (TRADEOFFS_HEAP_STEP_MB, heap-trim.ts).
const trimHeap = heapTrimmer();
let queue: Promise<void> = Promise.resolve();

process.on('message', (request: WorkerRequest) => {
  if (request.kind === 'setup') host.setup(restoreCatalog(request.catalog), request.sampling, request.estimates);
  // One job at a time, in order: the build times the job at the head of the line.
  else queue = queue.then(() => answer(request)).then(trimHeap);
});
// The build went away (it ended, or was killed): so does this process.
process.on('disconnect', () => process.exit(0));

async function answer(job: WorkerJob): Promise<void> {
  const response = await host.work(job);
  await send(response).catch((error: unknown) =>
    // A page that cannot cross (a function in a chart spec, say): say so instead.
    send({
      id: job.id,
      kind: 'error',
      name: 'DataCloneError',
      message: `a value in the page cannot be handed to the build (${(error as Error).message}): expected plain data`,
      stack: undefined,
    }),
  );
}

function send(response: WorkerResponse): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    try {
      process.send?.(response, undefined, undefined, (error) => (error ? reject(error) : resolve()));
    } catch (error) {
      reject(error as Error);
    }
  });
}
