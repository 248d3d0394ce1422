/**
 * The explorer in Chromium: the size of its script and page, the time from
 * opening the page to the first estimate, and the time from an input change
 * to the redrawn estimate (goal: under 100 ms on a mid-range laptop), each a
 * median over many changes: in a Web Worker over HTTP, and on the page from
 * file:// (where Chromium starts no worker). Two kinds of change: a price on
 * a stated-MFU scenario with a price range (1,000 Monte Carlo samples each
 * time) and the tokens of a scenario whose layout is searched (the search is
 * memoised, the check's fit test is not). The times are read from the
 * page's own clock (`data-redraw-ms`: input event to the estimate drawn).
 */
import {readFile, rm, mkdtemp, stat} from 'node:fs/promises';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {gzipSync} from 'node:zlib';
import {chromium, type Page} from 'playwright-core';
import {diskEffects} from '../src/build/build-effects.js';
import {buildSite} from '../src/build/build-site.js';
import {contentTypeOf} from '../src/output/content-types.js';
import {CHROMIUM_FLAGS, chromiumPath} from '../src/output/pdf.js';

export const EXPLORER_REDRAW_GOAL_MS = 100;
const CHANGES = 15;

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

export interface ExplorerBench {
  readonly lines: string[];
  /** Median input-to-redraw time in a worker over HTTP, for the cheaper change (the goal's figure). */
  readonly redrawMs: number;
}

interface Case {
  readonly label: string;
  readonly query: string;
  /** The control and the values typed into it, in turn. */
  readonly control: string;
  readonly values: (index: number) => string;
}

const CASES: readonly Case[] = [
  {
    label: 'price of deepseek-v3-pretraining (stated MFU, 1,000 samples)',
    query: '?scenario=deepseek-v3-pretraining',
    // The low end of the price range (low, mode 2, high 3): the range stays, so every change samples it.
    control: '#f-cost-usd_per_gpu_hour',
    values: (index) => (1.2 + index * 0.05).toFixed(2),
  },
  {
    label: 'tokens of deepseek-v3-other-hardware (layout searched, 1,000 samples)',
    query: '?scenario=deepseek-v3-other-hardware',
    control: '#f-workload-tokens',
    values: (index) => `${14 + index}e12`,
  },
];

async function settled(page: Page): Promise<void> {
  await page.waitForSelector('#explorer-results[data-pending="false"]', {state: 'attached', timeout: 0});
}

async function measure(
  page: Page,
  url: string,
  sample: Case,
): Promise<{firstMs: number; redraw: number[]; compute: number[]}> {
  const opened = performance.now();
  await page.goto(url, {timeout: 0});
  await settled(page);
  const firstMs = performance.now() - opened;
  const redraw: number[] = [];
  const compute: number[] = [];
  for (let index = 0; index < CHANGES; index++) {
    await page.fill(sample.control, sample.values(index));
    await settled(page);
    redraw.push(Number(await page.getAttribute('#explorer-results', 'data-redraw-ms')));
    compute.push(Number(await page.getAttribute('#explorer-results', 'data-compute-ms')));
  }
  return {firstMs, redraw, compute};
}

export async function benchExplorer(root: string): Promise<ExplorerBench> {
  const out = await mkdtemp(path.join(tmpdir(), 'tradeoffs-bench-explorer-'));
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = path.join(out, 'site', path.normalize(pathname).replace(/^([/\\])+/, ''));
    readFile(file).then(
      (body) => {
        response.writeHead(200, {'content-type': contentTypeOf(path.extname(file))});
        response.end(body);
      },
      () => {
        response.writeHead(404);
        response.end();
      },
    );
  });
  try {
    const site = path.join(out, 'site');
    await buildSite({root, cacheDir: null}, diskEffects(root, site));
    const script = await readFile(path.join(site, 'explorer.js'));
    const page = (await stat(path.join(site, 'explore.html'))).size;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({executablePath: chromiumPath(), args: CHROMIUM_FLAGS});
    const lines = [
      `explorer.js: ${kib(script.length)}, ${kib(gzipSync(script).length)} gzipped (loaded by explore.html alone, and as its worker); explore.html with the catalog: ${kib(page)}`,
    ];
    let redrawMs = NaN;
    try {
      for (const sample of CASES) {
        for (const [where, base] of [
          ['worker, over HTTP', `${origin}/explore.html`],
          ['page, from file://', pathToFileURL(path.join(site, 'explore.html')).href],
        ] as const) {
          const context = await browser.newContext();
          const tab = await context.newPage();
          const result = await measure(tab, `${base}${sample.query}`, sample);
          await context.close();
          if (sample === CASES[0] && where.startsWith('worker')) redrawMs = median(result.redraw);
          lines.push(
            `${sample.label}, ${where}: first estimate ${result.firstMs.toFixed(0)} ms after opening; ` +
              `a change redrawn in ${median(result.redraw).toFixed(0)} ms median (slowest ${Math.max(...result.redraw).toFixed(0)}), ` +
              `of which the estimator ${median(result.compute).toFixed(0)} ms, over ${CHANGES} changes`,
          );
        }
      }
    } finally {
      await browser.close();
    }
    lines.push(
      `goal: a change redrawn in under ${EXPLORER_REDRAW_GOAL_MS} ms (the price change, worker): ${redrawMs < EXPLORER_REDRAW_GOAL_MS ? 'met' : 'NOT met'} on this machine`,
    );
    return {lines, redrawMs};
  } finally {
    server.close();
    await rm(out, {recursive: true, force: true});
  }
}
