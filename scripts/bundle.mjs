// Bundle the CLI into one ES module (dist/cli.js): a bundle starts in about
// 170 ms against 400 ms unbundled, and needs no tsx at run time (DESIGN §10).
// `node scripts/bundle.mjs bench` bundles the benchmarks the same way
// (dist/bench.js), so they measure the code as the CLI runs it.
import {build} from 'esbuild';

const bench = process.argv[2] === 'bench';

// The site's client script (interactive charts), for browsers: one self-contained file.
if (!bench) {
  await build({
    entryPoints: ['src/client/hydrate.ts'],
    outfile: 'dist/site/interactive.js',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  // The dev server's reload client (served by `tradeoffs dev` only).
  await build({
    entryPoints: ['src/client/live-reload.ts'],
    outfile: 'dist/site/live-reload.js',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    minify: true,
    logLevel: 'warning',
  });
}

await build({
  entryPoints: [bench ? 'bench/run.ts' : 'src/cli/bin.ts'],
  outfile: bench ? 'dist/bench.js' : 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  // Loaded from node_modules, only when PDFs are asked for (it needs its own files at run time).
  external: ['playwright-core'],
  logLevel: 'warning',
  banner: {
    js: [
      '#!/usr/bin/env node',
      // Some dependencies are CommonJS and call require(); give them one.
      "import {createRequire as __createRequire} from 'node:module';",
      'const require = __createRequire(import.meta.url);',
    ].join('\n'),
  },
});
