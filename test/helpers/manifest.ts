import type {SiteManifest} from '../../src/output/manifest.js';

/** A manifest as a build writes it, with every kind of field filled in. */
export const MANIFEST: SiteManifest = {
  format: 1,
  tool: {version: '0.1.0', vega: '6.4.0', vegaLite: '6.4.3', font: 'Inter 5.3.0', fingerprint: 'abc'},
  sampling: {samples: 1000, seed: 1},
  pdf: false,
  inputs: {'data/hardware.yaml': 'h1'},
  reports: [
    {
      slug: 'a',
      title: 'Report a',
      template: 'templates/a.mdx',
      templateHash: 't1',
      uses: {'hardware:h100-sxm': 'r1', 'scenarios:*': 'r2'},
      numbers: [{id: 's.gpuHours', label: 'GPU-hours', value: 12, unit: 'GPU-h', text: '12 GPU-h'}],
    },
  ],
  warnings: [
    {
      file: 'templates/a.mdx',
      reason: 'A label is cut',
      place: {start: {line: 3, column: 1, offset: 20}, end: {line: 3, column: 9, offset: 28}},
      ruleId: 'chart-error',
    },
  ],
  files: {'index.html': 'f1', 'a/index.html': 'f2'},
  compared: null,
};
