// The rooms of src/ and the one direction imports may flow, checked by `npm test`
// (npm run lint). A folder may import itself and the folders listed before it:
//
//   tool, project → diagnostics → uncertain → data → estimate → check
//     → charts → render → output → build → dev → cli
//
// client/ is browser code: it imports only its own files and its packages; the explorer
// (client/explorer/) also imports the pure stages it runs in the browser, never a later one
// nor anything of Node's.
const LAYERS = [
  ['tool', 'project\\.ts'],
  ['diagnostics'],
  ['uncertain'],
  ['data'],
  ['estimate'],
  ['check'],
  ['charts'],
  ['render'],
  ['output'],
  ['build'],
  ['dev'],
  ['cli'],
];

const pathOf = (names) => `^src/(${names.join('|')})(/|$)`;

const layerRules = LAYERS.slice(0, -1).map((names, index) => ({
  name: `layer-${names[0]}`,
  comment: `src/${names[0]} may import only the folders before it in the pipeline`,
  severity: 'error',
  from: {path: pathOf(names)},
  to: {path: pathOf(LAYERS.slice(index + 1).flat())},
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'Modules form a DAG: a cycle means two files that are really one, or a type in the wrong room',
      severity: 'error',
      from: {path: '^src/'},
      to: {circular: true},
    },
    {
      name: 'pure-core',
      comment: 'The estimation core and the distributions are pure: no file system, process or network',
      severity: 'error',
      from: {path: '^src/(estimate|uncertain)/'},
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|child_process|net|http|https|os|worker_threads|process)$',
      },
    },
    {
      name: 'client-alone',
      comment: 'The browser scripts bundle only their own files and packages',
      severity: 'error',
      from: {path: '^src/client/(?!explorer/)'},
      to: {path: '^src/(?!client/)'},
    },
    {
      name: 'explorer-pure-stages',
      comment:
        'The explorer runs the pure stages in the browser (data, estimate, check, number formatting): nothing that reads files, renders pages or builds',
      severity: 'error',
      from: {path: '^src/client/explorer/'},
      to: {
        path: '^src/(?!client/explorer/|tool/compare\\.ts$|diagnostics/|uncertain/|data/|estimate/|check/|render/format-quantity\\.ts$)',
      },
    },
    {
      name: 'explorer-no-node',
      comment: 'The explorer runs in a browser: no Node built-in, nor a module that imports one',
      severity: 'error',
      from: {path: '^src/client/explorer/'},
      to: {
        path: '^(node:)?(fs|fs/promises|path|url|os|child_process|crypto|worker_threads|process|net|http|https|module|stream|events|util|zlib|buffer)$',
        reachable: true,
      },
    },
    {
      name: 'src-not-tests',
      comment: 'Shipped code never imports tests, benchmarks or scripts',
      severity: 'error',
      from: {path: '^src/'},
      to: {path: '^(test|bench|scripts)/'},
    },
  ],
  options: {
    doNotFollow: {path: 'node_modules'},
    tsPreCompilationDeps: true,
    tsConfig: {fileName: 'tsconfig.json'},
  },
};
