// Cache entries are input: one that is not JSON, or not the shape its schema describes, is a miss.
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {BuildCache} from '../../src/build/build-cache.js';
import {cachedReportSchema, type CachedReport} from '../../src/build/staleness.js';
import {renderedChartSchema} from '../../src/charts/chart-output.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tradeoffs-cache-'));
});
afterEach(() => rm(dir, {recursive: true, force: true}));

const REPORT: CachedReport = {
  templateHash: 't',
  fingerprint: 'f',
  sampling: '1000/1',
  uses: {'hardware:h100-sxm': 'h'},
  report: {
    slug: 'a',
    path: 'templates/a.mdx',
    frontmatter: {title: 'A', summary: 'S.', order: 100},
    content: {
      type: 'root',
      children: [
        {
          type: 'element',
          tagName: 'p',
          properties: {className: ['lead'], hidden: false},
          children: [{type: 'text', value: 'Hi'}],
        },
        {type: 'raw', value: '<svg></svg>'},
      ],
    },
    assets: [['figure-1.csv', 'a,b\n']],
    interactive: false,
    chartCount: 1,
    keyFigure: null,
    numbers: [{id: 's.gpuHours', label: 'GPU-hours', value: null, unit: 'GPU-h', text: '–'}],
    tables: [{where: 'section top table 1', columns: ['Chip', 'Days'], rows: [['H100', '48.1 days']]}],
    estimates: [
      {
        scenario: 's',
        point: {hardware: 'h100-sxm'},
        outputs: [{name: 'gpuHours', unit: 'GPU-h', value: 2, range: {p5: 1, p50: 2, p95: 3}}],
      },
    ],
    warnings: [{file: 'templates/a.mdx', reason: 'r', place: {line: 1, column: 2}, ruleId: 'chart-error'}],
    toc: [{id: 'a', text: 'A', depth: 2}],
    lead: null,
  },
};

/** Write a raw entry as the cache would hold it. */
async function entry(kind: string, key: string, text: string): Promise<void> {
  await mkdir(path.join(dir, kind), {recursive: true});
  await writeFile(path.join(dir, kind, `${key}.json`), text);
}

describe('reading the cache', () => {
  it('gives back what was written, keys in the same order', async () => {
    const cache = new BuildCache(dir);
    await cache.writeJson('reports', 'a', REPORT);
    const read = await cache.readJson('reports', 'a', cachedReportSchema);
    expect(JSON.stringify(read)).toBe(await readFile(path.join(dir, 'reports', 'a.json'), 'utf8'));
    await cache.writeJson('charts', 'c', {svg: '<svg/>', warnings: []});
    expect(await cache.readJson('charts', 'c', renderedChartSchema)).toEqual({svg: '<svg/>', warnings: []});
  });

  it.each([
    ['torn JSON', '{"svg": "<sv'],
    ['another shape', '{"svg": 3, "warnings": []}'],
    ['nothing', ''],
  ])('is a miss for %s', async (_name, text) => {
    await entry('charts', 'c', text);
    expect(await new BuildCache(dir).readJson('charts', 'c', renderedChartSchema)).toBeUndefined();
  });

  it('is a miss for a report whose page tree is not one', async () => {
    const broken = JSON.parse(JSON.stringify(REPORT));
    delete broken.report.content.children[0].children;
    await entry('reports', 'a', JSON.stringify(broken));
    expect(await new BuildCache(dir).readJson('reports', 'a', cachedReportSchema)).toBeUndefined();
    broken.report.content.children[0] = {type: 'script', value: 'alert(1)'};
    await entry('reports', 'a', JSON.stringify(broken));
    expect(await new BuildCache(dir).readJson('reports', 'a', cachedReportSchema)).toBeUndefined();
  });

  it('is a miss for a report not laid out as one', async () => {
    const broken = JSON.parse(JSON.stringify(REPORT));
    delete broken.report.toc;
    await entry('reports', 'a', JSON.stringify(broken));
    expect(await new BuildCache(dir).readJson('reports', 'a', cachedReportSchema)).toBeUndefined();
    broken.report.toc = [{id: 'a', text: 'A', depth: 7}];
    await entry('reports', 'a', JSON.stringify(broken));
    expect(await new BuildCache(dir).readJson('reports', 'a', cachedReportSchema)).toBeUndefined();
  });

  it('is a miss without a folder', async () => {
    expect(await new BuildCache(undefined).readJson('charts', 'c', renderedChartSchema)).toBeUndefined();
  });
});
