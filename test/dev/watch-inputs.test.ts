import {mkdtemp, rename, rm, unlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {isEditorFile, watchFolders} from '../../src/dev/watch-inputs.js';

describe('watchFolders', () => {
  let folder: string;
  let watcher: {close(): void} | undefined;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tradeoffs-watch-'));
    await writeFile(path.join(folder, 'report.mdx'), 'one');
  });
  afterEach(async () => {
    watcher?.close();
    await rm(folder, {recursive: true, force: true});
  });

  it("reports the saved file, not an editor's temporary files that came and went", async () => {
    const calls: string[][] = [];
    const reported = new Promise<void>((resolve) => {
      watcher = watchFolders([folder], (paths) => {
        calls.push(paths.map((file) => path.basename(file)));
        if (paths.some((file) => file.endsWith('report.mdx'))) resolve();
      });
    });
    // An atomic save: write a temporary copy, rename it over the file; and a probe file made and removed.
    await writeFile(path.join(folder, '.report.mdx.a1b2c3'), 'probe');
    await unlink(path.join(folder, '.report.mdx.a1b2c3'));
    await writeFile(path.join(folder, 'report.mdx.saving'), 'two');
    await rename(path.join(folder, 'report.mdx.saving'), path.join(folder, 'report.mdx'));
    await writeFile(path.join(folder, 'report.mdx.swp'), 'swap');
    await reported;
    expect(calls.flat()).toEqual(['report.mdx']);
  });

  it('reports a file removed', async () => {
    const reported = new Promise<string[]>((resolve) => {
      watcher = watchFolders([folder], resolve);
    });
    await unlink(path.join(folder, 'report.mdx'));
    expect((await reported).map((file) => path.basename(file))).toEqual(['report.mdx']);
  });
});

describe('isEditorFile', () => {
  it.each([
    '.x.mdx.swp',
    '.x.yaml.swo',
    'x.mdx~',
    '#x.mdx#',
    '.#x.mdx',
    '4913',
    'x.mdx___jb_tmp___',
    '.goutputstream-ABC',
    'x.kate-swp',
    'x.crswap',
    'x.tmp',
  ])('knows %s', (name) => expect(isEditorFile(name)).toBe(true));
  it.each(['report.mdx', 'hardware.yaml', 'swap.yaml', 'data.csv'])('takes %s for an input', (name) =>
    expect(isEditorFile(name)).toBe(false),
  );
});
