import {execFileSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {cp, mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {chromium, type Browser} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {sourceRecordSchema} from '../../src/data/schemas/source.js';
import {parseYamlSource} from '../../src/data/yaml-source.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {CHROMIUM_FLAGS, DEFAULT_CHROMIUM, runningHeader} from '../../src/output/pdf.js';
import {activeContent, startTags, type Tag} from '../helpers/html-scan.js';
import {hashTree, REPO_ROOT, runCli} from '../helpers/project.js';
import {serveStatic, type StaticServer} from '../helpers/static-server.js';

/**
 * Data is untrusted (README, "Adding data"): a project whose every string field holds
 * markup, and whose chip names are spreadsheet formulas, builds into a site
 * where none of it is markup, none of it runs (in Chromium, with JavaScript,
 * after the charts hydrate and a tooltip shows it), CSV cells are never
 * formulas, and the JSON downloads parse. Keys that reach prototypes are
 * refused wherever they are written, and no field of the data names a file:
 * a URL is text.
 */

const SCRIPT = '<script>alert(1)</script>';
const ATTRIBUTE = '"><img src=x onerror=alert(1)>';
const SINGLE = "'><svg onload=alert(1)>";
const XSS = `${SCRIPT} ${ATTRIBUTE} ${SINGLE}`;
const FORMULAS = ['=HYPERLINK("http://evil")', '+1', '-1', '@SUM(A1)', ' =1+1'];
const DOTDOT_URL = 'https://example.com/../../../../etc/passwd';

/** A YAML scalar holding `label` and every payload (JSON strings are YAML). */
const hostile = (label: string) => JSON.stringify(`${label} ${XSS}`);

function chip(id: string, name: string): string {
  return `- id: ${id}
  name: ${JSON.stringify(name)}
  vendor: ${hostile('vendor')}
  peak_tflops: {bf16: 989, fp8: 1979, source: ${hostile('peak source')}}
  memory: {capacity_gb: 80, bandwidth_tb_per_s: 3.35, source: ${hostile('memory source')}}
  scale_up: {bandwidth_gb_per_s: 450, domain_gpus: 8, source: ${hostile('scale-up source')}}
  scale_out: {bandwidth_gb_per_s: 50, source: ${hostile('scale-out source')}}
  power: {tdp_w: 700, source: ${hostile('power source')}}
  price: {kind: on-demand, usd_per_gpu_hour: 2.0, as_of: 2025-01, source: ${hostile('price source')}}
  notes: ${hostile('notes')}
`;
}

const CHIP_IDS = ['chip-a', 'chip-b', 'chip-c', 'chip-d', 'chip-e', 'chip-f'];

const FILES: Record<string, string> = {
  'data/hardware.yaml': [
    chip('chip-a', `chip ${XSS}`),
    ...FORMULAS.map((formula, index) => chip(CHIP_IDS[index + 1]!, formula)),
  ].join('\n'),
  'data/models.yaml': `- id: model-a
  name: ${hostile('model')}
  layers: 126
  d_model: 16384
  vocab: 128256
  attention: {kind: gqa, heads: 128, kv_heads: 8, head_dim: 128}
  ffn: {kind: dense, d_ff: 53248, gated: true}
  declared: {params_total: 405e9, source: ${hostile('declared source')}}
  source: ${hostile('model source')}
`,
  'data/sources.yaml': `- id: evil
  title: ${hostile('title')}
  authors: ${hostile('authors')}
  year: 2024
  venue: ${hostile('venue')}
  url: ${JSON.stringify(`https://example.com/?q=${ATTRIBUTE}&r=${SCRIPT}`)}
  note: ${hostile('note')}
- id: dotdot
  title: A source whose URL climbs folders
  url: ${DOTDOT_URL}
`,
  'data/scenarios/hostile.yaml': `id: hostile
name: ${hostile('scenario')}
description: ${hostile('description')}
kind: training
model: model-a
cluster: {hardware: chip-a, gpus: 16384}
workload: {tokens: 15.6e12, seq_len: 8192}
precision: bf16
efficiency: {mfu: 0.38, attention: none, peak_precision: bf16, source: ${hostile('efficiency source')}}
cost: {usd_per_gpu_hour: {low: 1.5, mode: 2.0, high: 3.0}, source: ${hostile('cost source')}}
reported: {gpu_hours: 3.0e7, source: ${hostile('reported source')}}
sweep: {hardware: [${CHIP_IDS.join(', ')}]}
`,
  // The template is trusted code; it puts the data everywhere a template can.
  'templates/hostile.mdx': `---
title: ${hostile('title')}
summary: ${hostile('summary')}
key_figure: {scenario: hostile, output: gpuHours, label: ${hostile('key figure')}}
---

export const runs = sweep('hostile')
export const first = catalog.hardware[0]
export const scenario = catalog.scenarios[0]

# {scenario.name}

<KeyFigures items={[{scenario: 'hostile', output: 'gpuHours', label: first.name}, {scenario: 'hostile', output: 'costUsd'}]} />

The run takes <Estimate scenario="hostile" output="gpuHours" /> <Cite id="evil" /> <Cite id="dotdot" />; {scenario.description}.

<Callout kind="note" title={first.name}>{first.vendor}</Callout>

## {first.name}

| Chip | Vendor | Notes |
| :-- | :-: | --: |
| {runs[0].hardwareName} | {first.vendor} | {first.notes} |
| {runs[1].hardwareName} | {runs[2].hardwareName} | {runs[3].hardwareName} |

<table><tbody><tr><td style="text-align: right">{first.name}</td><th title={first.name}>{first.vendor}</th></tr></tbody></table>

<Chart
  id="days"
  caption={first.name}
  description={first.vendor}
  interactive
  spec={{
    title: first.name,
    description: first.vendor,
    data: { values: runs.map((run) => ({ chip: run.hardwareName, days: run.wallClockDays, vendor: first.vendor, [first.name]: run.hardwareName })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'chip', type: 'nominal', title: first.name, axis: { labelLimit: 1000 } },
      x: { field: 'days', type: 'quantitative', title: first.vendor },
      tooltip: [{ field: 'chip', title: first.name }, { field: 'vendor' }],
    },
  }}
/>

<Figure id="table" caption={first.name}>
  <ScenarioTable scenario="hostile" outputs={['gpuHours', 'costUsd']} caption={first.name} />
</Figure>

See <Ref to="days" /> and <Ref to="table" />.

## Assumptions

<Assumptions />
`,
};

/** The site's own scripts: its bundled files, the charts' specs and the explorer's data as JSON data blocks. */
function siteScript(tag: Tag): boolean {
  if (tag.name !== 'script') return false;
  const attributes = new Map(tag.attributes);
  if (
    attributes.get('type') === 'application/json' &&
    attributes.size === 2 &&
    (attributes.get('class') === 'chart-spec' ||
      attributes.get('class') === 'chart-spec-narrow' ||
      attributes.get('id') === 'explorer-data')
  )
    return true;
  // The site's script on every page (theme, search): in the head, not deferred, so the theme applies before drawing.
  if (attributes.size === 1 && /^(\.\.\/)?site\.js$/.test(attributes.get('src') ?? '')) return true;
  return (
    attributes.size === 2 &&
    /^(\.\.\/)?(interactive|explorer)\.js$/.test(attributes.get('src') ?? '') &&
    attributes.has('defer')
  );
}

/** RFC 4180 rows, quotes undone. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (character === '"') quoted = false;
      else cell += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(cell);
      cell = '';
    } else if (character === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index++;
    } else cell += character;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

function filesOf(root: string, pattern: RegExp): string[] {
  return (readdirSync(root, {recursive: true}) as string[]).filter((file) => pattern.test(file)).sort();
}

describe('hostile data', () => {
  let work: string;
  let site: string;
  let built: ReturnType<typeof runCli>;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tradeoffs-hostile-'));
    for (const [file, text] of Object.entries(FILES)) {
      await mkdir(path.dirname(path.join(work, 'project', file)), {recursive: true});
      await writeFile(path.join(work, 'project', file), text);
    }
    site = path.join(work, 'site');
    built = runCli(['build', '--pdf', '--root', path.join(work, 'project'), '--out', site], REPO_ROOT);
  });
  afterAll(async () => {
    if (work) await rm(work, {recursive: true, force: true});
  });

  it('builds, with the strings in every page', () => {
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).not.toMatch(/error/);
    for (const file of filesOf(site, /\.html$/)) {
      expect(readFileSync(path.join(site, file), 'utf8'), `${file} shows the data`).toContain('alert(1)');
    }
    const page = readFileSync(path.join(site, 'hostile', 'index.html'), 'utf8');
    // As text: escaped in the page, in the chart's SVG, and kept whole in the JSON spec.
    expect(page).toContain('chip &#x3C;script>alert(1)&#x3C;/script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('\\u003cscript>alert(1)\\u003c/script>');
  });

  it('makes no markup of the data in any HTML or SVG file: no element that runs or loads, no event handler, no script URL', () => {
    const files = filesOf(site, /\.(html|svg)$/);
    expect(files).toEqual(expect.arrayContaining(['index.html', 'print.html', 'hostile/index.html']));
    const findings = files.flatMap((file) =>
      activeContent(readFileSync(path.join(site, file), 'utf8'), siteScript).map((finding) => `${file}: ${finding}`),
    );
    expect(findings, findings.join('\n')).toEqual([]);
  });

  it("keeps the charts' and the explorer's JSON data blocks closed: no `<` inside, valid JSON, the strings intact", () => {
    let blocks = 0;
    for (const file of filesOf(site, /\.html$/)) {
      for (const tag of startTags(readFileSync(path.join(site, file), 'utf8'))) {
        if (tag.name !== 'script' || tag.rawText === undefined || tag.rawText === '') continue;
        blocks++;
        expect(tag.rawText, file).not.toContain('<');
        if (file === 'explore.html') {
          // The explorer's catalog: every record as its data file writes it, the strings as they were.
          expect(JSON.stringify(JSON.parse(tag.rawText)), file).toContain(JSON.stringify(`chip ${XSS}`));
          continue;
        }
        // A narrow variant for phones sets a long title in lines.
        const spec = JSON.parse(tag.rawText) as {title: string | string[]};
        expect(Array.isArray(spec.title) ? spec.title.join(' ') : spec.title).toBe(`chip ${XSS}`);
      }
    }
    expect(blocks, 'JSON data blocks (the report and the print edition, wide and narrow, and the explorer)').toBe(5);
  });

  it('neutralises every formula in the CSV downloads, and keeps numbers as numbers', () => {
    const files = filesOf(site, /\.csv$/);
    expect(files).toEqual(['downloads/scenario-inputs.csv', 'downloads/scenario-outputs.csv', 'hostile/figure-1.csv']);
    // Every CSV the site offers: the chart's data and the site-wide downloads of every scenario.
    const cells = files.flatMap((file) => parseCsv(readFileSync(path.join(site, file), 'utf8')).flat());
    const rows = parseCsv(readFileSync(path.join(site, 'hostile/figure-1.csv'), 'utf8'));
    const formulas = cells.filter(
      (cell) => /^[\t\r\n]|^[ \u00a0]*[=+\-@]/.test(cell) && !/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell),
    );
    expect(formulas).toEqual([]);
    for (const formula of FORMULAS) expect(cells, formula).toContain(`'${formula}`);
    expect(rows[0]).toEqual(['chip', 'days', 'vendor', `chip ${XSS}`]);
    expect(rows.slice(1).every((row) => Number.isFinite(Number(row[1])))).toBe(true);
  });

  it('writes JSON downloads that parse, with the strings as they were', () => {
    const files = filesOf(site, /\.json$/);
    expect(files).toEqual([
      'downloads/scenarios.json',
      'hostile/cite.json',
      'hostile/figure-1.json',
      'hostile/figure-1.vl.json',
      'manifest.json',
    ]);
    for (const file of files) expect(() => JSON.parse(readFileSync(path.join(site, file), 'utf8')), file).not.toThrow();
    const rows = JSON.parse(readFileSync(path.join(site, 'hostile', 'figure-1.json'), 'utf8')) as Array<{chip: string}>;
    expect(rows.map((row) => row.chip)).toEqual([`chip ${XSS}`, ...FORMULAS]);
  });

  it("prints the title in the PDF's running header as text", () => {
    expect(activeContent(runningHeader(XSS))).toEqual([]);
    expect(runningHeader(XSS)).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    const text = execFileSync(
      'pdftotext',
      ['-layout', '-f', '1', '-l', '1', path.join(site, 'pdf', 'hostile.pdf'), '-'],
      {encoding: 'utf8'},
    );
    // The frontmatter title is printed nowhere else on the report's pages.
    expect(text).toContain(`title ${SCRIPT}`);
  });

  describe('in Chromium, with JavaScript', () => {
    let browser: Browser;
    let server: StaticServer;
    beforeAll(async () => {
      browser = await chromium.launch({executablePath: DEFAULT_CHROMIUM, args: CHROMIUM_FLAGS, timeout: 0});
      server = await serveStatic(site);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('runs nothing from the data on any page, after the charts hydrate and while a tooltip shows the strings', async () => {
      const problems: string[] = [];
      for (const file of filesOf(site, /\.html$/)) {
        const context = await browser.newContext({viewport: {width: 1280, height: 900}});
        // No clock of its own: every wait below ends on the page's events; the test's timeout is the safety net.
        context.setDefaultTimeout(0);
        context.setDefaultNavigationTimeout(0);
        const page = await context.newPage();
        page.on('dialog', (dialog) => {
          problems.push(`${file}: a ${dialog.type()} opened: ${dialog.message()}`);
          void dialog.dismiss();
        });
        page.on('pageerror', (error) => problems.push(`${file}: page error: ${error.message}`));
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(`${file}: console error: ${message.text()}`);
        });
        await page.goto(`${server.origin}/${file}`, {waitUntil: 'load'});
        if (await page.locator('script[src$="interactive.js"]').count()) {
          await page.waitForSelector('figure[data-hydrated="true"]');
          const figure = page.locator('figure[data-interactive]').first();
          await figure.scrollIntoViewIfNeeded();
          const bar = await figure.locator('.chart-live .mark-rect path').first().boundingBox();
          expect(bar, 'a bar of the live chart').not.toBeNull();
          await page.mouse.move(bar!.x + bar!.width / 2, bar!.y + bar!.height / 2);
          await page.locator('#vg-tooltip-element').waitFor({state: 'visible'});
          const tooltip = page.locator('#vg-tooltip-element');
          expect(await tooltip.textContent()).toContain(`chip ${XSS}`);
          expect(await tooltip.locator('img, svg, script').count()).toBe(0);
        }
        const dom = await page.evaluate(() => {
          const doc = (
            globalThis as {
              document: {
                querySelectorAll: (
                  selector: string,
                ) => Iterable<{tagName: string; attributes: Iterable<{name: string}>}>;
              };
            }
          ).document;
          const elements = [...doc.querySelectorAll('*')];
          return {
            active: elements.filter((element) => ['IMG', 'IFRAME', 'OBJECT', 'EMBED'].includes(element.tagName)).length,
            handlers: elements.flatMap((element) =>
              [...element.attributes].map((attribute) => attribute.name).filter((name) => name.startsWith('on')),
            ),
            scripts: [...doc.querySelectorAll('script')].length,
          };
        });
        if (dom.active > 0 || dom.handlers.length > 0)
          problems.push(`${file}: ${dom.active} img/iframe/object/embed, handlers ${dom.handlers.join(', ')}`);
        // No script beyond those the page was served with (each one of the site's own: see siteScript).
        const served = startTags(readFileSync(path.join(site, file), 'utf8')).filter((tag) => tag.name === 'script');
        expect(dom.scripts, file).toBeLessThanOrEqual(served.length);
        await context.close();
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });
  });

  it('reads no file a URL in the data names: a URL that climbs folders is a link, as written', () => {
    // No field of the data is a path the build reads: data/ is read by its fixed file names, charts
    // read only input files under data/ and templates/ (and load nothing while drawing), templates
    // are found by listing templates/. A source URL is
    // only ever the href of a link.
    const page = readFileSync(path.join(site, 'hostile', 'index.html'), 'utf8');
    expect(page).toContain(`<a href="${DOTDOT_URL}">`);
    for (const file of filesOf(site, /\.(html|json|csv)$/))
      expect(readFileSync(path.join(site, file), 'utf8'), file).not.toMatch(/root:x:0:0/);
    for (const url of [
      '../../etc/passwd',
      '/etc/passwd',
      'file:///etc/passwd',
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
    ]) {
      expect(sourceRecordSchema.safeParse({id: 'x', title: 'x', url}).success, url).toBe(false);
    }
  });

  it('refuses keys that reach prototypes wherever they are written, at their line and column, and builds no object', () => {
    const cases: Array<[string, string, number, number]> = [
      ['a block key', 'name: x\n__proto__: {polluted: true}\n', 2, 1],
      ['a quoted key', 'name: x\n"__proto__": {polluted: true}\n', 2, 1],
      ['a key in a flow mapping in a list', '- name: x\n- {name: y, __proto__: {polluted: true}}\n', 2, 13],
      ['an explicit key', 'name: x\n? constructor\n: {prototype: {polluted: true}}\n', 2, 3],
      ['an alias to the key', 'name: &key prototype\n*key : {polluted: true}\n', 2, 1],
      ['a nested key', 'a:\n  b:\n    - c: 1\n      constructor: {prototype: {polluted: true}}\n', 4, 7],
    ];
    for (const [label, text, line, column] of cases) {
      const diagnostics = new Diagnostics();
      expect(parseYamlSource('data/x.yaml', text, diagnostics), label).toBeUndefined();
      const messages = diagnostics.file('data/x.yaml').messages;
      expect(
        messages.some(
          (message) =>
            message.fatal &&
            message.reason.startsWith('Refused key') &&
            message.line === line &&
            message.column === column,
        ),
        `${label}: ${messages.map((message) => `${message.line}:${message.column} ${message.reason}`).join('; ')}`,
      ).toBe(true);
    }
    expect(({} as {polluted?: unknown}).polluted).toBeUndefined();
  });
});

