import {cp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {copyProject, REPO_ROOT, runCli} from '../helpers/project.js';

const GALLERY = path.join(REPO_ROOT, 'test/fixtures/vega-lite-gallery');

/** A report pasting Vega-Lite gallery specs as published: data from files under data/. */
async function galleryTemplate(names: readonly string[], interactive: string): Promise<string> {
  const charts = await Promise.all(
    names.map(
      async (name) =>
        `<Chart ${name === interactive ? 'interactive ' : ''}spec={${await readFile(path.join(GALLERY, 'specs', name), 'utf8')}} />`,
    ),
  );
  return `---\ntitle: Gallery\nsummary: Specs as pasted.\n---\n\n${charts.join('\n\n')}\n`;
}

/**
 * Charts whose specs load their data from files (`data.url`), as the Vega
 * editor's specs do: read from the project at build time, a dependency of
 * the report, never fetched.
 */
describe('chart data files', () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  const site = () => path.join(project.root, 'reports');

  beforeAll(async () => {
    project = await copyProject();
    // One bundled report beside the gallery page, to see that only the gallery is rebuilt.
    for (const name of await readdir(path.join(project.root, 'templates')))
      if (name !== 'does-efficiency-reduce-compute.mdx') await rm(path.join(project.root, 'templates', name));
    await cp(path.join(GALLERY, 'data'), path.join(project.root, 'data'), {recursive: true});
    await writeFile(
      path.join(project.root, 'templates/gallery.mdx'),
      await galleryTemplate(
        ['bar_aggregate.vl.json', 'geo_layer_line_london.vl.json', 'interactive_overview_detail.vl.json'],
        'interactive_overview_detail.vl.json',
      ),
    );
  });
  afterAll(() => project.cleanup());

  it('builds the specs as pasted, with the files as downloads and in the live copy', async () => {
    const result = runCli(['build'], project.root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/\d error/);
    const page = await readFile(path.join(site(), 'gallery/index.html'), 'utf8');
    // One drawing per chart (a chart's narrow variant for phones is a second drawing of it).
    expect(page.match(/<svg (?![^>]*chart-narrow)/g)?.length).toBe(3);
    expect(page).toContain('href="figure-1-population.json"');
    expect(page).toContain('Data (data/population.json)');
    // The data table shows the file's rows as Vega parsed them.
    expect(page).toMatch(/Data of figure 1 \(first 200 of 570 rows\)/);
    expect(await readFile(path.join(site(), 'gallery/figure-1-population.json'), 'utf8')).toBe(
      await readFile(path.join(GALLERY, 'data/population.json'), 'utf8'),
    );
    // The live copy carries the data: the browser fetches nothing.
    const live = /<script class="chart-spec" type="application\/json">([^<]*)<\/script>/.exec(page)?.[1] ?? '';
    expect(live).toContain('"values":"date,price');
    expect(live).not.toContain('"url"');
  });

  it('renders the report again when a data file changes, and only it', async () => {
    const file = path.join(project.root, 'data/population.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"people":1483789', '"people":1483790'));
    const result = runCli(['build'], project.root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Rendering 1 of 2 report\(s\): gallery \(`data\/population\.json` changed\)\n/);
  });

  it('refuses a URL outside the project at the chart, and a missing file', async () => {
    await writeFile(
      path.join(project.root, 'templates/gallery.mdx'),
      '---\ntitle: Gallery\nsummary: x\n---\n\nText.\n\n<Chart spec={{data: {url: "https://example.com/cars.json"}, mark: "point"}} />\n\n<Chart spec={{data: {url: "data/none.csv"}, mark: "point"}} />\n',
    );
    const result = runCli(['build'], project.root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('templates/gallery.mdx');
    expect(result.stderr).toMatch(
      /8:1 +error Chart 1: cannot read `data.url` `https:\/\/example.com\/cars.json` at `spec.data`: expected a relative path to a file under data\/ or templates\//,
    );
    expect(result.stderr).toMatch(
      /10:1 +error Chart 2: cannot read `data.url` `data\/none.csv` at `spec.data`: no file `data\/none.csv` in the project/,
    );
  });

  it('refuses a runaway sequence with a message, exit 1, and leaves no lock (it used to exit 13 after 4.4 GB)', async () => {
    await writeFile(
      path.join(project.root, 'templates/gallery.mdx'),
      "---\ntitle: Gallery\nsummary: x\n---\n\n<Chart spec={{data: {sequence: {start: 0, stop: 5000000, as: 'x'}}, mark: 'point', encoding: {x: {field: 'x', type: 'quantitative'}}}} />\n",
    );
    const result = runCli(['build'], project.root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /6:1 +error Chart 1: The chart reads 5,000,000 rows of data, expected at most 250,000/,
    );
    expect(await readdir(project.root)).not.toContain('reports.lock');
  });
});
