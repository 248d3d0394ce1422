import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {formatDiagnostics} from '../../src/diagnostics/report.js';
import {OutputError, writeSiteAtomically, type SiteFiles} from '../../src/output/atomic-output.js';

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

/** `text` for a RegExp. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const BINARY = new Uint8Array([0, 1, 2, 254, 255, 10, 13]);

/** A site's manifest.json as far as the swap reads it: it names the tool, so the folder may be replaced. */
const MARKER = JSON.stringify({format: 1, tool: {version: '0.0.0', fingerprint: 'test'}});

const OLD_SITE: SiteFiles = new Map<string, string | Uint8Array>([
  ['index.html', '<h1>old</h1>'],
  ['manifest.json', MARKER],
  ['style.css', 'body{color:red}'],
  ['old-report/index.html', '<p>old report</p>'],
  ['old-report/chart.bin', BINARY],
]);

const NEW_SITE: SiteFiles = new Map<string, string | Uint8Array>([
  ['index.html', '<h1>new</h1>'],
  ['manifest.json', MARKER],
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

  it('replaces a site it made, stray files and all', async () => {
    await writeTree(outDir, new Map([...OLD_SITE, ['stray/deeper/notes.txt', 'hand-made']]));
    await writeSiteAtomically(outDir, NEW_SITE);
    expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
  });

  it('writes into an empty folder', async () => {
    await mkdir(outDir);
    await writeSiteAtomically(outDir, NEW_SITE);
    expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
  });

  describe('never deletes what it did not make', () => {
    const HOME = new Map<string, string>([
      ['.bashrc', 'export PATH'],
      ['Documents/thesis.tex', 'chapter 1'],
      ['notes.txt', 'hand-made'],
    ]);

    it('refuses a folder that is not a site, naming what is there, and leaves it as it was', async () => {
      await writeTree(outDir, HOME);
      const refusal = writeSiteAtomically(outDir, NEW_SITE);
      await expect(refusal).rejects.toThrow(OutputError);
      await expect(refusal).rejects.toThrow(
        /^Refusing to replace .*reports: it is a folder that is not a tradeoffs site: no manifest\.json, and it holds \.bashrc, Documents\/, notes\.txt\. A build replaces the whole output folder; choose a new or empty folder, or pass --replace-folder to delete what is there$/,
      );
      expect(await readTree(outDir)).toEqual(asTree(HOME));
      expect(await readdir(parent)).toEqual(['reports']);
    });

    it('refuses a folder whose manifest.json another program wrote', async () => {
      const foreign = new Map([['manifest.json', '{"name": "my-web-app", "version": "1.0.0"}']]);
      await writeTree(outDir, foreign);
      await expect(writeSiteAtomically(outDir, NEW_SITE)).rejects.toThrow(
        /its manifest\.json is not one tradeoffs wrote \(it does not name the tool\)/,
      );
      expect(await readTree(outDir)).toEqual(asTree(foreign));
    });

    it('refuses a regular file, and keeps it', async () => {
      await writeFile(outDir, 'precious');
      await expect(writeSiteAtomically(outDir, NEW_SITE)).rejects.toThrow(
        /Refusing to replace .*reports: it is a file \(8 bytes\), not a folder\./,
      );
      expect(await readFile(outDir, 'utf8')).toBe('precious');
    });

    it('refuses a symbolic link, and leaves the link and its target alone', async () => {
      const elsewhere = path.join(parent, 'elsewhere');
      await writeTree(elsewhere, HOME);
      await symlink(elsewhere, outDir);
      await expect(writeSiteAtomically(outDir, NEW_SITE)).rejects.toThrow(
        /it is a symbolic link, not a folder of its own/,
      );
      expect((await lstat(outDir)).isSymbolicLink()).toBe(true);
      expect(await readTree(elsewhere)).toEqual(asTree(HOME));
    });

    it('replaces any of them when told to (replaceFolder, `--replace-folder`)', async () => {
      await writeTree(outDir, HOME);
      await writeSiteAtomically(outDir, NEW_SITE, undefined, {replaceFolder: true});
      expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
      expect(await readdir(parent)).toEqual(['reports']);
    });
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
      await expect(writeSiteAtomically(outDir, files)).rejects.toThrow(
        /refusing to write outside the output folder: \.\.\/evil\.html/,
      );
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
      await expect(writeSiteAtomically(outDir, new Map([['.', 'not a file']]))).rejects.toThrow(
        /refusing to write outside/,
      );
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
        await writeTree(
          path.join(parent, `.reports-staging-${pid}-${suffix}`),
          new Map([['half/index.html', 'half-written']]),
        );
      }
      await writeSiteAtomically(outDir, NEW_SITE);
      expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
      expect(await readdir(parent)).toEqual(['reports']);
    });

    it('removes the leftovers of any process, live pid or not (holding the lock, they are orphans), and leaves folders that are not its own', async () => {
      // The parent process (the vitest runner) is alive; in a container a later build may even get a killed build's pid.
      const live = path.join(parent, `.reports-staging-${process.ppid}-x`);
      const own = path.join(parent, `.reports-previous-${process.pid}-x`);
      const others = ['.reports-staging-notapid-x', '.other-staging-1-x', '.reportsx-staging-1-x', 'reports-old'];
      for (const folder of [live, own, ...others.map((name) => path.join(parent, name))]) await mkdir(folder);
      await writeSiteAtomically(outDir, NEW_SITE);
      expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
      expect((await readdir(parent)).sort()).toEqual([...others, 'reports'].sort());
    });
  });

  describe('one build at a time: <out>.lock', () => {
    const lockFile = () => `${outDir}.lock`;
    let sleeper: ChildProcess | undefined;
    afterEach(() => {
      sleeper?.kill('SIGKILL');
      sleeper = undefined;
    });

    /** A live process that is not this one. */
    async function livePid(): Promise<number> {
      sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {stdio: 'ignore'});
      await new Promise((resolve) => sleeper?.once('spawn', resolve));
      if (sleeper.pid === undefined) throw new Error('could not spawn node');
      return sleeper.pid;
    }

    it('holds the lock, with its pid, while it writes, and removes it after', async () => {
      let during = '';
      await writeSiteAtomically(outDir, NEW_SITE, async () => {
        during = await readFile(lockFile(), 'utf8');
      });
      expect(during.split('\n')[0]).toBe(String(process.pid));
      expect(await readdir(parent)).toEqual(['reports']);
    });

    it('refuses while a live process holds the lock: names its pid and the folder, and leaves the output and the lock alone', async () => {
      await writeSiteAtomically(outDir, OLD_SITE);
      const pid = await livePid();
      await writeFile(lockFile(), `${pid}\n`);
      const error = await writeSiteAtomically(outDir, NEW_SITE).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OutputError);
      expect((error as OutputError).code).toBe('locked');
      expect((error as OutputError).message).toMatch(
        new RegExp(
          `^Another build \\(pid ${pid}\\) is writing ${escape(outDir)}, so this one stops without writing\\. Run it again when that build has finished \\(if none is running, delete ${escape(lockFile())}\\)$`,
        ),
      );
      expect(formatDiagnostics((error as OutputError).diagnostics)).toMatch(
        /^<environment>\n.*error\s+Another build \(pid \d+\) is writing .*io-error/,
      );
      expect(await readTree(outDir)).toEqual(asTree(OLD_SITE));
      expect(await readFile(lockFile(), 'utf8')).toBe(`${pid}\n`);
      expect((await readdir(parent)).sort()).toEqual(['reports', 'reports.lock']);
    });

    it('refuses a second write into the folder from the same process while the first one runs', async () => {
      let inner: unknown;
      await writeSiteAtomically(outDir, OLD_SITE, async () => {
        inner = await writeSiteAtomically(outDir, NEW_SITE).catch((caught: unknown) => caught);
      });
      expect((inner as OutputError).message).toMatch(new RegExp(`^Another build \\(pid ${process.pid}\\) is writing`));
      expect(await readTree(outDir)).toEqual(asTree(OLD_SITE));
      expect(await readdir(parent)).toEqual(['reports']);
    });

    it('takes over the lock of a dead build', async () => {
      await writeFile(lockFile(), `${deadPid()}\n`);
      await writeSiteAtomically(outDir, NEW_SITE);
      expect(await readTree(outDir)).toEqual(asTree(NEW_SITE));
      expect(await readdir(parent)).toEqual(['reports']);
    });

    it('takes over a lock holding its own pid that it does not hold (an earlier process had that pid)', async () => {
      await writeFile(lockFile(), `${process.pid}\n`);
      await writeSiteAtomically(outDir, NEW_SITE);
      expect(await readdir(parent)).toEqual(['reports']);
    });

    it.runIf(existsSync('/proc/self/stat'))(
      'takes over a lock whose pid now belongs to another process (its start time differs)',
      async () => {
        await writeFile(lockFile(), `${await livePid()}\n1\n`);
        await writeSiteAtomically(outDir, NEW_SITE);
        expect(await readdir(parent)).toEqual(['reports']);
      },
    );

    it.runIf(existsSync('/proc/self/stat'))(
      'takes over the lock of a killed build its parent has not reaped yet (a zombie)',
      async () => {
        // `sh` starts a child, then becomes a long `sleep`, which never reaps it. The child exits only when
        // told, once `sh` is `sleep` (had it exited before, `sh` could have reaped it): it ends a zombie. The
        // child alone keeps a pipe (fd 3) open, so its exit is an event here: the pipe's end.
        sleeper = spawn(
          'sh',
          ['-c', 'exec 5<&0; (read go <&5; exit 0) & echo $!; exec sleep 60 3>&- 5<&- </dev/null'],
          {
            stdio: ['pipe', 'pipe', 'ignore', 'pipe'],
          },
        );
        const exited = new Promise((resolve) => (sleeper?.stdio[3] as Readable).on('end', resolve).resume());
        const zombie = Number(
          await new Promise<string>((resolve) =>
            sleeper?.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString())),
          ),
        );
        const command = async () => (await readFile(`/proc/${sleeper?.pid}/comm`, 'utf8')).trim();
        while ((await command()) !== 'sleep') await new Promise((resolve) => setImmediate(resolve));
        sleeper.stdin?.end('go\n');
        await exited;
        // Its files close just before it becomes a zombie: look until it is one (no clock: the test's timeout is the safety net).
        const state = async () => (await readFile(`/proc/${zombie}/stat`, 'utf8')).split(') ')[1]?.[0];
        while ((await state()) !== 'Z') await new Promise((resolve) => setImmediate(resolve));
        await writeFile(lockFile(), `${zombie}\n`);
        await writeSiteAtomically(outDir, NEW_SITE);
        expect(await readdir(parent)).toEqual(['reports']);
      },
    );

    it('an empty lock is being written: refused; empty for long, its writer was killed: taken over', async () => {
      await writeFile(lockFile(), '');
      await expect(writeSiteAtomically(outDir, NEW_SITE)).rejects.toThrow(/^Another build is writing/);
      const longAgo = new Date(Date.now() - 60_000);
      await utimes(lockFile(), longAgo, longAgo);
      await writeSiteAtomically(outDir, NEW_SITE);
      expect(await readdir(parent)).toEqual(['reports']);
    });
  });

  describe('errors of the file system', () => {
    it('a file where the path needs a folder (EEXIST, ENOTDIR): one <environment> message naming the folder and the errno', async () => {
      const file = path.join(parent, 'file');
      await writeFile(file, 'not a folder');
      for (const [site, code, text] of [
        [path.join(file, 'site'), 'EEXIST', `a file is in the way of a folder (EEXIST, mkdir ${file})`],
        [
          path.join(file, 'deeper', 'site'),
          'ENOTDIR',
          `a part of the path is a file, not a folder (ENOTDIR, mkdir ${path.join(file, 'deeper')})`,
        ],
      ] as const) {
        const error = await writeSiteAtomically(site, NEW_SITE).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(OutputError);
        expect((error as OutputError).code).toBe(code);
        expect((error as OutputError).message).toBe(`Cannot write the site into ${site}: ${text}; no site was written`);
        expect(formatDiagnostics((error as OutputError).diagnostics)).toMatch(
          new RegExp(`^<environment>\\n.*error\\s+Cannot write the site into .*${code}.*io-error`),
        );
      }
      expect(await readFile(file, 'utf8')).toBe('not a folder');
    });

    // EACCES is tested for real, as a non-root user even when the tests run as root, in build-faults.test.ts.

    it('a full disk while working on the staged site (ENOSPC, raised by beforeSwap): reported, staging removed, previous site untouched', async () => {
      await writeSiteAtomically(outDir, OLD_SITE);
      const full = async (staging: string) => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
          code: 'ENOSPC',
          errno: -28,
          syscall: 'write',
          path: path.join(staging, 'pdf', 'site.pdf'),
        });
      };
      await expect(writeSiteAtomically(outDir, NEW_SITE, full)).rejects.toThrow(
        /^Cannot write the site into .*reports: no space left on device; the new site is staged beside the previous one, so the disk needs room for both \(ENOSPC, write .*\.reports-staging-\d+-[a-z0-9-]+\/pdf\/site\.pdf\); .*reports is as it was$/,
      );
      expect(await readTree(outDir)).toEqual(asTree(OLD_SITE));
      expect(await readdir(parent)).toEqual(['reports']);
    });

    it('other errors of beforeSwap pass through as they are', async () => {
      await expect(
        writeSiteAtomically(outDir, NEW_SITE, async () => Promise.reject(new RangeError('printing failed'))),
      ).rejects.toThrow(RangeError);
      expect(await readdir(parent)).toEqual([]);
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
