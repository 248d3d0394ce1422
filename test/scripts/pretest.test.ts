import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, rm, symlink} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {REPO_ROOT} from '../helpers/project.js';

/** Run scripts/pretest.mjs (what `npm test` runs first) with the machine it sees overridden. */
function pretest(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/pretest.mjs')], {
    encoding: 'utf8',
    env: {...process.env, TRADEOFFS_PRETEST_DRY_RUN: '1', ...env},
  });
  return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

describe('npm test brings the system packages the tests need', () => {
  let bin: string;
  beforeAll(async () => {
    // A PATH with apt-get but without pdftotext and strace.
    bin = await mkdtemp(path.join(tmpdir(), 'tradeoffs-pretest-'));
    if (existsSync('/usr/bin/apt-get')) await symlink('/usr/bin/apt-get', path.join(bin, 'apt-get'));
  });
  afterAll(() => rm(bin, {recursive: true, force: true}));

  it('passes at once when everything is there', () => {
    const result = pretest({TRADEOFFS_PRETEST_PATH: process.env.PATH ?? ''});
    // This machine runs the tests, so it has what they need (.ci/run and this script install it).
    expect(result).toMatchObject({code: 0, stdout: '', stderr: ''});
  });

  it('stops at once with the one command that would install what is missing, where it cannot install', () => {
    const result = pretest({
      TRADEOFFS_PRETEST_PATH: '/nonexistent',
      TRADEOFFS_PRETEST_CHROMIUM: '/nonexistent/chromium',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('npm test needs Chromium (/usr/bin/chromium), pdftotext, strace, not found');
    expect(result.stderr).toContain('\n  apt-get update && apt-get install -y chromium poppler-utils strace\n');
  });

  it.runIf(existsSync('/etc/debian_version') && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get'))(
    'installs what is missing on Debian as root',
    () => {
      const result = pretest({TRADEOFFS_PRETEST_PATH: bin});
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('npm test needs pdftotext, strace: installing poppler-utils, strace (once)');
      expect(result.stdout).toContain('would run: apt-get update && apt-get install -y poppler-utils strace');
    },
  );
});
