import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {diskEffects, memoryEffects} from '../../src/build/build-effects.js';
import {buildSite} from '../../src/build/build-site.js';
import {memoryInputs} from '../../src/build/input-reader.js';
import {DiagnosticsError} from '../../src/diagnostics/diagnostics.js';
import {REPO_ROOT} from '../helpers/project.js';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'golden');

/** Every file below `folder`, `/`-separated path relative to it → bytes. */
async function readTree(folder: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(folder, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(folder, full).split(path.sep).join('/'), await readFile(full));
  }
  return files;
}

/** A site's files as bytes, in path order, to compare. */
function asBytes(files: ReadonlyMap<string, string | Uint8Array>): Array<[string, Buffer]> {
  return [...files]
    .map(([name, contents]) => [name, Buffer.from(contents)] as [string, Buffer])
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * The build's effects passed in: the same build reads the project from disk
 * or from memory, and puts the site on disk or in memory, byte for byte the
 * same site; in memory it writes nothing.
 */
describe('buildSite with its effects passed in', () => {
  let work: string;
  let onDisk: Map<string, Buffer>;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tradeoffs-effects-'));
    await buildSite({root: FIXTURE, cacheDir: null}, diskEffects(FIXTURE, path.join(work, 'site')));
    onDisk = await readTree(path.join(work, 'site'));
  });
  afterAll(() => rm(work, {recursive: true, force: true}));

  it('builds in memory, from inputs in memory, the site a build on disk writes, manifest included', async () => {
    const inputs = await readTree(FIXTURE);
    const root = path.join(work, 'no-such-project');
    const events: string[] = [];
    const effects = memoryEffects(root, {onEvent: (event) => events.push(event.type)}, memoryInputs(inputs));
    const result = await buildSite({root, cacheDir: null}, effects);
    expect(result.upToDate).toBe(false);
    expect(result.manifest).toBeDefined();
    expect(events).toEqual(['plan', 'report']);
    expect(asBytes(effects.writer.files)).toEqual(asBytes(onDisk));
    expect(await readdir(work)).toEqual(['site']);
  });

  it('builds the project on disk into memory the same way', async () => {
    const effects = memoryEffects(FIXTURE);
    const result = await buildSite({root: FIXTURE, cacheDir: null}, effects);
    expect(result.upToDate).toBe(false);
    expect(asBytes(effects.writer.files)).toEqual(asBytes(onDisk));
  });

  it('reports a bad template from memory at its place, and writes nothing', async () => {
    const inputs = await readTree(FIXTURE);
    const template = 'templates/golden-report.mdx';
    inputs.set(template, Buffer.from(`${inputs.get(template)?.toString('utf8')}\n<Chart spec={{\n`));
    const effects = memoryEffects('<memory>', {}, memoryInputs(inputs));
    const error = await buildSite({root: '<memory>', cacheDir: null}, effects).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiagnosticsError);
    expect((error as DiagnosticsError).diagnostics.files.map((file) => file.path)).toEqual([template]);
    expect(effects.writer.files.size).toBe(0);
  });
});
