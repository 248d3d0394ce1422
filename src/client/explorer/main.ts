// The explorer's one script (dist/site/explorer.js), loaded only by the explorer page. On the page it
// draws the explorer; started again as a Web Worker (from the same address, which the site's
// `script-src 'self'` allows), it runs the estimator for the page.
import './zod-jitless.js';
import {startPage} from './page.js';
import {startWorker} from './worker.js';

declare const WorkerGlobalScope: unknown;

if (typeof WorkerGlobalScope !== 'undefined' && typeof document === 'undefined') {
  startWorker(self as unknown as Parameters<typeof startWorker>[0]);
} else {
  // Known only while the script first runs.
  const script = document.currentScript;
  const scriptUrl = script instanceof HTMLScriptElement ? script.src : undefined;
  const start = () => startPage(scriptUrl);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
