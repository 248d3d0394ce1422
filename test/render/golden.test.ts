import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {expect, it} from 'vitest';
import {REPO_ROOT, runCli} from '../helpers/project.js';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'golden');
const GOLDEN = path.join(REPO_ROOT, 'test', 'golden', 'golden-report.html');
const CHANGED = GOLDEN.replace(/\.html$/, '-changed.html');

/**
 * The rendered HTML of a report that uses every component, on fixed
 * fixture data, against a committed golden copy. `UPDATE_GOLDEN=1 npx vitest
 * run test/golden.test.ts` rewrites it (never in CI); a mismatch leaves
 * `golden-report-changed.html` beside it to diff.
 */
it('renders the golden report exactly as committed', async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'tradeoffs-golden-'));
  try {
    const result = runCli(['build', '--root', FIXTURE, '--out', out], REPO_ROOT);
    expect(result.code, result.stderr).toBe(0);
    const html = await readFile(path.join(out, 'golden-report', 'index.html'), 'utf8');
    if (process.env.UPDATE_GOLDEN) {
      if (process.env.CI) throw new Error('refusing to update golden files in CI');
      await writeFile(GOLDEN, html);
    }
    const golden = await readFile(GOLDEN, 'utf8');
    if (html !== golden) await writeFile(CHANGED, html);
    else if (existsSync(CHANGED)) await rm(CHANGED);
    expect(
      html === golden,
      `rendered HTML differs from ${path.relative(REPO_ROOT, GOLDEN)}; see ${path.relative(REPO_ROOT, CHANGED)}`,
    ).toBe(true);
  } finally {
    await rm(out, {recursive: true, force: true});
  }
});
