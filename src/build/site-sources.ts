import type {Catalog} from '../data/catalog.js';
import {RECORD_KINDS} from '../data/catalog-usage.js';
import {Distribution} from '../uncertain/distribution.js';
import type {ScenarioInputs, SiteInfo} from '../render/site-info.js';
import {ENVIRONMENT_PREFIX} from './input-hashes.js';
import type {InputReader} from './input-reader.js';

/**
 * The commit the inputs come from, when the environment names one:
 * SOURCE_COMMIT, else GITHUB_SHA (GitHub Actions). A build never asks git:
 * what it prints must follow from its inputs, and the environment variable
 * is one of them (input-hashes.ts). Anything but a plain name or hash is ignored.
 */
export function environmentCommit(environment: NodeJS.ProcessEnv = process.env): string | null {
  const commit = (environment.SOURCE_COMMIT ?? environment.GITHUB_SHA ?? '').trim();
  return /^[0-9A-Za-z._/-]{1,80}$/.test(commit) ? commit : null;
}

/** What every page says about how the site was made, from the inputs: the date they give the site, and the build's date when the environment gives one. */
export function siteInfoOf(catalog: Catalog, date: Date, builtOn: Date | null): SiteInfo {
  const dates = [...catalog.hardware.values()]
    .flatMap((hardware) => (hardware.price ? [hardware.price.as_of] : []))
    .sort();
  const recordFiles: Record<string, string[]> = {};
  for (const kind of RECORD_KINDS) {
    const all = new Set<string>();
    for (const [id, record] of catalog[kind]) {
      const file = catalog.origins.get(record as object)?.source.path;
      if (!file) continue;
      recordFiles[`${kind}:${id}`] = [file];
      all.add(file);
    }
    recordFiles[`${kind}:*`] = [...all].sort();
  }
  return {
    date: date.toISOString().slice(0, 10),
    builtOn: builtOn ? builtOn.toISOString().slice(0, 10) : null,
    dataAsOf: dates.at(-1) ?? null,
    commit: environmentCommit(),
    recordFiles,
  };
}

/** The text of every input file (data and templates), by path: copied into the site for readers. */
export async function readSources(
  reader: InputReader,
  inputs: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const sources: Record<string, string> = {};
  for (const file of Object.keys(inputs)) {
    if (file.startsWith(ENVIRONMENT_PREFIX)) continue;
    sources[file] = await reader.readText(file);
  }
  return sources;
}

/** Every scenario's inputs as written (ranges and distributions as in the data), by id. */
export function scenarioInputsOf(catalog: Catalog): Record<string, ScenarioInputs> {
  const scenarios: Record<string, ScenarioInputs> = {};
  for (const id of [...catalog.scenarios.keys()].sort()) {
    const scenario = catalog.scenarios.get(id) as object;
    scenarios[id] = {
      kind: String((scenario as {kind?: unknown}).kind ?? 'training'),
      file: catalog.origins.get(scenario)?.source.path ?? '',
      inputs: asWritten(scenario),
    };
  }
  return scenarios;
}

/** A validated record as plain JSON, each uncertain number as its spec (`{low, mode, high}`). */
function asWritten(value: unknown): unknown {
  if (value instanceof Distribution) return value.spec;
  if (Array.isArray(value)) return value.map(asWritten);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) copy[key] = asWritten(item);
    return copy;
  }
  return value;
}
