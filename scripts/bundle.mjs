// Bundle the CLI into ES modules (dist/cli.js and dist/chunks/): a bundle
// starts far faster than the sources unbundled, and needs no tsx at run time
// (about 170 ms to import the pipeline bundled against 400 ms unbundled).
// `node scripts/bundle.mjs bench` bundles the benchmarks the same way
// (dist/bench.js), so they measure the code as the CLI runs it.
import {rm} from 'node:fs/promises';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';

const bench = process.argv[2] === 'bench';

/** Resolve zod's index of locales (imported by its classic API) to English alone. */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(builder) {
    builder.onResolve({filter: /[\\/]locales[\\/]index\.js$/}, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return {
        path: path.join(path.dirname(args.importer), '..', 'locales', 'en.js'),
        namespace: 'zod-english-only',
      };
    });
    builder.onLoad({filter: /.*/, namespace: 'zod-english-only'}, (args) => ({
      contents: `export {default as en} from ${JSON.stringify(args.path)};`,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

/** A script of the site, for browsers: one self-contained, minified file. */
const browserScript = (entry, outfile, plugins = []) =>
  build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins,
  });

if (!bench) {
  // The site's client script (interactive charts).
  await browserScript('src/client/hydrate.ts', 'dist/site/interactive.js');
  // The site's script on every page (theme, search box, printing details open), and the search engine it
  // loads on first use (MiniSearch).
  for (const name of ['site', 'search']) await browserScript(`src/client/${name}.ts`, `dist/site/${name}.js`);
  // The explorer (src/client/explorer/): the estimation core, the data schemas and checks, zod and yaml, for
  // the explorer page only, which loads it; the same file runs as its Web Worker. zod carries every
  // locale's messages and the tool speaks English: only `en` is bundled (about 260 kB less).
  await browserScript('src/client/explorer/main.ts', 'dist/site/explorer.js', [zodEnglishOnly]);
  // The dev server's reload client (served by `tradeoffs dev` only).
  await browserScript('src/client/live-reload.ts', 'dist/site/live-reload.js');
}

// The CLI: a tiny entry (dist/cli.js) answering --version and --help, and
// chunks (dist/chunks/) loaded by dynamic import, one per command and shared
// code, so a command parses only what it uses. The benchmarks stay one file.
// A hash of what the bundle is made from (its sources, stylesheet, scaffolds and
// locked dependencies), compiled in as the tool's fingerprint: incremental
// builds redo every report when it changes. The tool computes the same hash
// from the tree when it runs from source: one function, src/tool/source-hash.ts,
// bundled here in memory and run.
async function sourceHash() {
  const {outputFiles} = await build({
    entryPoints: ['src/tool/source-hash.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'warning',
  });
  const module = await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].contents).toString('base64')}`);
  return module.hashSourceTree('.');
}

// The chart font's metrics (advance widths, kerning) as a table compiled in, so a build measures labels
// without parsing the fonts (about 100 ms a build): src/charts/font-table.ts, bundled here, written beside
// dist/ (it finds the fonts in node_modules from there) and run. From source, the tool reads the fonts instead.
async function fontTable() {
  const file = path.resolve('dist', '.font-table.mjs');
  await build({
    entryPoints: ['src/charts/font-table.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: file,
    logLevel: 'warning',
    banner: {
      js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  try {
    const module = await import(pathToFileURL(file).href);
    return module.readFontTable();
  } finally {
    await rm(file, {force: true});
  }
}

const shared = {
  define: {__TOOL_SOURCE_HASH__: JSON.stringify(await sourceHash()), __FONT_TABLE__: JSON.stringify(await fontTable())},
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  // Loaded from node_modules, only when PDFs are asked for (it needs its own files at run time).
  external: ['playwright-core'],
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require(); give every output file one.
  // (The entry's `#!/usr/bin/env node` comes from src/cli/bin.ts, ahead of this.)
  banner: {
    js: [
      "import {createRequire as __createRequire} from 'node:module';",
      'const require = __createRequire(import.meta.url);',
    ].join('\n'),
  },
};

if (bench) {
  await build({...shared, entryPoints: ['bench/run.ts'], outfile: 'dist/bench.js'});
} else {
  // Chunk names carry a hash: drop the previous build's, so dist/ holds one set.
  await rm('dist/chunks', {recursive: true, force: true});
  await build({
    ...shared,
    // The CLI, and the process it starts to compile and run templates (src/build/template-runner.ts).
    entryPoints: {cli: 'src/cli/bin.ts', 'template-worker': 'src/build/template-worker.ts'},
    outdir: 'dist',
    splitting: true,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
  });
}
