import {existsSync} from 'node:fs';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {toCsv} from '../../src/charts/chart-data.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {readShards} from '../../src/output/shard.js';
import {siteFiles} from '../../src/output/site-files.js';
import {RESERVED_REPORT_NAMES} from '../../src/project.js';
import {SITE_PAGES} from '../../src/render/site-info.js';
import {copyProject, runCli} from '../helpers/project.js';

/** The built default site: its pages, links, charts and assets. */
describe('the report site', () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  let site: string;
  let shard: string;
  let slugs: string[];
  /** The print edition the same reports make for a site with its PDF (built without --pdf, the site has none). */
  let printEdition: string;
  const page = (slug: string) => readFile(path.join(site, slug, 'index.html'), 'utf8');
  /** A page of the site, the print edition included (made in memory, beside the site's index). */
  const pageText = (file: string) =>
    file === SITE_PAGES.print ? Promise.resolve(printEdition) : readFile(path.join(site, file), 'utf8');

  beforeAll(async () => {
    project = await copyProject();
    const result = runCli(['build'], project.root);
    expect(result.code, result.stderr).toBe(0);
    site = path.join(project.root, 'reports');
    slugs = (await readdir(path.join(project.root, 'templates')))
      .filter((name) => name.endsWith('.mdx') && !name.startsWith('_'))
      .map((name) => name.replace(/\.mdx$/, ''));
    // The print edition from a shard of the same build, as `merge --pdf` lays it out before printing.
    shard = path.join(project.root, 'shard');
    const sharded = runCli(['build', '--shard', '1/1', '--out', shard], project.root);
    expect(sharded.code, sharded.stderr).toBe(0);
    const {reports, meta} = await readShards([shard], new Diagnostics(), {print: true});
    const context = {
      info: meta.site,
      parts: {pdfs: {reports: new Set(slugs), site: true}, changes: false},
      sources: new Map<string, string[]>(),
      downloads: {sources: [], files: []},
    };
    for await (const [name, contents] of siteFiles(
      reports.map(({report}) => report),
      context,
    ))
      if (name === SITE_PAGES.print) printEdition = String(contents);
    expect(printEdition).toContain('<section class="print-report"');
  });
  afterAll(() => project.cleanup());

  it('writes the print edition, which the site’s PDF is printed from, only for a site with its PDF (--pdf)', () => {
    expect(existsSync(path.join(site, SITE_PAGES.print))).toBe(false);
    expect(existsSync(path.join(site, 'pdf'))).toBe(false);
  });

  it('has an index with a card per report, each with its title, summary and, when given, its key figure', async () => {
    const index = await readFile(path.join(site, 'index.html'), 'utf8');
    for (const slug of slugs) {
      const template = await readFile(path.join(project.root, 'templates', `${slug}.mdx`), 'utf8');
      const title = /^title: (.+)$/m.exec(template)?.[1]?.replace(/^"|"$/g, '');
      expect(index).toContain(`<a href="${slug}/index.html">`);
      if (title) expect(index).toContain(title.replace(/&/g, '&#x26;'));
      if (/^key_figure:/m.test(template)) {
        const list = index.slice(index.indexOf('<ul class="report-list">'));
        const card = list.slice(list.indexOf(`<a href="${slug}/index.html">`));
        expect(card.slice(0, card.indexOf('</li>'))).toMatch(
          /<p class="card-figure"><span class="card-figure-value">[^<]+<\/span>/,
        );
      }
    }
  });

  it('links every page to every report, marks the current one, and gives it a table of contents with working anchors', async () => {
    for (const slug of slugs) {
      const html = await page(slug);
      for (const other of slugs) expect(html).toContain(`href="../${other}/index.html"`);
      expect(html).toContain(`<a href="../${slug}/index.html" aria-current="page">`);
      const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]));
      const anchors = [...html.matchAll(/href="#([^"]+)"/g)].map((match) => match[1]);
      expect(anchors.length).toBeGreaterThan(0);
      for (const anchor of anchors) expect(ids, `#${anchor} on ${slug}`).toContain(anchor);
      expect(html).toMatch(/<a class="heading-anchor" href="#[^"]+" aria-label="Link to this section: [^"]+">#<\/a>/);
    }
    // No id twice on any page, the print edition included (a link to either would land on the first).
    for (const file of [...slugs.map((slug) => path.join(slug, 'index.html')), 'index.html', 'print.html']) {
      const ids = [...(await pageText(file)).matchAll(/ id="([^"]+)"/g)].map((match) => match[1]);
      expect(
        ids.filter((id, index) => ids.indexOf(id) !== index),
        file,
      ).toEqual([]);
    }
  });

  it("names its own files and folders, and a shard's, only with names no report may take (project.ts)", async () => {
    const own = (await readdir(site)).filter((name) => !slugs.includes(name));
    for (const name of [...own, ...(await readdir(shard)), 'pdf', SITE_PAGES.print])
      expect(RESERVED_REPORT_NAMES, name).toContain(name);
    // And the id of the pages' main element, which the print edition gives to each report's section.
    expect(await page(slugs[0]!)).toContain('<main id="content">');
    expect(RESERVED_REPORT_NAMES).toContain('content');
  });

  it('resolves every relative link and resource to a file of the site', async () => {
    const files = [
      ...['index.html', 'print.html', 'data.html', '404.html'].map((file) => path.join(site, file)),
      ...slugs.map((slug) => path.join(site, slug, 'index.html')),
    ];
    for (const file of files) {
      const html = await pageText(path.relative(site, file));
      // The file a link names, without its query (the explorer's state) or fragment.
      for (const [, target] of html.matchAll(/(?:href|src)="([^"#?]+)(?:[?#][^"]*)?"/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // https:, data: and other schemes are not files of the site
        // The print edition made in memory links the PDFs of a site built with --pdf (pdf.test.ts checks those links).
        if (file === path.join(site, SITE_PAGES.print) && target!.startsWith('pdf/')) continue;
        expect(
          existsSync(path.resolve(path.dirname(file), target!)),
          `${target} from ${path.relative(site, file)}`,
        ).toBe(true);
      }
    }
  });

  it('loads nothing from outside the site: no scripts, no remote styles, fonts or images', async () => {
    const css = await readFile(path.join(site, 'style.css'), 'utf8');
    expect(css).not.toMatch(/url\(["']?https?:/);
    expect(css).toMatch(/url\("fonts\/inter-400\.woff2"\)/);
    expect(existsSync(path.join(site, 'fonts', 'inter-400.woff2'))).toBe(true);
    expect(existsSync(path.join(site, 'fonts', 'LICENSE-Inter.txt'))).toBe(true);
    let interactivePages = 0;
    for (const slug of ['', ...slugs]) {
      const html = await readFile(path.join(site, slug, 'index.html'), 'utf8');
      expect(html).not.toMatch(/<(?:link|img|iframe|source|script)[^>]+(?:href|src)="https?:/);
      const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((match) => match[1]!);
      const root = slug ? '../' : '';
      // Every page: the site's small script in the head (theme before the first paint, then search and
      // the theme control), local. Pages with interactive charts: also the charts' script, deferred, and
      // the charts' specs (wide and narrow) as JSON data blocks.
      const loaded = scripts.filter((attributes) => attributes.includes('src='));
      if (!html.includes('data-interactive')) {
        expect(scripts, slug).toEqual([` src="${root}site.js"`]);
        continue;
      }
      interactivePages++;
      expect(loaded).toEqual([` src="${root}site.js"`, ` src="${root}interactive.js" defer`]);
      expect(
        scripts
          .filter((attributes) => !attributes.includes('src='))
          .every((attributes) => /^ class="chart-spec(-narrow)?" type="application\/json"$/.test(attributes)),
      ).toBe(true);
    }
    expect(interactivePages).toBeGreaterThan(0);
    for (const script of ['interactive.js', 'site.js', 'search.js', 'search-index.js'])
      expect(existsSync(path.join(site, script)), script).toBe(true);
  });

  it('has light and dark themes and print rules, and charts that follow the theme', async () => {
    const css = await readFile(path.join(site, 'style.css'), 'utf8');
    expect(css).toContain('@media (prefers-color-scheme: dark)');
    expect(css).toContain('@media print');
    const html = await page(slugs[0]!);
    expect(html).toContain('fill="currentColor"');
    // Charts are set in the bundled Inter, the font their text was measured with.
    expect(html).toMatch(/font-family="Inter, /);
    expect(html).not.toMatch(/font-family="(?!Inter)/);
  });

  it('makes every chart accessible and downloadable: role img, a name, a description, its data as a table, CSV, JSON and spec', async () => {
    let charts = 0;
    for (const slug of slugs) {
      const html = await page(slug);
      for (const [figure] of html.matchAll(/<figure class="chart"[\s\S]*?<\/figure>/g)) {
        charts++;
        expect(figure).toMatch(
          /<div class="chart-svg" role="img" aria-label="[^"]+" aria-describedby="(figure-\d+-description)"><svg /,
        );
        expect(figure).toMatch(/<figcaption><span class="figure-number">Figure \d+\. <\/span>/);
        const number = /figure-(\d+)-description/.exec(figure)![1];
        expect(figure).toContain(`<p class="visually-hidden" id="figure-${number}-description">`);
        expect(figure).toMatch(/<details class="chart-data"><summary>Data of figure \d+/);
        for (const extension of ['csv', 'json', 'vl.json']) {
          expect(figure).toContain(`href="figure-${number}.${extension}"`);
          expect(existsSync(path.join(site, slug, `figure-${number}.${extension}`))).toBe(true);
        }
        JSON.parse(await readFile(path.join(site, slug, `figure-${number}.vl.json`), 'utf8'));
      }
    }
    expect(charts).toBeGreaterThanOrEqual(slugs.length);
  });

  it('cuts no chart label short and hides none (the labels are measured with the served font); phones get narrow variants', async () => {
    let narrow = 0;
    for (const slug of slugs) {
      const html = await page(slug);
      // The charts as drawn for wide screens and print (a narrow variant may cut long axis labels at 150 px).
      const wide = [...html.matchAll(/<svg [^>]*class="marks(?! chart-narrow)[^"]*"[\s\S]*?<\/svg>/g)].map(
        ([svg]) => svg,
      );
      narrow += (html.match(/class="marks chart-narrow"/g) ?? []).length;
      expect(wide.length, slug).toBeGreaterThan(0);
      for (const svg of wide) {
        expect(svg, slug).not.toMatch(/<text[^>]* opacity="0"/);
        expect(svg, slug).not.toMatch(/…<\/text>/);
      }
    }
    expect(narrow).toBeGreaterThan(0);
  });

  it('says on every page when and from what it was built, and links each report to its template and data files', async () => {
    const manifest = JSON.parse(await readFile(path.join(site, 'manifest.json'), 'utf8')) as {
      tool: {version: string};
      reports: Array<{slug: string; template: string; uses: Record<string, string>}>;
    };
    for (const file of [
      'index.html',
      'data.html',
      '404.html',
      'print.html',
      ...slugs.map((slug) => `${slug}/index.html`),
    ]) {
      const html = await pageText(file);
      expect(html, file).toMatch(
        new RegExp(
          `<p class="site-provenance">Data as of \\d{4}-\\d{2}(-\\d{2})?; made by tradeoffs ${manifest.tool.version.replace(/\./g, '\\.')}\\.`,
        ),
      );
    }
    for (const report of manifest.reports) {
      const html = await page(report.slug);
      const about = html.slice(html.indexOf('<aside class="page-about"'));
      expect(about).toContain(`<a href="../source/${report.template}"><code>${report.template}</code></a>`);
      // A data file for every record kind the report read.
      for (const key of Object.keys(report.uses).filter((key) => key.startsWith('scenarios:')))
        expect(about, `${report.slug} ${key}`).toMatch(/<a href="\.\.\/source\/data\/scenarios\/[^"]+\.yaml">/);
      expect(await readFile(path.join(site, 'source', report.template), 'utf8')).toBe(
        await readFile(path.join(project.root, report.template), 'utf8'),
      );
      // Citation: meta tags for reference managers, BibTeX and CSL JSON beside the page.
      expect(html).toMatch(/<meta name="citation_title" content="[^"]+">/);
      expect(html).toMatch(/<meta name="citation_publication_date" content="\d{4}\/\d{2}\/\d{2}">/);
      expect(await readFile(path.join(site, report.slug, 'cite.bib'), 'utf8')).toMatch(/^@misc\{tradeoffs-/);
      expect(JSON.parse(await readFile(path.join(site, report.slug, 'cite.json'), 'utf8'))[0].type).toBe('report');
    }
  });

  it('offers every scenario’s inputs and outputs for download, as JSON and CSV', async () => {
    const scenarios = JSON.parse(await readFile(path.join(site, 'downloads', 'scenarios.json'), 'utf8')) as Array<{
      id: string;
      inputs: {id: string};
      estimates: Array<{outputs: Array<{name: string; value: number | null}>}>;
    }>;
    const ids = (await readdir(path.join(project.root, 'data', 'scenarios'))).length;
    expect(scenarios.length).toBeGreaterThanOrEqual(ids);
    for (const scenario of scenarios) expect(scenario.inputs.id).toBe(scenario.id);
    const pretraining = scenarios.find((scenario) => scenario.id === 'deepseek-v3-pretraining');
    expect(pretraining?.estimates[0]?.outputs.find((output) => output.name === 'gpuHours')?.value).toBeGreaterThan(1e6);
    const outputs = await readFile(path.join(site, 'downloads', 'scenario-outputs.csv'), 'utf8');
    expect(outputs.split('\r\n')[0]).toBe('scenario,kind,point,output,unit,value,p5,p50,p95');
    expect(outputs).toMatch(/\r\ndeepseek-v3-pretraining,training,,gpuHours,GPU-h,\d/);
    const inputs = await readFile(path.join(site, 'downloads', 'scenario-inputs.csv'), 'utf8');
    expect(inputs).toMatch(/\r\ndeepseek-v3-pretraining,data\/scenarios\/[^,]+\.yaml,workload\.tokens,\d/);
    const data = await readFile(path.join(site, 'data.html'), 'utf8');
    for (const file of ['scenarios.json', 'scenario-outputs.csv', 'scenario-inputs.csv'])
      expect(data).toContain(`href="downloads/${file}"`);
  });

  it('writes links that work from disk: none names a folder, each report links its neighbours', async () => {
    for (const slug of slugs) {
      const html = await page(slug);
      for (const [, target] of html.matchAll(/href="([^"#]*)(?:#[^"]*)?"/g))
        if (target && !/^[a-z]+:/i.test(target)) expect(target, `${slug}: ${target}`).not.toMatch(/(^|\/)(\.\.?)?$/);
      expect(html).toMatch(/<nav class="pager" aria-label="Previous and next reports">/);
    }
    expect(existsSync(path.join(site, '404.html'))).toBe(true);
  });

  it('shows uncertain numbers as a median with their range', async () => {
    const html = await page('deepseek-v3-on-other-hardware');
    expect(html).toMatch(/\$[\d.]+M \(\$[\d.]+–[\d.]+M\)/);
  });
});

describe('CSV downloads', () => {
  it('quote separators and neutralise spreadsheet formulas in text cells', () => {
    const csv = toCsv({
      columns: ['name', 'value'],
      rows: [
        {name: '=HYPERLINK("x")', value: -3},
        {name: 'a, "b"', value: 2},
        {name: '@SUM(A1)', value: 1},
        {name: '+1', value: 0},
      ],
    });
    expect(csv).toBe('name,value\r\n"\'=HYPERLINK(""x"")",-3\r\n"a, ""b""",2\r\n\'@SUM(A1),1\r\n\'+1,0\r\n');
  });
});
