import {existsSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {z} from 'zod';
import {toolRoot} from './assets.js';
import {sha256} from './hash.js';
import {hashSourceTree} from './source-hash.js';
import {VERSION} from './version.js';

/** Set by scripts/bundle.mjs: a hash of the sources the bundle was made from. */
declare const __TOOL_SOURCE_HASH__: string | undefined;

/** What made a site, besides its inputs: a change to any of these redoes every report. */
export const toolIdentitySchema = z.strictObject({
  version: z.string(),
  vega: z.string(),
  vegaLite: z.string(),
  /** The chart font, as `Inter <version of @fontsource/inter>`. */
  font: z.string(),
  /** A hash of the tool's own code, stylesheet, client script and locked dependencies. */
  fingerprint: z.string(),
});
export type ToolIdentity = Readonly<z.infer<typeof toolIdentitySchema>>;

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
const packageManifestSchema = z.looseObject({name: z.string().optional(), version: z.string().optional()});

/** The version in an installed package's package.json, found above its entry file. */
function packageVersion(name: string): string {
  let folder = path.dirname(require.resolve(name));
  for (;;) {
    const file = path.join(folder, 'package.json');
    if (existsSync(file)) {
      const manifest = packageManifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (manifest.success && manifest.data.name === name && manifest.data.version) return manifest.data.version;
    }
    const parent = path.dirname(folder);
    if (parent === folder) return 'unknown';
    folder = parent;
  }
}
