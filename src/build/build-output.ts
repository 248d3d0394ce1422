import type {PageReuse} from '../output/site-files.js';
import type {Catalog} from '../data/catalog.js';
import {writeCatalogJson} from '../data/catalog-json.js';
import {storeWarnings, type Diagnostics} from '../diagnostics/diagnostics.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import type {SiteManifest} from '../output/manifest.js';
import {publishSite, type BuiltReport, type SiteMeta} from '../output/publish-site.js';
import {writeShard, type ShardSpec} from '../output/shard.js';
import type {SiteWriter} from '../output/site-writer.js';
import {TEMPLATES_DIR} from '../project.js';
import type {BuildLogger, CompareWith, StageTimer} from './build-options.js';
import type {BuildCache} from './build-cache.js';
import {pdfCacheOf} from './report-cache.js';
import type {InputReader} from './input-reader.js';
import type {ModelErrors} from './model-errors.js';
import {readSources, scenarioInputsOf, siteInfoOf} from './site-sources.js';

/** The tail of a build: the site published, or this shard of it written for `tradeoffs merge`. */

/**
 * What the whole build was made from, the same in every shard: inputs,
 * sampling, the PDFs' date, warnings, what the pages say of them, and the
 * checked catalog the explorer page estimates from, with the models' errors (model-errors.ts).
 */
export async function siteMeta(
  inputs: Readonly<Record<string, string>>,
  sampling: SamplingOptions,
  catalog: Catalog,
  diagnostics: Diagnostics,
  reader: InputReader,
  modelErrors: ModelErrors,
): Promise<SiteMeta> {
  const date = inputsDate(catalog);
  return {
    inputs,
    sampling,
    pdfDate: date.toISOString(),
    warnings: storeWarnings(diagnostics),
    site: siteInfoOf(catalog, date, environmentDate()),
    sources: await readSources(reader, inputs),
    scenarios: scenarioInputsOf(catalog),
    explorer: {
      sampling: {samples: sampling.samples, seed: sampling.seed},
      catalog: writeCatalogJson(catalog, modelErrors.training, modelErrors.serving),
      scenarios: [...catalog.scenarios.values()].map(({id, name, kind}) => ({id, name, kind})),
    },
  };
}

export interface OutputOptions {
  readonly writer: SiteWriter;
  /** Every report template of the project (a shard lists them, so merge can tell one missing). */
  readonly names: readonly string[];
  readonly shard: ShardSpec | undefined;
  readonly pdf: boolean;
  readonly cache: BuildCache;
  readonly timed: StageTimer;
  readonly onEvent: BuildLogger['onEvent'];
  readonly compare?: CompareWith | undefined;
  /** The PDFs of the site in place, read before rendering (sitePdfsOf). */
  readonly previousPdfs?: ReadonlySet<string> | undefined;
  /** Reuse of the pages of the site in place (page-cache.ts). */
  readonly pages?: PageReuse | undefined;
}

/** Publish the reports as the site, or write them as a shard; resolves to the files written and the site's manifest. */
export async function writeOutput(
  reports: readonly BuiltReport[],
  meta: SiteMeta,
  options: OutputOptions,
): Promise<{manifest: SiteManifest | undefined}> {
  const {shard, timed} = options;
  if (shard) {
    const templates = options.names.map((name) => `${TEMPLATES_DIR}/${name}`);
    await timed('write', () => writeShard(options.writer, shard, templates, reports, meta));
    return {manifest: undefined};
  }
  return publishSite(reports, meta, {
    writer: options.writer,
    pdf: options.pdf,
    timed,
    pdfCache: pdfCacheOf(options.cache),
    onEvent: options.onEvent,
    compare: options.compare,
    previousPdfs: options.previousPdfs,
    pages: options.pages,
  });
}

/** The build's date when the environment gives it (SOURCE_DATE_EPOCH, reproducible-builds.org), else null: a build never reads the clock. */
export function environmentDate(environment: NodeJS.ProcessEnv = process.env): Date | null {
  const epoch = Number(environment.SOURCE_DATE_EPOCH);
  return Number.isInteger(epoch) && epoch > 0 ? new Date(epoch * 1000) : null;
}

/**
 * The date stamped into PDFs, from the inputs so that rebuilds give the same
 * bytes: SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the
 * newest dated price in the hardware data, else 2000-01-01.
 */
export function inputsDate(catalog: Catalog): Date {
  const epoch = environmentDate();
  if (epoch) return epoch;
  const dates = [...catalog.hardware.values()]
    .flatMap((hardware) => (hardware.price ? [hardware.price.as_of] : []))
    .sort();
  const newest = dates.at(-1);
  return new Date(newest ? `${newest.length === 7 ? `${newest}-01` : newest}T00:00:00Z` : '2000-01-01T00:00:00Z');
}
