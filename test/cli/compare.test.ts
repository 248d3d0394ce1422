// `tradeoffs compare` reads two manifests as input: a tampered one is a message naming its file, exit 1.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, expect, it} from 'vitest';
import {runCli} from '../../src/cli/main.js';
import {serializeManifest} from '../../src/output/manifest.js';
import {MANIFEST} from '../helpers/manifest.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tradeoffs-compare-'));
});
afterEach(() => rm(dir, {recursive: true, force: true}));

async function compare(...argv: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['compare', ...argv], {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return {code, stdout, stderr};
}

it('names the file and the field of a manifest with `numbers: null`, not a TypeError', async () => {
  const current = path.join(dir, 'current.json');
  const previous = path.join(dir, 'previous.json');
  await writeFile(current, serializeManifest(MANIFEST));
  await writeFile(previous, serializeManifest(MANIFEST).replace(/"numbers": \[[^\]]*\]/, '"numbers": null'));
  const result = await compare(previous, current);
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(
    /previous\.json\n\d+:\d+-\d+:\d+ +error +`reports\[0\]\.numbers`: expected array, got null/,
  );
  expect(result.stderr).not.toMatch(/Cannot read properties/);
});

it('compares two sound manifests', async () => {
  const file = path.join(dir, 'manifest.json');
  await writeFile(file, serializeManifest(MANIFEST));
  const result = await compare(file, file);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/No figure moved/);
});
