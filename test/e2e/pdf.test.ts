import {existsSync} from 'node:fs';
import {appendFile, cp, readdir, readFile, writeFile} from 'node:fs/promises';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {pdfFacts} from '../../src/output/pdf.js';
import {CLI, editFile, hashTree, REPO_ROOT} from '../helpers/project.js';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'golden');
/** A copy of the fixture is a project of its own: without the cache other builds of the fixture left in it. */
const notCache = (source: string) => path.basename(source) !== '.tradeoffs';

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: {...process.env, TZ: 'UTC', ...env},
  });
  return {code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr};
}

/** PDFs printed by a real Chromium (Debian's, as CI installs it), from a small fixture site. */
describe('tradeoffs build --pdf', () => {
  let out: string;
  let first: ReturnType<typeof run>;

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'tradeoffs-pdf-'));
    first = run(['build', '--pdf', '--root', FIXTURE, '--out', path.join(out, 'site')]);
  });
  afterAll(() => rm(out, {recursive: true, force: true}));

  it('prints one PDF per report and one for the whole site', async () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/and 2 PDF\(s\)/);
    // The whole site's PDF is printed from the print edition, which a site with PDFs keeps.
    expect(existsSync(path.join(out, 'site', 'print.html'))).toBe(true);
    expect((await readdir(path.join(out, 'site', 'pdf'))).sort()).toEqual([
      'golden-report.pdf',
      'tradeoffs-reports.pdf',
    ]);
  });

  it('prints A4 pages with vector charts, the report title and the dates of the inputs', async () => {
    const facts = await pdfFacts(path.join(out, 'site', 'pdf', 'golden-report.pdf'));
    expect(facts.mediaBoxes.length).toBeGreaterThan(0);
    for (const box of facts.mediaBoxes) {
      const [, , width, height] = box.split(/\s+/).map(Number);
      expect(width).toBeCloseTo(595.9, 0); // A4: 210 mm × 297 mm at 72 points per inch
      expect(height).toBeCloseTo(842.9, 0);
    }
    expect(facts.rasterImages).toBe(0);
    expect(facts.title).toBe('Golden report · tradeoffs');
    const text = (await readFile(path.join(out, 'site', 'pdf', 'golden-report.pdf'))).toString('latin1');
    // The newest dated price of the fixture's hardware is 2026-03.
    expect(text).toContain("/CreationDate (D:20260301000000+00'00')");
  });

  it('prints the same bytes twice', async () => {
    const second = run(['build', '--pdf', '--no-cache', '--root', FIXTURE, '--out', path.join(out, 'again')]);
    expect(second.code, second.stderr).toBe(0);
    expect(await hashTree(path.join(out, 'again'))).toBe(await hashTree(path.join(out, 'site')));
  });

  it('writes links into the site relative to the PDF, never the staging folder it printed from: the same bytes from any folder', async () => {
    const project = path.join(out, 'linked');
    await cp(FIXTURE, project, {recursive: true, filter: notCache});
    await appendFile(
      path.join(project, 'templates', 'golden-report.mdx'),
      '\nSee [the report itself](../golden-report/index.html), [its data](figure-1.csv) and [the index](../index.html).\n',
    );
    const sites = [path.join(out, 'linked-a'), path.join(out, 'deeper', 'linked-b')];
    for (const site of sites) {
      const built = run(['build', '--pdf', '--no-cache', '--root', project, '--out', site]);
      expect(built.code, built.stderr).toBe(0);
    }
    for (const name of ['golden-report.pdf', 'tradeoffs-reports.pdf']) {
      const [a, b] = await Promise.all(sites.map((site) => readFile(path.join(site, 'pdf', name))));
      expect(a!.equals(b!), `${name} is the same from both folders`).toBe(true);
      const text = a!.toString('latin1');
      expect(text).not.toMatch(/file:|staging|tradeoffs\.invalid/);
      const links = [...text.matchAll(/\/URI \(([^)]*)\)/g)].map((match) => match[1]!);
      expect(links).toEqual(
        expect.arrayContaining(['../golden-report/index.html', '../golden-report/figure-1.csv', '../index.html']),
      );
      // Each resolves, from the PDF's folder, to a file of the site.
      for (const link of links.filter((each) => !/^https?:/.test(each)))
        expect(existsSync(path.join(sites[0]!, 'pdf', link.split('#')[0]!)), link).toBe(true);
    }
  });

  it('prints again a cached PDF that holds what no print of the site has (a script, a file link), never publishing it', async () => {
    const project = path.join(out, 'cached');
    await cp(FIXTURE, project, {recursive: true, filter: notCache});
    const site = path.join(out, 'cached-site');
    expect(run(['build', '--pdf', '--root', project, '--out', site]).code).toBe(0);
    const good = await readFile(path.join(site, 'pdf', 'golden-report.pdf'));
    const cacheDir = path.join(project, '.tradeoffs', 'cache', 'pdf');
    const entries = await readdir(cacheDir);
    expect(entries.length).toBe(2);
    for (const [index, tamper] of [
      (pdf: string) => pdf.replace(/\/Type \/Catalog/, '/Type /Catalog /Names << /J#61vaScript 1 0 R >>'),
      (pdf: string) => pdf.replace('/URI (https://', '/URI (file:///etc/passwd?'),
    ].entries()) {
      for (const entry of entries) {
        const file = path.join(cacheDir, entry);
        const before = (await readFile(file)).toString('latin1');
        const after = tamper(before);
        expect(after, `tampering ${index} changes ${entry}`).not.toBe(before);
        await writeFile(file, after, 'latin1');
      }
      const rebuilt = run(['build', '--pdf', '--force', '--root', project, '--out', site]);
      expect(rebuilt.code, rebuilt.stderr).toBe(0);
      const published = await readFile(path.join(site, 'pdf', 'golden-report.pdf'));
      expect(published.equals(good), `tampering ${index} is not published`).toBe(true);
    }
  });

  it('links each report to its PDF, and the whole site’s PDF from the index', async () => {
    const page = await readFile(path.join(out, 'site', 'golden-report', 'index.html'), 'utf8');
    expect(page).toContain('<a href="../pdf/golden-report.pdf">PDF of this report</a>');
    const index = await readFile(path.join(out, 'site', 'index.html'), 'utf8');
    expect(index).toContain('<a href="pdf/tradeoffs-reports.pdf">All reports as one PDF</a>');
  });

  it('keeps the PDFs of a site still current when a build without PDFs replaces it, and says which it removed and why', async () => {
    const root = path.join(out, 'project');
    await cp(FIXTURE, root, {recursive: true, filter: notCache});
    const site = path.join(root, 'reports');
    const printed = run(['pdf', '--root', root]);
    expect(printed.code, printed.stderr).toBe(0);
    const pdfs = await hashTree(path.join(site, 'pdf'));
    // Nothing changed: the PDFs stay, byte for byte, and the pages keep their links.
    const kept = run(['build', '--root', root]);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toMatch(/^Kept 2 PDF\(s\) of unchanged pages\.\s*$/m);
    expect(await hashTree(path.join(site, 'pdf'))).toBe(pdfs);
    // With the site's PDF, the print edition it was printed from stays too.
    expect(existsSync(path.join(site, 'print.html'))).toBe(true);
    expect(await readFile(path.join(site, 'golden-report', 'index.html'), 'utf8')).toContain(
      '../pdf/golden-report.pdf',
    );
    // A changed page: its PDF, and the whole site’s, go, with the reason and what to run.
    await editFile(root, 'templates/golden-report.mdx', /^title: (.*)$/m, 'title: $1, revised');
    const removed = run(['build', '--root', root]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(
      'Removed 2 PDF(s) (pdf/golden-report.pdf, pdf/tradeoffs-reports.pdf): their pages changed since they were printed; run `tradeoffs pdf` to print them again.',
    );
    expect(existsSync(path.join(site, 'pdf'))).toBe(false);
    expect(existsSync(path.join(site, 'print.html'))).toBe(false);
    expect(await readFile(path.join(site, 'golden-report', 'index.html'), 'utf8')).not.toContain('.pdf"');
  });

  it('says how to install Chromium when it is missing, exits 1 and leaves the previous site as it was', async () => {
    const before = await hashTree(path.join(out, 'site'));
    const result = run(['pdf', '--force', '--root', FIXTURE, '--out', path.join(out, 'site')], {
      TRADEOFFS_CHROMIUM: '/nonexistent/chromium',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /<environment>\n.*error\s+Chromium not found at \/nonexistent\/chromium: install it \(Debian: apt-get install -y chromium\)/,
    );
    expect(await hashTree(path.join(out, 'site'))).toBe(before);
  });
});
