import {createHash} from 'node:crypto';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {createRequire} from 'node:module';
import {VERSION} from '../version.js';
import {toolRoot} from './tool-assets.js';

/** Set by scripts/bundle.mjs: a hash of the sources the bundle was made from. */
declare const __TOOL_SOURCE_HASH__: string | undefined;

/** What made a site, besides its inputs: a change to any of these redoes every report. */
export interface ToolIdentity {
  readonly version: string;
  readonly vega: string;
  readonly vegaLite: string;
  /** The chart font, as `Inter <version of @fontsource/inter>`. */
  readonly font: string;
  /** A hash of the tool's own code, stylesheet, client script and locked dependencies. */
  readonly fingerprint: string;
}

let identity: ToolIdentity | undefined;

/** The tool's identity, computed once per process. */
export function toolIdentity(): ToolIdentity {
  if (identity) return identity;
  const source = typeof __TOOL_SOURCE_HASH__ === 'string' ? __TOOL_SOURCE_HASH__ : hashSourceTree(toolRoot());
  // Versions from the packages' manifests, not their modules: a build with nothing to do never loads Vega.
  const parts = {
    version: VERSION,
    vega: packageVersion('vega'),
    vegaLite: packageVersion('vega-lite'),
    font: `Inter ${packageVersion('@fontsource/inter')}`,
  };
  identity = {...parts, fingerprint: sha256(JSON.stringify({...parts, source})).slice(0, 16)};
  return identity;
}

const require = createRequire(import.meta.url);

/** The version in an installed package's package.json, found above its entry file. */
function packageVersion(name: string): string {
  let folder = path.dirname(require.resolve(name));
  for (;;) {
    const file = path.join(folder, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as {name?: string; version?: string};
      if (manifest.name === name && manifest.version) return manifest.version;
    }
    const parent = path.dirname(folder);
    if (parent === folder) return 'unknown';
    folder = parent;
  }
}

/**
 * When running from source (tests, tsx), the tool's code is `src/`, its
 * `assets/` and its locked dependencies: hash them all. The bundle carries
 * the same hash, taken when it was made.
 */
function hashSourceTree(root: string): string {
  const hash = createHash('sha256');
  const walk = (folder: string): void => {
    for (const entry of readdirSync(path.join(root, folder), {withFileTypes: true}).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const relative = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else
        hash
          .update(`${relative}\0`)
          .update(readFileSync(path.join(root, relative)))
          .update('\0');
    }
  };
  for (const folder of ['src', 'assets']) if (existsSync(path.join(root, folder))) walk(folder);
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(lock)) hash.update(readFileSync(lock));
  return hash.digest('hex');
}

/** The folders a project's inputs live in. */
export const INPUT_FOLDERS = ['data', 'templates'] as const;

/** Every file under `data/` and `templates/` (sorted, `/`-separated, relative to the root) with its content hash. */
export async function hashInputs(root: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(root, folder), {withFileTypes: true});
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const relative = `${folder}/${entry.name}`;
      if (entry.isDirectory()) await walk(relative);
      else if (entry.isFile()) hashes[relative] = sha256(await readFile(path.join(root, relative)));
    }
  };
  for (const folder of INPUT_FOLDERS) await walk(folder);
  return hashes;
}

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
