import {existsSync} from 'node:fs';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {toCsv} from '../../src/charts/chart-data.js';
import {copyProject, runCli} from '../helpers/project.js';

/** The built default site: its pages, links, charts and assets. */
describe('the report site', () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  let site: string;
  let slugs: string[];
  const page = (slug: string) => readFile(path.join(site, slug, 'index.html'), 'utf8');

  beforeAll(async () => {
    project = await copyProject();
    const result = runCli(['build'], project.root);
    expect(result.code, result.stderr).toBe(0);
    site = path.join(project.root, 'reports');
    slugs = (await readdir(path.join(project.root, 'templates')))
      .filter((name) => name.endsWith('.mdx') && !name.startsWith('_'))
      .map((name) => name.replace(/\.mdx$/, ''));
  });
  afterAll(() => project.cleanup());

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
  });

  it('resolves every relative link and resource to a file of the site', async () => {
    const files = [path.join(site, 'index.html'), ...slugs.map((slug) => path.join(site, slug, 'index.html'))];
    for (const file of files) {
      const html = await readFile(file, 'utf8');
      // The file a link names, without its query (the explorer's state) or fragment.
      for (const [, target] of html.matchAll(/(?:href|src)="([^"#?]+)(?:[?#][^"]*)?"/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // https:, data: and other schemes are not files of the site
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
      if (!html.includes('data-interactive')) {
        // Pages without interactive charts ship no JavaScript.
        expect(scripts, slug).toEqual([]);
        continue;
      }
      interactivePages++;
      // The site's one script, local, and the charts' specs as JSON data blocks.
      expect(scripts.filter((attributes) => attributes.includes('src='))).toEqual([' src="../interactive.js" defer']);
      expect(
        scripts
          .filter((attributes) => !attributes.includes('src='))
          .every((attributes) => attributes === ' class="chart-spec" type="application/json"'),
      ).toBe(true);
    }
    expect(interactivePages).toBeGreaterThan(0);
    expect(existsSync(path.join(site, 'interactive.js'))).toBe(true);
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

  it('cuts no chart label short and hides none (the labels are measured with the served font)', async () => {
    for (const slug of slugs) {
      const html = await page(slug);
      expect(html, slug).not.toMatch(/<text[^>]* opacity="0"/);
      expect(html, slug).not.toMatch(/…<\/text>/);
    }
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