describe('the HTML scanner the hostile-data test relies on', () => {
  it('tells markup from escaped or quoted text, as a browser parses it', () => {
    expect(activeContent('<p>&#x3C;script>alert(1)&#x3C;/script> "><img src=x onerror=alert(1)></p>')).not.toEqual([]);
    expect(activeContent('<p>&#x3C;script>alert(1)&#x3C;/script> ">&#x3C;img src=x onerror=alert(1)></p>')).toEqual([]);
    expect(
      activeContent('<p title="<script>alert(1)</script> &#x22;><img src=x>">x</p><svg><text>&lt;img&gt;</text></svg>'),
    ).toEqual([]);
    expect(activeContent("<div title='a'><script>alert(1)</script></div>")).toEqual([
      expect.stringContaining('element script'),
    ]);
    expect(activeContent('<p>1 < 2</p><a href=" javascript:alert(1)">x</a>')).toEqual([
      expect.stringContaining('href=" javascript:alert(1)"'),
    ]);
    expect(activeContent('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>')).toEqual([
      expect.stringContaining('xlink:href'),
    ]);
    expect(activeContent('<svg onload=alert(1)>')).toEqual([expect.stringContaining('event handler onload')]);
    expect(
      activeContent(
        '<script type="application/json">{"a": "</p><img src=x onerror=alert(1)>"}</script>',
        (tag) => tag.name === 'script',
      ),
    ).toEqual([]);
  });
});

