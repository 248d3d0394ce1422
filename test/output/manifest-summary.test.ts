// What a build reads of the site in place before rendering: the manifest without its reports, as untrusted input.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {serializeManifest, type SiteManifest} from '../../src/output/manifest.js';
import {readManifestSummary} from '../../src/output/manifest-summary.js';
import {MANIFEST} from '../helpers/manifest.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tradeoffs-manifest-summary-'));
});
afterEach(() => rm(dir, {recursive: true, force: true}));

const withoutReports = ({reports: _reports, ...rest}: SiteManifest) => rest;

/** Report text a JSON scanner could stumble on: quotes, backslashes and brackets inside strings, non-ASCII. */
const TRICKY: SiteManifest = {
  ...MANIFEST,
  reports: [
    {
      ...(MANIFEST.reports[0] as SiteManifest['reports'][number]),
      title: 'A "quoted" ] title } with \\ and \\" and ×–é 😀 [{',
      tables: [{where: 'section c ]]] table 1', columns: ['a"', '\\'], rows: [['}', '{"x": [1]}']]}],
    },
  ],
};

describe('the manifest without its reports', () => {
  it('is the manifest a build writes, less its reports', async () => {
    for (const manifest of [MANIFEST, TRICKY, {...MANIFEST, reports: []}]) {
      await writeFile(path.join(dir, 'manifest.json'), serializeManifest(manifest));
      expect(await readManifestSummary(dir)).toEqual(withoutReports(manifest));
    }
  });

  it('is undefined for no manifest, or one that is not what the tool writes', async () => {
    expect(await readManifestSummary(path.join(dir, 'nowhere'))).toBeUndefined();
    const json = serializeManifest(MANIFEST);
    for (const text of [
      '',
      '[]',
      'null',
      json.slice(0, json.indexOf('"reports"') + 20),
      `${json}x`,
      json.replace('"reports": [', '"reports": {"a": ['),
      JSON.stringify({...JSON.parse(json), files: null}),
      JSON.stringify({...JSON.parse(json), format: 2}),
    ]) {
      await writeFile(path.join(dir, 'manifest.json'), text);
      expect(await readManifestSummary(dir), text.slice(0, 60)).toBeUndefined();
    }
    await writeFile(path.join(dir, 'manifest.json'), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    expect(await readManifestSummary(dir)).toBeUndefined();
  });
});
