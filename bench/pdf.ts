/**
 * PDF export against the floor: every report printed by `printPdfs` (one
 * browser, date fixing), against a bare playwright-core loop printing the
 * same pages with the same options (goal: ratio under 1.2), and pages per
 * second. One run; the site is built first, unprinted.
 */
import {readFile, rm} from 'node:fs/promises';
import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {chromium} from 'playwright-core';
import {diskEffects} from '../src/build/build-effects.js';
import {buildSite} from '../src/build/build-site.js';
import {printJobs} from '../src/output/site-files.js';
import {CHROMIUM_FLAGS, chromiumPath, printPdfs} from '../src/output/pdf.js';

const ROUNDS = 3;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export async function benchPdf(root: string): Promise<string[]> {
  const out = await mkdtemp(path.join(tmpdir(), 'tradeoffs-bench-pdf-'));
  try {
    const site = path.join(out, 'site');
    const result = await buildSite({root, cacheDir: null}, diskEffects(root, site));
    const jobs = printJobs(result.reports).filter((job) => job.page !== 'print.html');
    const ours: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let start = performance.now();
      await printPdfs(site, jobs, new Date('2026-01-01T00:00:00Z'));
      ours.push(performance.now() - start);
      start = performance.now();
      const browser = await chromium.launch({executablePath: chromiumPath(), args: CHROMIUM_FLAGS});
      const page = await browser.newPage();
      for (const job of jobs) {
        await page.goto(pathToFileURL(path.join(site, job.page)).href);
        await page.emulateMedia({media: 'print'});
        // The same options printPdfs passes, so the ratio is what printPdfs adds.
        await page.pdf({
          format: 'A4',
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate: `<div style="font: 7.5px sans-serif; color: #555; width: 100%; padding: 0 14mm;">${job.title}</div>`,
          footerTemplate:
            '<div style="font: 7.5px sans-serif; color: #555; width: 100%; padding: 0 14mm; text-align: right;"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
          margin: {top: '16mm', bottom: '14mm', left: '14mm', right: '14mm'},
        });
      }
      await browser.close();
      bare.push(performance.now() - start);
    }
    let pages = 0;
    for (const job of jobs)
      pages += ((await readFile(path.join(site, job.pdf))).toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    const oursMs = median(ours);
    const bareMs = median(bare);
    return [
      `${jobs.length} report PDFs, ${pages} pages, median of ${ROUNDS} rounds (each launching its browser)`,
      `printPdfs: ${oursMs.toFixed(0)} ms; bare playwright-core loop: ${bareMs.toFixed(0)} ms`,
      `ratio ${(oursMs / bareMs).toFixed(2)}× (goal: under 1.2): ${oursMs / bareMs < 1.2 ? 'met' : 'NOT met'}`,
      `${((pages / oursMs) * 1000).toFixed(1)} pages per second`,
    ];
  } finally {
    await rm(out, {recursive: true, force: true});
  }
}
