// Cache entries are input: one that is not JSON, or not the shape its schema describes, is a miss.
import {mkdir, mkdtemp, readFile, rename, rm, stat, utimes, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {BuildCache} from '../../src/build/build-cache.js';
import {
  isCachedReport,
  readCachedSummary,
  readSummaryExtra,
  writeCachedReport,
  writeCachedSummary,
} from '../../src/build/report-cache.js';
import {cachedReportSchema, type CachedReport} from '../../src/build/staleness.js';
import {renderedChartSchema} from '../../src/charts/chart-output.js';
import {laidOut, summaryOf} from '../../src/output/site-files.js';

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

describe("a report's summary", () => {
  /** The summary of REPORT as a build keeps it, its entry's hash `source`. */
  const kept = async (cache: BuildCache, source = 'hash-of-a') => {
    const summary = (await summaryOf(laidOut(REPORT.report)))!;
    const {templateHash, fingerprint, sampling, uses} = REPORT;
    await writeCachedSummary(cache, 'a', {templateHash, fingerprint, sampling, uses, source, summary});
    return summary;
  };

  it('is read without its extras, and each extra alone, for the entry it was made from', async () => {
    const cache = new BuildCache(dir);
    const {tables, search, ...head} = await kept(cache);
    expect(search.length).toBeGreaterThan(0);
    const read = await readCachedSummary(cache, 'a');
    expect(read?.summary).toEqual(head);
    expect(read && 'tables' in read.summary).toBe(false);
    expect(await readSummaryExtra(cache, 'a', 'hash-of-a', 'tables')).toEqual(tables);
    expect(await readSummaryExtra(cache, 'a', 'hash-of-a', 'search')).toEqual(search);
    // Replaced meanwhile by a summary of another entry: its extras are not this summary's.
    await kept(cache, 'hash-of-another');
    expect(await readSummaryExtra(cache, 'a', 'hash-of-a', 'tables')).toBeUndefined();
    expect(await readSummaryExtra(cache, 'a', 'hash-of-a', 'search')).toBeUndefined();
  });

  it("is a miss, or an extra is, when torn or holding a search section outside the report's page", async () => {
    const cache = new BuildCache(dir);
    await kept(cache);
    const text = await readFile(path.join(dir, 'summaries', 'a.json'), 'utf8');
    const [head = '', tables = '', search = ''] = text.split('\n');
    await entry('summaries', 'a', head.slice(0, 40));
    expect(await readCachedSummary(cache, 'a')).toBeUndefined();
    await entry('summaries', 'a', `${head}\n${tables}`);
    expect(await readCachedSummary(cache, 'a')).toBeDefined();
    expect(await readSummaryExtra(cache, 'a', 'hash-of-a', 'search')).toBeUndefined();
    await entry('summaries', 'a', `${head}\n${tables}\n${search.replaceAll('a/index.html', 'b/index.html')}`);
    expect(await readSummaryExtra(cache, 'a', 'hash-of-a', 'tables')).toBeDefined();
    expect(await readSummaryExtra(cache, 'a', 'hash-of-a', 'search')).toBeUndefined();
  });
});

describe("a report entry's stamp", () => {
  const file = () => path.join(dir, 'reports', 'a.json');
  /** A time of last write that utimes sets exactly (whole seconds). */
  const WRITTEN = new Date('2026-01-01T00:00:00Z');
  /** The entry's file replaced by `text` as a build sharing the cache writes it (a new file, renamed), written at WRITTEN. */
  async function replace(text: string): Promise<void> {
    await writeFile(`${file()}.new`, text);
    await utimes(`${file()}.new`, WRITTEN, WRITTEN);
    await rename(`${file()}.new`, file());
  }

  it('is the stamp of the file written, and of the file read while it did not change', async () => {
    const cache = new BuildCache(dir);
    const {hash, stamp} = await writeCachedReport(cache, 'a', REPORT);
    expect(stamp).toBeDefined();
    expect(await cache.stampOf('reports', 'a')).toBe(stamp);
    const read = await cache.readJsonHashed('reports', 'a', cachedReportSchema);
    expect(read?.hash).toBe(hash);
    expect(read?.stamp).toBe(stamp);
    expect(await new BuildCache(undefined).stampOf('reports', 'a')).toBeUndefined();
  });

  it('differs for a file edited to the same size and time of last write: the entry is then hashed', async () => {
    const cache = new BuildCache(dir);
    const {hash} = await writeCachedReport(cache, 'a', REPORT);
    await utimes(file(), WRITTEN, WRITTEN);
    const stamp = await cache.stampOf('reports', 'a');
    const text = await readFile(file(), 'utf8');
    const before = await stat(file(), {bigint: true});
    await replace(text.replace('"Hi"', '"Ho"'));
    const after = await stat(file(), {bigint: true});
    expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
    expect(await cache.stampOf('reports', 'a')).not.toBe(stamp);
    expect(await isCachedReport(cache, 'a', hash, stamp)).toBe(false);
    // Rewritten as it was: another file, the same entry.
    await replace(text);
    expect(await cache.stampOf('reports', 'a')).not.toBe(stamp);
    expect(await isCachedReport(cache, 'a', hash, stamp)).toBe(true);
    expect(await isCachedReport(cache, 'a', hash, undefined)).toBe(true);
    await rm(file());
    expect(await isCachedReport(cache, 'a', hash, stamp)).toBe(false);
  });
});
