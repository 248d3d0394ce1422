import {spawnSync} from 'node:child_process';
import {mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {writeSiteAtomically, type SiteFiles} from '../src/publish/atomic-output.js';

/** Every file under `root`, relative path → bytes. */
async function readTree(root: string): Promise<Map<string, Buffer>> {
  const tree = new Map<string, Buffer>();
  for (const entry of await readdir(root, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    tree.set(path.relative(root, full).split(path.sep).join('/'), await readFile(full));
  }
  return tree;
}

/** Write `files` under `root` directly (to set up a state by hand). */
async function writeTree(root: string, files: SiteFiles): Promise<void> {
  for (const [relative, contents] of files) {
    await mkdir(path.dirname(path.join(root, relative)), {recursive: true});
    await writeFile(path.join(root, relative), contents);
  }
}

/** `files` as the tree `readTree` would read back. */
function asTree(files: SiteFiles): Map<string, Buffer> {
  return new Map([...files].map(([relative, contents]) => [relative, Buffer.from(contents)]));
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn node');
  expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({code: 'ESRCH'}));
  return pid;
}

const BINARY = new Uint8Array([0, 1, 2, 254, 255, 10, 13]);

const OLD_SITE: SiteFiles = new Map<string, string | Uint8Array>([
  ['index.html', '<h1>old</h1>'],
  ['style.css', 'body{color:red}'],
  ['old-report/index.html', '<p>old report</p>'],
  ['old-report/chart.bin', BINARY],
]);

const NEW_SITE: SiteFiles = new Map<string, string | Uint8Array>([
  ['index.html', '<h1>new</h1>'],
  ['style.css', 'body{color:blue}'],
  ['new-report/index.html', '<p>new report</p>'],
]);

describe('writeSiteAtomically', () => {
  let parent: string;
  let outDir: string;

  beforeEach(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'tradeoffs-atomic-'));
    outDir = path.join(parent, 'reports');
  });
  afterEach(async () => {
    await rm(parent, {recursive: true, force: true});
  });

  it('writes all files, in nested folders, strings and bytes alike', async () => {
    await writeSiteAtomically(outDir, OLD_SITE);
    expect(await readTree(outDir)).toEqual(asTree(OLD_SITE));
    expect(await readFile(path.join(outDir, 'old-report/chart.bin'))).toEqual(Buffer.from(BINARY));
    // Nothing but the output is left beside it.
    expect(await readdir(parent)).toEqual(['reports']);
  });

  it('creates missing parent folders of the output folder', async () => {
    const deep = path.join(parent, 'a', 'b', 'site');
    await writeSiteAtomically(deep, NEW_SITE);
    expect(await readTree(deep)).toEqual(asTree(NEW_SITE));
  });

  it('accepts an output folder given as a relative path', async () => {
    const relative = path.relative(process.cwd(), outDir);
    await writeSiteAtomically(relative, NEW_SITE);
    expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
  });

  it('replaces a previous output completely: files of the old build are gone', async () => {
    await writeSiteAtomically(outDir, OLD_SITE);
    await writeSiteAtomically(outDir, NEW_SITE);
    expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
    expect(await readdir(outDir)).not.toContain('old-report');
    expect(await readdir(parent)).toEqual(['reports']);
  });

  it('replaces a previous output it did not write itself, including stray files', async () => {
    await writeTree(outDir, new Map([['stray/deeper/notes.txt', 'hand-made']]));
    await writeSiteAtomically(outDir, NEW_SITE);
    expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
  });

  describe('when writing a file fails', () => {
    beforeEach(async () => {
      await writeSiteAtomically(outDir, OLD_SITE);
    });

    async function expectPreviousOutputUntouched(): Promise<void> {
      expect(await readTree(outDir)).toEqual(asTree(OLD_SITE));
      const leftovers = (await readdir(parent)).filter((entry) => entry !== 'reports');
      expect(leftovers, 'no staging or backup folder is left behind').toEqual([]);
    }

    it('refuses a path escaping the folder (../evil.html) and leaves the previous output byte-for-byte unchanged', async () => {
      const files = new Map([...NEW_SITE, ['../evil.html', '<script>evil</script>']]);
      await expect(writeSiteAtomically(outDir, files)).rejects.toThrow(/refusing to write outside the output folder: \.\.\/evil\.html/);
      await expectPreviousOutputUntouched();
    });

    it('refuses a path that escapes after normalisation, once other files are already staged', async () => {
      // Sorted, `a.html` is written into the staging folder before the bad path is met.
      const files = new Map([
        ['a.html', 'staged first'],
        ['z/../../evil.html', 'evil'],
      ]);
      await expect(writeSiteAtomically(outDir, files)).rejects.toThrow(/refusing to write outside/);
      await expectPreviousOutputUntouched();
    });

    it('refuses a path naming the output folder itself', async () => {
      await expect(writeSiteAtomically(outDir, new Map([['.', 'not a file']]))).rejects.toThrow(/refusing to write outside/);
      await expectPreviousOutputUntouched();
    });

    it('cleans up after a real write error (a file where a folder must go)', async () => {
      // `page` is written as a file, then `page/index.html` needs `page` to be a folder.
      const files = new Map([
        ['index.html', 'new'],
        ['page', 'a file'],
        ['page/index.html', 'cannot be written'],
      ]);
      await expect(writeSiteAtomically(outDir, files)).rejects.toThrow();
      await expectPreviousOutputUntouched();
    });

    it('a later good build still replaces the output', async () => {
      await expect(writeSiteAtomically(outDir, new Map([['../evil.html', 'x']]))).rejects.toThrow();
      await writeSiteAtomically(outDir, NEW_SITE);
      expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
      expect(await readdir(parent)).toEqual(['reports']);
    });
  });

  describe('recovering from an interrupted build', () => {
    /** Leave the state of a build killed between its two renames: the old output in a backup folder, no output folder. */
    async function leaveInterruptedSwap(): Promise<string> {
      const backup = path.join(parent, `.reports-previous-${deadPid()}-x`);
      await writeTree(backup, OLD_SITE);
      expect(await readdir(parent)).toEqual([path.basename(backup)]);
      return backup;
    }

    it('restores a backup left by a dead build (no reports/), then replaces it with the new build', async () => {
      await leaveInterruptedSwap();
      await writeSiteAtomically(outDir, NEW_SITE);
      expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
      expect(await readdir(parent)).toEqual(['reports']);
    });

    it('restores that backup even when the new build then fails', async () => {
      await leaveInterruptedSwap();
      await expect(writeSiteAtomically(outDir, new Map([['../evil.html', 'x']]))).rejects.toThrow(/refusing/);
      // The restore happens first, so the old output is back in place byte for byte.
      expect(await readTree(outDir)).toEqual(asTree(OLD_SITE));
      expect(await readdir(parent)).toEqual(['reports']);
    });

    it('removes a dead build’s backup when an output exists (never restores over it)', async () => {
      await writeSiteAtomically(outDir, NEW_SITE);
      const backup = path.join(parent, `.reports-previous-${deadPid()}-x`);
      await writeTree(backup, new Map([['index.html', 'older']]));
      await expect(writeSiteAtomically(outDir, new Map([['../evil.html', 'x']]))).rejects.toThrow();
      expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
      expect(await readdir(parent)).toEqual(['reports']);
    });

    it('removes stale staging folders of dead processes', async () => {
      await writeSiteAtomically(outDir, OLD_SITE);
      const pid = deadPid();
      for (const suffix of ['x', 'lq2w3e4r']) {
        await writeTree(path.join(parent, `.reports-staging-${pid}-${suffix}`), new Map([['half/index.html', 'half-written']]));
      }
      await writeSiteAtomically(outDir, NEW_SITE);
      expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
      expect(await readdir(parent)).toEqual(['reports']);
    });

    it('leaves alone the staging folder of a live process, and folders that are not its own', async () => {
      // The parent process (the vitest runner) is alive and is not this process.
      const live = path.join(parent, `.reports-staging-${process.ppid}-x`);
      const others = ['.reports-staging-notapid-x', '.other-staging-1-x', '.reportsx-staging-1-x', 'reports-old'];
      for (const folder of [live, ...others.map((name) => path.join(parent, name))]) await mkdir(folder);
      await writeSiteAtomically(outDir, NEW_SITE);
      expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
      expect((await readdir(parent)).sort()).toEqual([path.basename(live), ...others, 'reports'].sort());
    });
  });

  it('an empty site leaves the previous output in place (or replaces it with an empty folder)', async () => {
    await writeSiteAtomically(outDir, OLD_SITE);
    await writeSiteAtomically(outDir, new Map()).catch(() => undefined);
    const entries = await readdir(parent);
    expect(entries).toEqual(['reports']);
    const tree = await readTree(outDir);
    expect([0, OLD_SITE.size]).toContain(tree.size);
  });
});
