import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type {UsageKey} from '../data/catalog-usage.js';
import type {StoredWarning} from '../diagnostics/diagnostics.js';
import type {ReportNumber} from '../render/components/page-state.js';
import type {ToolIdentity} from '../tool/identity.js';
import {sha256} from '../tool/hash.js';
import {MANIFEST_FILE} from '../project.js';

/** The manifest's name in a built site. */

/**
 * What a site was built from and what it holds, written beside its pages:
 * the tool, the sampling, a content hash of every input file, each report's
 * template and the data records it used (with their hashes), the numbers it
 * printed, and a hash of every file of the site. The next build reads it to
 * skip work; `tradeoffs compare` reads two of them to say what moved.
 */
export interface SiteManifest {
  readonly format: 1;
  readonly tool: ToolIdentity;
  readonly sampling: {readonly samples: number; readonly seed: number};
  readonly pdf: boolean;
  readonly inputs: Readonly<Record<string, string>>;
  readonly reports: readonly ManifestReport[];
  /** The build's warnings, reported again by a build that finds nothing to do. */
  readonly warnings: readonly StoredWarning[];
  /** Every file of the site but the manifest, path → SHA-256. */
  readonly files: Readonly<Record<string, string>>;
}

export interface ManifestReport {
  readonly slug: string;
  readonly title: string;
  readonly template: string;
  readonly templateHash: string;
  /** Usage key (`hardware:h100`, `scenarios:*`) → the hash of what it named when the report was built. */
  readonly uses: Readonly<Record<UsageKey, string>>;
  readonly numbers: readonly ReportNumber[];
}

/** Hash every file of a site, in path order. */
export function hashFiles(files: ReadonlyMap<string, string | Uint8Array>): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const name of [...files.keys()].sort())
    if (name !== MANIFEST_FILE) hashes[name] = sha256(files.get(name) as string | Uint8Array);
  return hashes;
}

export function serializeManifest(manifest: SiteManifest): string {
  return `${JSON.stringify(manifest, null, 1)}\n`;
}

/**
 * Read a manifest from a site folder or a manifest file; `undefined` when
 * there is none or it is not one (a hand-edited or older file is no reason to fail a build).
 */
export async function readManifest(location: string): Promise<SiteManifest | undefined> {
  const file = location.endsWith('.json') ? location : path.join(location, MANIFEST_FILE);
  try {
    const manifest = JSON.parse(await readFile(file, 'utf8')) as SiteManifest;
    return manifest?.format === 1 && Array.isArray(manifest.reports) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Whether every file the manifest lists is in `dir` with the same content, and nothing is missing. */
export async function siteMatches(dir: string, manifest: SiteManifest): Promise<boolean> {
  for (const [name, hash] of Object.entries(manifest.files)) {
    try {
      if (sha256(await readFile(path.join(dir, name))) !== hash) return false;
    } catch {
      return false;
    }
  }
  return true;
}
