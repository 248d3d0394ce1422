// The explorer's worker (src/client/explorer/worker.ts), its messages (protocol.ts) and the page's side of
// them (compute.ts), with stand-ins for the worker's scope and the channel between them.
import '../../../src/client/explorer/zod-jitless.js';
import {beforeAll, describe, expect, it} from 'vitest';
import {workerComputer, type WorkerPort} from '../../../src/client/explorer/compute.js';
import {createEngine, type Engine, type EngineRequest} from '../../../src/client/explorer/engine.js';
import {fromWorkerSchema, type FromWorker} from '../../../src/client/explorer/protocol.js';
import {startWorker} from '../../../src/client/explorer/worker.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import {writeCatalogJson, type LoadedCatalog} from '../../../src/data/catalog-json.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {REPO_ROOT} from '../../helpers/project.js';

let catalog: string;
beforeAll(async () => {
  catalog = writeCatalogJson(await loadCheckedCatalog(REPO_ROOT, new Diagnostics()));
});

/** The real engine, except that it throws on the file `data/scenarios/boom.yaml`, as a bug in the core would. */
function failingOnBoom(loaded: LoadedCatalog): Engine {
  const engine = createEngine(loaded);
  return {
    run: (request) => {
      if (request.file === 'data/scenarios/boom.yaml') throw new Error('boom: the core failed');
      return engine.run(request);
    },
  };
}

/** A worker's scope: what it posts, and a way to send it a message. */
function scope(makeEngine?: (loaded: LoadedCatalog) => Engine) {
  const posted: FromWorker[] = [];
  let listener: ((event: MessageEvent) => void) | undefined;
  startWorker(
    {
      postMessage: (message) => posted.push(fromWorkerSchema.parse(message)),
      addEventListener: (_type, handler) => (listener = handler),
    },
    makeEngine,
  );
  return {posted, send: (data: unknown) => listener?.({data} as MessageEvent)};
}

/** The page's port to a worker started on the other end; messages cross as postMessage would carry them. */
function channel(makeEngine?: (loaded: LoadedCatalog) => Engine): {port: WorkerPort; toPage: (data: unknown) => void} {
  // The page listens for messages and errors alike; only messages are sent here.
  const pageListeners: ((event: MessageEvent & ErrorEvent) => void)[] = [];
  let workerListener: ((event: MessageEvent) => void) | undefined;
  const toPage = (data: unknown) =>
    queueMicrotask(() => {
      for (const listener of pageListeners) listener({data: structuredClone(data)} as MessageEvent & ErrorEvent);
    });
  startWorker({postMessage: toPage, addEventListener: (_type, handler) => (workerListener = handler)}, makeEngine);
  const port: WorkerPort = {
    postMessage: (message) => queueMicrotask(() => workerListener?.({data: structuredClone(message)} as MessageEvent)),
    addEventListener: (type: 'message' | 'error', listener: (event: MessageEvent & ErrorEvent) => void) => {
      if (type === 'message') pageListeners.push(listener);
    },
  };
  return {port, toPage};
}

const scenario = 'id: tiny\nname: Tiny\nkind: demand\nefficiency_factors: [1, 2]\nelasticity: 1.5\nsource: test\n';
const request = (file = 'data/scenarios/tiny.yaml'): EngineRequest => ({
  file,
  text: scenario,
  point: {},
  sampling: {samples: 10, seed: 1},
});

describe('the explorer worker', () => {
  it('reads the catalog once, then answers each request with its result, by id', () => {
    const worker = scope();
    worker.send({type: 'init', catalog});
    worker.send({type: 'run', id: 7, request: request()});
    expect(worker.posted.map((message) => message.type)).toEqual(['ready', 'result']);
    const result = worker.posted[1];
    expect(result?.type === 'result' && result.id).toBe(7);
    expect(result?.type === 'result' && JSON.parse(result.result.json ?? '')).toMatchObject({scenarioId: 'tiny'});
  });

  it('answers a request the engine fails on as failed, by its id, and goes on to the next', () => {
    const worker = scope(failingOnBoom);
    worker.send({type: 'init', catalog});
    worker.send({type: 'run', id: 1, request: request('data/scenarios/boom.yaml')});
    worker.send({type: 'run', id: 2, request: request()});
    expect(worker.posted.slice(1)).toEqual([
      {type: 'failed', id: 1, message: 'boom: the core failed'},
      expect.objectContaining({type: 'result', id: 2}),
    ]);
  });

  it('refuses a message it does not know, and says why a catalog cannot be read, naming no request', () => {
    const worker = scope();
    worker.send({type: 'run', id: 'x'});
    worker.send({type: 'init', catalog: '{"format": 2}'});
    expect(worker.posted).toEqual([
      {type: 'failed', message: expect.stringMatching(/^unexpected message/)},
      {type: 'failed', message: expect.stringMatching(/not one this tool writes/)},
    ]);
  });
});

describe("the page's side of the worker", () => {
  it('refuses the one request that failed, and still computes the next', async () => {
    const computer = await workerComputer(channel(failingOnBoom).port, catalog);
    expect(computer.where).toBe('worker');
    const [failed, done] = await Promise.allSettled([
      computer.run(request('data/scenarios/boom.yaml')),
      computer.run(request()),
    ]);
    expect(failed).toMatchObject({status: 'rejected', reason: new Error('boom: the core failed')});
    expect(done.status === 'fulfilled' && JSON.parse(done.value.json ?? '')).toMatchObject({scenarioId: 'tiny'});
    expect((await computer.run(request())).json).toBe(done.status === 'fulfilled' && done.value.json);
  });

  it('refuses every request once the worker itself fails', async () => {
    const {port, toPage} = channel();
    const computer = await workerComputer(port, catalog);
    toPage({type: 'failed', message: 'the worker ran out of memory'});
    // The request waiting when it failed, and one asked after.
    await expect(computer.run(request())).rejects.toThrow('the worker ran out of memory');
    await expect(computer.run(request())).rejects.toThrow('the worker ran out of memory');
  });

  it('fails to start when the worker cannot read the catalog', async () => {
    await expect(workerComputer(channel().port, '{"format": 2}')).rejects.toThrow(/not one this tool writes/);
  });
});
