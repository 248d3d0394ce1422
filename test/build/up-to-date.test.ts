// A manifest that is not what the tool writes is no site to trust: the build builds it again.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {expect, it} from 'vitest';
import {upToDateManifest} from '../../src/build/up-to-date.js';
import {serializeManifest} from '../../src/output/manifest.js';
import {sha256} from '../../src/tool/hash.js';
import {toolIdentity} from '../../src/tool/identity.js';
import {MANIFEST} from '../helpers/manifest.js';

it('treats a tampered manifest as no site (a rebuild), not as a crash on every build', async () => {
  const outDir = await mkdtemp(path.join(tmpdir(), 'tradeoffs-up-to-date-'));
  try {
    const json = JSON.parse(serializeManifest({...MANIFEST, tool: toolIdentity()}));
    for (const tamper of [
      (manifest: Record<string, unknown>) => (manifest.files = null),
      (manifest: Record<string, unknown>) => (manifest.sampling = 'all'),
      (manifest: Record<string, unknown>) => delete manifest.tool,
    ]) {
      const copy = structuredClone(json);
      tamper(copy);
      await writeFile(path.join(outDir, 'manifest.json'), JSON.stringify(copy));
      const question = {root: outDir, outDir, pdf: false, sampling: MANIFEST.sampling, inputs: MANIFEST.inputs};
      await expect(upToDateManifest(question)).resolves.toBeUndefined();
    }
  } finally {
    await rm(outDir, {recursive: true, force: true});
  }
});

it('reads the reports of a site found up to date, and checks them: a tampered report is no site either', async () => {
  const outDir = await mkdtemp(path.join(tmpdir(), 'tradeoffs-up-to-date-'));
  try {
    await writeFile(path.join(outDir, 'index.html'), 'home');
    const manifest = {...MANIFEST, tool: toolIdentity(), files: {'index.html': sha256('home')}};
    const question = {root: outDir, outDir, pdf: false, sampling: MANIFEST.sampling, inputs: MANIFEST.inputs};
    await writeFile(path.join(outDir, 'manifest.json'), serializeManifest(manifest));
    await expect(upToDateManifest(question)).resolves.toEqual(manifest);
    const json = JSON.parse(serializeManifest(manifest));
    json.reports[0].numbers = null;
    await writeFile(path.join(outDir, 'manifest.json'), JSON.stringify(json));
    await expect(upToDateManifest(question)).resolves.toBeUndefined();
  } finally {
    await rm(outDir, {recursive: true, force: true});
  }
});
