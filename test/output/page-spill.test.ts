import {existsSync} from 'node:fs';
import {mkdtemp, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {pageSpill} from '../../src/output/page-spill.js';
import type {LaidOutReport, ReportBody, ReportExtras} from '../../src/output/site-files.js';
import type {EstimatedPoint} from '../../src/render/components/page-state.js';

const body: ReportBody = {
  html: '<p>A page of <strong>prose</strong> — and a chart <svg></svg></p>',
  print: '<section class="print-report" id="a"></section>',
  assets: [
    ['figure-1.csv', 'chip,value\nH100,1\n'],
    ['figure-1.vl.json', '{"mark":"bar"}'],
  ],
};

/** A report's extras: its search sections point into its own page. */
const extrasOf = (slug: string): ReportExtras => ({
  tables: [{where: 'Table 1', columns: ['chip', 'value'], rows: [['H100', '1']]}],
  search: [
    {id: `${slug}/index.html`, url: `${slug}/index.html`, page: 'A', title: 'A', text: 'prose', excerpt: 'prose'},
  ],
});

/** Both extras of a laid-out report, each read alone. */
const extrasOfReport = async (report: LaidOutReport): Promise<ReportExtras> => ({
  tables: await report.extra('tables'),
  search: await report.extra('search'),
});

const estimate = (value: number): EstimatedPoint => ({
  scenario: 'run',
  point: {hardware: 'h100-sxm'},
  outputs: [{name: 'gpuHours', unit: 'GPU-h', value, range: null}],
});

/** A laid-out report with only what the spill reads (its body, extras and estimates) and a name. */
function report(slug: string, of: ReportBody = body, estimates: EstimatedPoint[] = []): LaidOutReport {
  return {
    slug,
    estimates,
    body: () => Promise.resolve(of),
    extra: (part: keyof ReportExtras) => Promise.resolve(extrasOf(slug)[part]),
  } as unknown as LaidOutReport;
}

describe('pageSpill', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(path.join(tmpdir(), 'tradeoffs-spill-test-'));
  });
  afterAll(() => rm(parent, {recursive: true, force: true}));
  /** The spill folders made in `parent`, by name. */
  const spillFolders = async () => new Set(await readdir(parent));

  it('keeps each body and its extras in files and gives them back as they were; dispose removes the files', async () => {
    const before = await spillFolders();
    const spill = pageSpill(parent);
    const kept = await spill.keep(report('a'));
    const other = await spill.keep(report('b', {html: '<p>b</p>', assets: []}));
    const made = [...(await spillFolders())].filter((name) => !before.has(name));
    expect(made).toHaveLength(1);
    expect(await readdir(path.join(parent, made[0]!))).toHaveLength(4);
    expect(kept.slug).toBe('a');
    expect(await kept.body()).toEqual(body);
    expect(await extrasOfReport(kept)).toEqual(extrasOf('a'));
    expect(await extrasOfReport(other)).toEqual(extrasOf('b'));
    expect(await other.body()).toEqual({html: '<p>b</p>', assets: []});
    await spill.dispose();
    expect(existsSync(path.join(parent, made[0]!))).toBe(false);
  });

  it("refuses a body or extras file that is not one, or a search section outside the report's page (the files are read back as input)", async () => {
    const before = await spillFolders();
    const spill = pageSpill(parent);
    try {
      const kept = await spill.keep(report('a'));
      const folder = [...(await spillFolders())].find((name) => !before.has(name))!;
      const files = await readdir(path.join(parent, folder));
      for (const file of files)
        await writeFile(path.join(parent, folder, file), JSON.stringify({html: 1, assets: [], tables: 'none'}));
      await expect(kept.body()).rejects.toThrow();
      await expect(kept.extra('tables')).rejects.toThrow();
      await expect(kept.extra('search')).rejects.toThrow();
      const elsewhere = await spill.keep({...report('a'), extra: (part) => Promise.resolve(extrasOf('b')[part])});
      expect(await elsewhere.extra('tables')).toEqual(extrasOf('a').tables);
      await expect(elsewhere.extra('search')).rejects.toThrow(/expected a section of a\/index.html/);
    } finally {
      await spill.dispose();
    }
  });

  it('keeps bodies in memory when the build writes none to disk', async () => {
    const before = await spillFolders();
    const spill = pageSpill(undefined);
    const original = report('a');
    const kept = await spill.keep(original);
    expect(kept.body).toBe(original.body);
    expect(kept.extra).toBe(original.extra);
    expect(await spillFolders()).toEqual(before);
    await spill.dispose();
  });

  it('shares an estimate two reports made alike, and keeps one that differs as it is', async () => {
    for (const parent of [undefined, tmpdir()]) {
      const spill = pageSpill(parent);
      try {
        const first = await spill.keep(report('a', body, [estimate(1), estimate(2)]));
        const second = await spill.keep(report('b', body, [estimate(2), estimate(3)]));
        expect(second.estimates[0]).toBe(first.estimates[1]);
        expect(second.estimates[1]).toEqual(estimate(3));
        expect(second.estimates[1]).not.toBe(first.estimates[0]);
        expect(first.estimates).toEqual([estimate(1), estimate(2)]);
      } finally {
        await spill.dispose();
      }
    }
  });
});
