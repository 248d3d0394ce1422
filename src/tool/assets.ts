import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/**
 * The folder the tool is installed in: the nearest folder above this module
 * with an `assets/` folder. This is `dist/..` for the bundled CLI and
 * `src/tool/../..` when running from source, the same folder either way.
 */
export function toolRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(folder, 'assets', 'style.css'))) return folder;
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error("cannot find the tool's assets/ folder");
    folder = parent;
  }
}

/** The site's stylesheet, as shipped with the tool. */
export async function readStylesheet(): Promise<string> {
  return readFile(path.join(toolRoot(), 'assets', 'style.css'), 'utf8');
}

/** The site's client script (interactive charts), bundled by `npm run bundle` into dist/site/. */
export async function readClientScript(): Promise<string> {
  return readSiteScript('interactive.js');
}

/** The explorer's script (the estimator in the browser), bundled by `npm run bundle` into dist/site/. */
export async function readExplorerScript(): Promise<string> {
  return readSiteScript('explorer.js');
}

/** A script of the site bundled by `npm run bundle` into dist/site/: on every page, search's engine, the charts', the explorer's. */
export async function readSiteScript(
  name: 'site.js' | 'search.js' | 'interactive.js' | 'explorer.js' | 'live-reload.js',
): Promise<string> {
  const file = path.join(toolRoot(), 'dist', 'site', name);
  if (!existsSync(file)) throw new Error(`missing ${file}: run \`npm run bundle\` first`);
  return readFile(file, 'utf8');
}

/** The scaffold files `tradeoffs new` fills in (assets/scaffold/), with their `{{placeholders}}`. */
export async function readScaffold(name: 'report.mdx' | 'scenario.yaml'): Promise<string> {
  return readFile(path.join(toolRoot(), 'assets', 'scaffold', name), 'utf8');
}

/** The dev server's reload client, bundled by `npm run bundle` into dist/site/. */
export async function readLiveReloadScript(): Promise<string> {
  return readSiteScript('live-reload.js');
}
