import {readCatalogJson, type LoadedCatalog} from '../../data/catalog-json.js';
import {createEngine, type Engine} from './engine.js';
import {toWorkerSchema, type FromWorker} from './protocol.js';

/**
 * The explorer's worker: the estimator off the page's thread, one request at
 * a time. A request the engine fails on is answered as failed, by its id, and
 * the worker goes on to the next; a catalog it cannot read fails the worker.
 */
export function startWorker(
  scope: {
    postMessage(message: FromWorker): void;
    addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  },
  makeEngine: (catalog: LoadedCatalog) => Engine = createEngine,
): void {
  let engine: Engine | undefined;
  scope.addEventListener('message', (event) => {
    const message = toWorkerSchema.safeParse(event.data);
    if (!message.success) {
      scope.postMessage({type: 'failed', message: `unexpected message: ${message.error.issues[0]?.message ?? ''}`});
      return;
    }
    try {
      if (message.data.type === 'init') {
        engine = makeEngine(readCatalogJson(JSON.parse(message.data.catalog)));
        scope.postMessage({type: 'ready'});
      } else if (engine) {
        scope.postMessage({type: 'result', id: message.data.id, result: engine.run(message.data.request)});
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      scope.postMessage(
        message.data.type === 'run'
          ? {type: 'failed', id: message.data.id, message: reason}
          : {type: 'failed', message: reason},
      );
    }
  });
}