/**
 * Shards and cache entries are input too (README, "What is trusted"): a
 * report in a shard, or in the build cache (restored in CI), whose markup a
 * render never makes is refused by merge with a message naming the file,
 * and is rendered again by a build, so that neither publishes it.
 */
describe('tampered shards and caches', () => {
  const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'golden');
  let work: string;
  let project: string;
  let cleanSite: string;

  type Json = Record<string, unknown> & {
    content: {children: Array<Record<string, unknown>>};
    slug: string;
    assets: unknown[][];
  };
  /** Ways to change a rendered report (as a shard or the cache keeps it) into one no render makes. */
  const TAMPERINGS: Record<string, (report: Json) => void> = {
    'an event handler': (report) => {
      const element = report.content.children.find((child) => child.type === 'element') as {properties: object};
      Object.assign(element.properties, {onError: 'alert(1)'});
    },
    'a foreign script': (report) =>
      report.content.children.push({
        type: 'element',
        tagName: 'script',
        properties: {src: 'https://evil.example/x.js'},
        children: [],
      }),
    'a meta refresh': (report) =>
      report.content.children.push({
        type: 'element',
        tagName: 'meta',
        properties: {httpEquiv: 'refresh', content: '0; url=https://evil.example/'},
        children: [],
      }),
    'raw markup that is no chart': (report) =>
      report.content.children.push({type: 'raw', value: '<img src=x onerror=alert(1)>'}),
    'a script in an SVG': (report) =>
      report.content.children.push({type: 'raw', value: '<svg><script>alert(1)</script></svg>'}),
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tradeoffs-tampered-'));
    project = path.join(work, 'project');
    await cp(FIXTURE, project, {recursive: true});
    cleanSite = path.join(work, 'clean');
    const clean = runCli(['build', '--no-cache', '--root', project, '--out', cleanSite], REPO_ROOT);
    expect(clean.code, clean.stderr).toBe(0);
    const shard = runCli(['build', '--shard', '1/1', '--root', project, '--out', path.join(work, 'shard')], REPO_ROOT);
    expect(shard.code, shard.stderr).toBe(0);
  });
  afterAll(async () => {
    if (work) await rm(work, {recursive: true, force: true});
  });

  /** A copy of the good shard with its report changed by `change`. */
  async function tamperedShard(name: string, change: (built: {report: Json}) => void): Promise<string> {
    const shard = path.join(work, name);
    await cp(path.join(work, 'shard'), shard, {recursive: true});
    const file = path.join(shard, 'reports', 'golden-report.json');
    const built = JSON.parse(readFileSync(file, 'utf8')) as {report: Json};
    change(built);
    await writeFile(file, JSON.stringify(built));
    return shard;
  }

  it('merge refuses a shard whose report holds markup no render makes, naming the file, and publishes nothing', async () => {
    const changes: Record<string, (built: {report: Json}) => void> = {
      ...Object.fromEntries(
        Object.entries(TAMPERINGS).map(([what, tamper]) => [what, (built) => tamper(built.report)]),
      ),
      'a slug that climbs out of the site': (built) => void (built.report.slug = '../../evil'),
      'a download that is a page': (built) => void built.report.assets.push(['evil.html', '<script>alert(1)</script>']),
    };
    for (const [index, [what, change]] of Object.entries(changes).entries()) {
      const shard = await tamperedShard(`shard-${index}`, change);
      const out = path.join(work, `merged-${index}`);
      const merged = runCli(['merge', shard, '--out', out], REPO_ROOT);
      expect(merged.code, `${what}: ${merged.stderr}`).toBe(1);
      expect(merged.stderr, what).toMatch(/reports\/golden-report\.json\n\d+:\d+(-\d+:\d+)? +error +`report\./);
      expect(merged.stderr, what).not.toMatch(/^\s+at /m);
      expect(existsSync(out), `${what}: nothing published`).toBe(false);
    }
  });

  it('merge reads no report file that links out of the shard (to /etc/passwd), and echoes none of it', async () => {
    const shard = path.join(work, 'shard-linked');
    await cp(path.join(work, 'shard'), shard, {recursive: true});
    await rm(path.join(shard, 'reports', 'golden-report.json'));
    await symlink('/etc/passwd', path.join(shard, 'reports', 'golden-report.json'));
    const merged = runCli(['merge', shard, '--out', path.join(work, 'merged-linked')], REPO_ROOT);
    expect(merged.code).toBe(1);
    expect(merged.stderr).toMatch(
      /golden-report\.json\n.*error +Cannot read a report shard\.json lists \(a symbolic link out of the project/,
    );
    expect(merged.stderr).not.toMatch(/root|bin|nologin/);
  });

  it('a build renders again a cached report or chart holding markup no render makes: the site is that of a clean build', async () => {
    const cache = path.join(project, '.tradeoffs', 'cache');
    const site = path.join(work, 'cached-site');
    const first = runCli(['build', '--root', project, '--out', site], REPO_ROOT);
    expect(first.code, first.stderr).toBe(0);
    const clean = await hashTree(cleanSite);
    const entry = path.join(cache, 'reports', 'golden-report.json');
    for (const [what, tamper] of Object.entries(TAMPERINGS)) {
      const cached = JSON.parse(readFileSync(entry, 'utf8')) as {report: Json};
      tamper(cached.report);
      await writeFile(entry, JSON.stringify(cached));
      const rebuilt = runCli(['build', '--force', '--root', project, '--out', site], REPO_ROOT);
      expect(rebuilt.code, `${what}: ${rebuilt.stderr}`).toBe(0);
      expect(await hashTree(site), what).toBe(clean);
    }
    // Every chart in the cache: a script in its SVG.
    const charts = path.join(cache, 'charts');
    for (const name of readdirSync(charts)) {
      const chart = JSON.parse(readFileSync(path.join(charts, name), 'utf8')) as {svg: string};
      await writeFile(
        path.join(charts, name),
        JSON.stringify({...chart, svg: chart.svg.replace('<g', '<script>alert(1)</script><g onload="alert(2)"')}),
      );
    }
    await rm(entry);
    const redrawn = runCli(['build', '--force', '--root', project, '--out', site], REPO_ROOT);
    expect(redrawn.code, redrawn.stderr).toBe(0);
    expect(await hashTree(site)).toBe(clean);
  });
});
