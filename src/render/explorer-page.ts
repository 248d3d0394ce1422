import type {Root} from 'hast';
import {h} from 'hastscript';
import {pageLayout, type NavEntry, type PageOptions} from './page-layout.js';

/** The explorer's page at the site's root: a file, so no report's folder can take its address. */
export const EXPLORER_PAGE = 'explore.html';
/** The explorer's script, beside it (bundled by `npm run bundle` into dist/site/). */
export const EXPLORER_SCRIPT = 'explorer.js';

/** What the explorer page is made from: the build's sampling, its checked catalog as JSON, and its scenarios. */
export interface ExplorerData {
  readonly sampling: {readonly samples: number; readonly seed: number};
  /** The checked catalog (src/data/catalog-json.ts). */
  readonly catalog: string;
  readonly scenarios: ReadonlyArray<{readonly id: string; readonly name: string; readonly kind: string}>;
}

/** The address of the explorer opened at a scenario, from a report's page (one folder down). */
export function explorerHref(scenarioId: string, rootPath = '../'): string {
  return `${rootPath}${EXPLORER_PAGE}?scenario=${encodeURIComponent(scenarioId)}`;
}

/**
 * The explorer page: what it does, and without JavaScript, what it would do
 * and where the same estimates are (the reports, the CLI); the script draws
 * the explorer itself from the data embedded as a JSON block (never run,
 * `<` escaped so no string in it can close the block).
 */
export function explorerPage(data: ExplorerData, nav: readonly NavEntry[], site?: PageOptions['site']): Root {
  // The catalog's JSON as the build wrote it, inside the page's data: the browser checks it on reading.
  const embedded = `{"sampling":${JSON.stringify(data.sampling)},"catalog":${data.catalog}}`;
  return pageLayout({
    title: 'Explore the estimates',
    description:
      "Change a scenario's assumptions and get the estimate the reports' builds would print, with its range.",
    rootPath: '',
    kind: 'explorer',
    nav,
    site,
    script: EXPLORER_SCRIPT,
    content: [
      h('h1', 'Explore the estimates'),
      h(
        'p.lede',
        'Start from any scenario of these reports and change its assumptions: the chip, the GPU count, the layout or the search for the best one, the precision, the techniques, the tokens, the price per GPU-hour, the energy, or for serving the context length, the latency target and the cache hits. The page runs the same estimator the reports were built with, in your browser, on the same data: it gives the numbers the build would print, each with its 5th–95th percentile range from the same seeded Monte Carlo. Nothing you enter leaves the page.',
      ),
      h('div#explorer-static', [
        h(
          'p',
          'The explorer needs JavaScript, which is off or failed to load here. Without it, the reports show the same estimates for the scenarios they discuss:',
        ),
        h(
          'ul',
          nav.map((entry) => h('li', [h('a', {href: `${entry.slug}/index.html`}, entry.title)])),
        ),
        h('p', [
          'The command-line tool asks the same questions: ',
          h('code', 'tradeoffs estimate <scenario-id> --hardware <chip> --gpus <n> --json'),
          ', or a scenario file of your own in data/scenarios/. The scenarios of this site:',
        ]),
        h(
          'ul.explorer-scenario-list',
          data.scenarios.map((scenario) => h('li', [h('code', scenario.id), ` (${scenario.kind}): ${scenario.name}`])),
        ),
      ]),
      h('div#explorer-app', {hidden: true}),
      h('script#explorer-data', {type: 'application/json'}, embedded.replace(/</g, '\\u003c')),
    ],
  });
}
