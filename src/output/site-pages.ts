import type {Element, Root} from 'hast';
import {h} from 'hastscript';
import {toCsv} from '../charts/chart-data.js';
import type {EstimatedPoint} from '../render/components/page-state.js';
import {pageLayout, type NavEntry, type PageOptions} from '../render/page-layout.js';
import type {RenderedReport} from '../render/render-report.js';
import {provenanceOf, SITE_FOLDERS, type ScenarioInputs} from '../render/site-info.js';
import {compareText} from '../tool/compare.js';
import {percent, thresholdText, type ManifestComparison} from './compare.js';

/** What the data page lists: the input files copied into the site, and the downloads of every scenario. */
export interface SiteDownloads {
  /** Input files copied into `source/`, relative to the project (`data/hardware.yaml`), in path order. */
  readonly sources: readonly string[];
  /** Downloads in `downloads/`: their path in the site and what they hold. */
  readonly files: ReadonlyArray<{readonly path: string; readonly label: string}>;
}

type Site = NonNullable<PageOptions['site']>;

/** The site's data page (`data.html`): every scenario's inputs and outputs to download, and every input file. */
export function dataPage(downloads: SiteDownloads, nav: readonly NavEntry[], site: Site): Root {
  const fileList = (paths: readonly string[]) =>
    h(
      'ul.source-files',
      paths.map((file) => h('li', [h('a', {href: `${SITE_FOLDERS.source}/${file}`}, h('code', file))])),
    );
  const templates = downloads.sources.filter((file) => file.startsWith('templates/'));
  const data = downloads.sources.filter((file) => !file.startsWith('templates/'));
  return pageLayout({
    title: 'Every input and output',
    description: 'The data and templates the reports are made from, and every scenario’s inputs and outputs.',
    rootPath: '',
    kind: 'index',
    nav,
    site,
    content: [
      h('h1', 'Every input and output'),
      h('p.lede', `${sentence(provenanceOf(site.info))}Everything it shows comes from the files below.`),
      h('h2#downloads', 'Scenarios: inputs and outputs'),
      h('p', [
        'Every scenario’s inputs as written in its data file, and every estimate the reports made of it (the scenario as written and each point of its sweep they used), with the 5th, 50th and 95th percentiles of each uncertain output:',
      ]),
      h(
        'ul',
        downloads.files.map((file) =>
          h('li', [h('a', {href: file.path, download: file.path.split('/').pop()}, file.label)]),
        ),
      ),
      h('h2#data-files', 'Data files'),
      fileList(data),
      h('h2#templates', 'Report templates'),
      fileList(templates),
    ],
  });
}

/** A clause as a sentence followed by a space ("Data as of 2026-05-18. "), or nothing. */
function sentence(clause: string | null): string {
  return clause ? `${clause}. ` : '';
}

/** The page of what changed since the previous build (`changes.html`), from `compare`'s comparison. */
export function changesPage(comparison: ManifestComparison, nav: readonly NavEntry[], site: Site): Root {
  const {moved, threshold} = comparison;
  const content: Array<Element> = [
    h('h1', 'What changed since the previous build'),
    h(
      'p.lede',
      moved.length === 0
        ? `No figure moved by more than ${thresholdText(threshold)} (${comparison.compared} compared).`
        : `${moved.length} of ${comparison.compared} figure(s) moved by more than ${thresholdText(threshold)}, largest first.`,
    ),
  ];
  if (moved.length > 0)
    content.push(
      h('div.table-scroll', [
        h('table.changes-table', [
          h('thead', [
            h('tr', [
              h('th', {scope: 'col'}, 'Report'),
              h('th', {scope: 'col'}, 'Figure'),
              h('th.align-right', {scope: 'col'}, 'Before'),
              h('th.align-right', {scope: 'col'}, 'After'),
              h('th.align-right', {scope: 'col'}, 'Change'),
            ]),
          ]),
          h(
            'tbody',
            moved.map((number) =>
              h('tr', [
                h('td', [h('a', {href: `${number.slug}/index.html`}, number.title)]),
                h('td', [number.label, h('br'), h('code.changes-id', number.id)]),
                h('td.align-right', number.before.text),
                h('td.align-right', number.after.text),
                h('td.align-right', percent(number.change)),
              ]),
            ),
          ),
        ]),
      ]),
    );
  const reports = [
    ...comparison.addedReports.map((title) => h('li', `New report: ${title}`)),
    ...comparison.removedReports.map((title) => h('li', `Removed report: ${title}`)),
  ];
  if (reports.length > 0) content.push(h('ul', reports));
  return pageLayout({
    title: 'What changed since the previous build',
    description: 'The figures that moved since the previous build of the site.',
    rootPath: '',
    kind: 'index',
    nav,
    site,
    content,
  });
}

