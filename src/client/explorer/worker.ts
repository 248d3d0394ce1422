import {readCatalogJson} from '../../data/catalog-json.js';
import {createEngine, type Engine} from './engine.js';
import {toWorkerSchema, type FromWorker} from './protocol.js';

/** The explorer's worker: the estimator off the page's thread, one request at a time. */
export function startWorker(scope: {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}): void {
  let engine: Engine | undefined;
  scope.addEventListener('message', (event) => {
    const message = toWorkerSchema.safeParse(event.data);
    if (!message.success) {
      scope.postMessage({type: 'failed', message: `unexpected message: ${message.error.issues[0]?.message ?? ''}`});
      return;
    }
    try {
      if (message.data.type === 'init') {
        engine = createEngine(readCatalogJson(JSON.parse(message.data.catalog)));
        scope.postMessage({type: 'ready'});
      } else if (engine) {
        scope.postMessage({type: 'result', id: message.data.id, result: engine.run(message.data.request)});
      }
    } catch (error) {
      scope.postMessage({type: 'failed', message: error instanceof Error ? error.message : String(error)});
    }
  });
}
