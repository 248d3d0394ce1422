// A site's manifest is input: read back against its zod schema, never trusted as it is.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {formatDiagnostics} from '../../src/diagnostics/report.js';
import {readManifest, serializeManifest, siteManifestSchema, type SiteManifest} from '../../src/output/manifest.js';
import {MANIFEST} from '../helpers/manifest.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tradeoffs-manifest-'));
});
afterEach(() => rm(dir, {recursive: true, force: true}));

/** Write `text` as the site's manifest and read it back: the manifest, and the messages as printed. */
async function read(text: string): Promise<{manifest: SiteManifest | undefined; printed: string}> {
  await writeFile(path.join(dir, 'manifest.json'), text);
  const diagnostics = new Diagnostics();
  const manifest = await readManifest(dir, diagnostics);
  return {manifest, printed: formatDiagnostics(diagnostics)};
}

const REMOVED = Symbol('removed');

/** The manifest's JSON with the value at `where` (keys and indices) replaced, or removed. */
function tampered(where: ReadonlyArray<string | number>, value: unknown): string {
  const json: unknown = JSON.parse(serializeManifest(MANIFEST));
  let parent = json as Record<string | number, unknown>;
  for (const key of where.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = where.at(-1)!;
  if (value === REMOVED) delete parent[last];
  else parent[last] = value;
  return JSON.stringify(json, null, 1);
}

describe('reading a manifest', () => {
  it('reads what the build writes, keys in the same order (it serializes to the same bytes)', async () => {
    const {manifest, printed} = await read(serializeManifest(MANIFEST));
    expect(printed).toBe('');
    expect(serializeManifest(manifest!)).toBe(serializeManifest(MANIFEST));
  });

  it('is undefined without a message when there is none', async () => {
    const diagnostics = new Diagnostics();
    expect(await readManifest(path.join(dir, 'nowhere'), diagnostics)).toBeUndefined();
    expect(diagnostics.files).toEqual([]);
  });

  it.each([
    ['numbers: null', ['reports', 0, 'numbers'], null, /`reports\[0\]\.numbers`: expected array, got null/],
    [
      'a number as text',
      ['reports', 0, 'numbers', 0, 'value'],
      '12',
      /`reports\[0\]\.numbers\[0\]\.value`: expected number/,
    ],
    ['files: null', ['files'], null, /`files`: expected record, got null/],
    ['no tool', ['tool'], REMOVED, /Missing field `tool`/],
    ['another format', ['format'], 2, /`format`: expected one of `1`, got 2/],
    [
      'a file outside the site',
      ['files', '../../etc/passwd'],
      'x',
      /Unexpected key `\.\.\/\.\.\/etc\/passwd` in `files`, expected a path inside the site/,
    ],
    [
      'an unknown usage kind',
      ['reports', 0, 'uses', 'chips:x'],
      'y',
      /Unexpected key `chips:x` in `reports\[0\]\.uses`, expected `<kind>:<id>` with a kind of hardware, models/,
    ],
  ])('refuses %s with a positioned message naming the file', async (_name, where, value, expected) => {
    const {manifest, printed} = await read(tampered(where, value));
    expect(manifest).toBeUndefined();
    expect(printed).toMatch(new RegExp(`^${dir}/manifest\\.json\\n\\d+:\\d+(-\\d+:\\d+)? +error +`));
    expect(printed).toMatch(expected);
    expect(printed).not.toMatch(/Cannot read properties/);
  });

  it('places a JSON syntax error at its line and column', async () => {
    const {manifest, printed} = await read('{\n "format": 1,\n}');
    expect(manifest).toBeUndefined();
    expect(printed).toMatch(/^\S+manifest\.json\n3:1 +error +Unexpected JSON syntax: /);
    expect((await read('{"format": 1,')).printed).toMatch(/1:14 +error +Unexpected JSON syntax/);
  });

  it('describes every field of the type it stands for', () => {
    expect(Object.keys(siteManifestSchema.shape)).toEqual(Object.keys(MANIFEST));
  });
});