/**
 * The page a server shows for an address the site does not have
 * (`404.html`, as GitHub Pages and most static hosts look for it). Its links
 * are relative to the site's root, where hosts serve it from.
 */
export function notFoundPage(nav: readonly NavEntry[], site: Site): Root {
  return pageLayout({
    title: 'Page not found',
    description: 'This address is not a page of the site.',
    rootPath: '',
    kind: 'index',
    nav,
    site,
    content: [
      h('h1', 'Page not found'),
      h('p.lede', 'This address is not a page of the site: it may have moved, or the link may be mistyped.'),
      h('p', [h('a', {href: 'index.html'}, 'All reports'), ', or one of them:']),
      h(
        'ul',
        nav.map((entry) => h('li', [h('a', {href: `${entry.slug}/index.html`}, entry.title)])),
      ),
    ],
  });
}

/** Where the downloads of every scenario's inputs and outputs go, and what they hold. */
export const DOWNLOADS = [
  {path: `${SITE_FOLDERS.downloads}/scenarios.json`, label: 'Inputs and outputs of every scenario (JSON)'},
  {
    path: `${SITE_FOLDERS.downloads}/scenario-outputs.csv`,
    label: 'Outputs of every scenario, one row per output (CSV)',
  },
  {path: `${SITE_FOLDERS.downloads}/scenario-inputs.csv`, label: 'Inputs of every scenario, one row per field (CSV)'},
] as const;

/**
 * The downloads of every scenario's inputs and outputs: the estimates every
 * report made (each scenario at each point once, whichever report asked
 * first), with each scenario's inputs as written. Sorted by scenario, then
 * point, so the files depend on the reports' content only.
 */
export function scenarioDownloads(
  reports: ReadonlyArray<Pick<RenderedReport, 'estimates'>>,
  scenarios: Readonly<Record<string, ScenarioInputs>>,
): Map<string, string> {
  const estimates = new Map<string, EstimatedPoint>();
  for (const report of reports)
    for (const estimate of report.estimates) {
      const key = `${estimate.scenario}\0${pointText(estimate.point)}`;
      if (!estimates.has(key)) estimates.set(key, estimate);
    }
  const sorted = [...estimates.entries()].sort(([a], [b]) => compareText(a, b)).map(([, estimate]) => estimate);
  const json = Object.keys(scenarios)
    .sort(compareText)
    .map((id) => {
      const scenario = scenarios[id] as ScenarioInputs;
      return {
        id,
        kind: scenario.kind,
        file: scenario.file,
        inputs: scenario.inputs,
        estimates: sorted
          .filter((estimate) => estimate.scenario === id)
          .map((estimate) => ({point: estimate.point, outputs: estimate.outputs})),
      };
    });
  const outputRows = sorted.flatMap((estimate) =>
    estimate.outputs.map((output) => ({
      scenario: estimate.scenario,
      kind: scenarios[estimate.scenario]?.kind ?? '',
      point: pointText(estimate.point),
      output: output.name,
      unit: output.unit,
      value: output.value,
      p5: output.range?.p5,
      p50: output.range?.p50,
      p95: output.range?.p95,
    })),
  );
  const inputRows = json.flatMap((scenario) =>
    flatten(scenario.inputs).map(([field, value]) => ({scenario: scenario.id, file: scenario.file, field, value})),
  );
  const [jsonFile, outputsFile, inputsFile] = DOWNLOADS;
  return new Map([
    [jsonFile.path, `${JSON.stringify(json, null, 1)}\n`],
    [
      outputsFile.path,
      toCsv({columns: ['scenario', 'kind', 'point', 'output', 'unit', 'value', 'p5', 'p50', 'p95'], rows: outputRows}),
    ],
    [inputsFile.path, toCsv({columns: ['scenario', 'file', 'field', 'value'], rows: inputRows})],
  ]);
}

/** A sweep point as text: `hardware=h100-sxm; gpus=1024`, empty for the scenario as written. */
function pointText(point: Readonly<Record<string, string | number>>): string {
  return Object.keys(point)
    .sort(compareText)
    .map((axis) => `${axis}=${point[axis]}`)
    .join('; ');
}

/** A record's fields as dotted paths and plain values (`workload.tokens`, `14800000000000`). */
function flatten(value: unknown, path = ''): Array<[string, string | number | boolean | null]> {
  if (value === null || typeof value !== 'object') {
    return [
      [path, typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null],
    ];
  }
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  if (entries.length === 0) return [[path, Array.isArray(value) ? '[]' : '{}']];
  return entries.flatMap(([key, item]) => flatten(item, path ? `${path}.${key}` : key));
}
