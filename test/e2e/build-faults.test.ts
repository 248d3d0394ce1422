/**
 * Faults of a real build, with the bundled CLI in real
 * processes: killed (SIGKILL) at random moments, out of disk space, on a
 * read-only, unwritable or mounted folder, two builds into one folder.
 *
 * The output folder is always exactly the previous site or the new one
 * (hashed), except right after a kill between the swap's two renames: then
 * it is absent, the previous site is whole in `.<out>-previous-…`, and the
 * next build puts it back. Kills land by real timing: after a seeded delay,
 * or on seeing the build's lock, staging folder or backup appear. `strace`
 * (when installed) stretches the instant between the renames so that one
 * test can kill a build there every time; nothing in the tool is changed
 * for tests. */
import {spawn, spawnSync} from 'node:child_process';
import {watch} from 'node:fs';
import {chmod, cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {seededRandom} from '../../src/uncertain/random.js';
import {CLI, editFile, hashTree, REPO_ROOT} from '../helpers/project.js';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'golden');
const SEED = 8;
const KILLS = 8;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

interface Running {
  pid: number;
  exited: Promise<Exit>;
  kill(): void;
}

/** Start `tradeoffs <args>` (optionally under `wrapper`, such as strace), in its own process group. */
function start(args: readonly string[], wrapper: readonly string[] = []): Running {
  const [command = process.execPath, ...rest] = [...wrapper, process.execPath, CLI, ...args];
  const child = spawn(command, rest, {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {...process.env, TZ: 'UTC'},
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({code, signal, stderr})));
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  return {
    pid,
    exited,
    // The whole group: strace and the build it runs alike.
    kill: () => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
  };
}

/** Run `tradeoffs <args>` to the end. */
function run(args: readonly string[], cwd?: string, user?: {uid: number; gid: number}): Exit & {ms: number} {
  const begin = performance.now();
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: {...process.env, TZ: 'UTC'},
    ...user,
  });
  return {code: result.status, signal: result.signal, stderr: result.stderr, ms: performance.now() - begin};
}

/**
 * Resolve to the name of an entry of `folder` passing `test` when one appears
 * (or is there already); `test` may look inside. Resolves to undefined if
 * `until` (the build's exit) settles first. File-system events, no clock:
 * the test's timeout is the safety net.
 */
function appears(
  folder: string,
  test: (name: string) => boolean | Promise<boolean>,
  until: Promise<unknown>,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const consider = async (name: string) => {
      if (!settled && (await Promise.resolve(test(name)).catch(() => false))) done(name);
    };
    const watcher = watch(folder, (_event, name) => {
      if (name) void consider(name.toString());
    });
    void until.then(() => done(undefined));
    function done(name: string | undefined): void {
      if (settled) return;
      settled = true;
      watcher.close();
      resolve(name);
    }
    void readdir(folder).then((names) => names.forEach((name) => void consider(name)));
  });
}

/** The lock of `out` held by process `pid`. */
const lockedBy = (parent: string, pid: number) => async (name: string) =>
  name === 'site.lock' && (await readFile(path.join(parent, name), 'utf8')).startsWith(`${pid}\n`);

/** Send `name` to `pid`; false if the process is gone. */
function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What is beside (and in) the output folder `name` of `parent`. */
async function outputState(parent: string, name: string) {
  const entries = await readdir(parent);
  const hashOf = async (entry: string) => hashTree(path.join(parent, entry));
  const previous = entries.filter((entry) => entry.startsWith(`.${name}-previous-`));
  return {
    site: entries.includes(name) ? await hashOf(name) : undefined,
    previous: await Promise.all(previous.map(hashOf)),
    staging: entries.filter((entry) => entry.startsWith(`.${name}-staging-`)).length,
    lock: entries.includes(`${name}.lock`),
  };
}

// .ci/run installs strace; a machine without it fails here rather than skipping the test.
const hasStrace = spawnSync('strace', ['-V']).status === 0;
/** strace arguments that stall every rename of `file` for `ms` once done, before the program sees it return. */
function stallRenames(file: string, ms: number): string[] {
  const renames = 'rename,renameat,renameat2';
  return [
    'strace',
    '-f',
    '-qq',
    '-o',
    '/dev/null',
    '--seccomp-bpf',
    '-P',
    file,
    '-e',
    `trace=${renames}`,
    '-e',
    `inject=${renames}:delay_exit=${ms * 1000}`,
  ];
}

let work: string;
let projectA: string;
let projectB: string;
let hashA: string;
let hashB: string;
/** How long one build takes on this machine, start to exit. */
let buildMs: number;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tradeoffs-faults-'));
  projectA = path.join(work, 'a');
  projectB = path.join(work, 'b');
  await cp(FIXTURE, projectA, {recursive: true});
  await cp(FIXTURE, projectB, {recursive: true});
  await editFile(projectB, 'templates/golden-report.mdx', '# Golden report', '# Golden report, second edition');
  const builtA = run(['build', '--root', projectA, '--out', path.join(work, 'site-a')]);
  const builtB = run(['build', '--root', projectB, '--out', path.join(work, 'site-b')]);
  expect(builtA.stderr + builtB.stderr).toBe('');
  hashA = await hashTree(path.join(work, 'site-a'));
  hashB = await hashTree(path.join(work, 'site-b'));
  expect(hashA).not.toBe(hashB);
  buildMs = Math.max(builtA.ms, builtB.ms);
});

afterAll(async () => {
  await rm(work, {recursive: true, force: true});
});

describe('a build killed (SIGKILL) at random moments', () => {
  it(`leaves exactly the previous site or the new one, every time (${KILLS} kills, seed ${SEED})`, async () => {
    const parent = path.join(work, 'killed');
    const out = path.join(parent, 'site');
    await mkdir(parent);
    expect(run(['build', '--root', projectA, '--out', out]).code).toBe(0);
    const random = seededRandom(SEED);
    // Each kind of moment at least once, the rest spread over the whole build; in a seeded order.
    const kinds = ['anytime', 'anytime', 'anytime', 'locked', 'staging', 'swapped', 'staging', 'anytime'] as const;
    const order = kinds.map((kind) => ({kind, key: random()})).sort((a, b) => a.key - b.key);
    const outcomes: string[] = [];
    let current = hashA;
    for (const {kind} of order.slice(0, KILLS)) {
      const [root, next] = current === hashA ? [projectB, hashB] : [projectA, hashA];
      const build = start(['build', '--root', root, '--out', out]);
      let delay = 0;
      if (kind === 'anytime') {
        // From start-up to a little past the end of a build.
        delay = random() * buildMs * 1.1;
        await sleep(delay);
      } else if (kind === 'locked') {
        // Just after it took the lock (a killed build's lock may be there already: it is its own it waits for).
        await appears(parent, lockedBy(parent, build.pid), build.exited);
      } else if (kind === 'staging') {
        // While the new site is being written beside the old one.
        await appears(parent, (name) => name.startsWith(`.site-staging-${build.pid}-`), build.exited);
        delay = random() * 10;
        await sleep(delay);
      } else {
        // Right after the first rename of the swap.
        await appears(parent, (name) => name.startsWith(`.site-previous-${build.pid}-`), build.exited);
      }
      build.kill();
      const exit = await build.exited;
      // Killed, or done before the kill: never failed.
      expect(exit.signal === 'SIGKILL' || exit.code === 0, exit.stderr).toBe(true);
      const state = await outputState(parent, 'site');
      if (state.site === undefined) {
        // Killed between the two renames: the previous site waits, whole, for the next build.
        expect(state.previous).toEqual([current]);
      } else {
        expect([current, next]).toContain(state.site);
        current = state.site;
      }
      const landed =
        state.site === undefined
          ? 'no folder, previous site aside'
          : state.site === next
            ? 'new site'
            : 'previous site';
      outcomes.push(
        `${kind}${delay ? ` +${delay.toFixed(0)} ms` : ''}: ${exit.signal ?? `exit ${exit.code}`}, ${landed}${state.staging ? ', staging left' : ''}${state.lock ? ', lock left' : ''}`,
      );
    }
    // The next build clears whatever the killed ones left, and takes over their lock.
    const [root, last] = current === hashA ? [projectB, hashB] : [projectA, hashA];
    const final = run(['build', '--root', root, '--out', out]);
    expect(final.stderr).toBe('');
    expect(final.code).toBe(0);
    expect(await hashTree(out)).toBe(last);
    expect(await readdir(parent)).toEqual(['site']);
    console.log(`kills (build ${buildMs.toFixed(0)} ms):\n  ${outcomes.join('\n  ')}`);
  });

  it('killed between the two renames of the swap: no folder, the previous site whole beside it; the next build puts it back, then swaps', async () => {
    expect(hasStrace, 'strace, to hold the build between the renames (apt-get install -y strace)').toBe(true);
    const parent = path.join(work, 'mid-swap');
    const out = path.join(parent, 'site');
    await mkdir(parent);
    expect(run(['build', '--root', projectA, '--out', out]).code).toBe(0);
    // The first rename (site → backup) is done, and stalls on its way out: the instant between the renames,
    // stretched far beyond the moment the test kills the build, however busy the machine.
    const build = start(['build', '--root', projectB, '--out', out], stallRenames(out, 300_000));
    expect(await appears(parent, (name) => name.startsWith('.site-previous-'), build.exited)).toBeDefined();
    build.kill();
    expect((await build.exited).signal).toBe('SIGKILL');
    const state = await outputState(parent, 'site');
    expect(state).toEqual({site: undefined, previous: [hashA], staging: 1, lock: true});

    // The next build puts it back first, even one that then stops on a bad template.
    const broken = path.join(work, 'broken');
    await cp(FIXTURE, broken, {recursive: true});
    await writeFile(
      path.join(broken, 'templates', 'golden-report.mdx'),
      `${await readFile(path.join(broken, 'templates', 'golden-report.mdx'), 'utf8')}\n<Chart spec={{\n`,
    );
    const failed = run(['build', '--root', broken, '--out', out]);
    expect(failed.code).toBe(1);
    expect(await hashTree(out)).toBe(hashA);

    // And a good one then swaps in its own site.
    const next = run(['build', '--root', projectB, '--out', out]);
    expect(next.code, next.stderr).toBe(0);
    expect(await hashTree(out)).toBe(hashB);
    expect(await readdir(parent)).toEqual(['site']);
  });
});

describe('two builds into one folder at once', () => {
  it('one suspended (SIGSTOP, as with ctrl-Z) while it writes: a second is refused, naming its pid; the first resumes and completes', async () => {
    const parent = path.join(work, 'concurrent');
    const out = path.join(parent, 'site');
    await mkdir(parent);
    expect(run(['build', '--root', projectA, '--out', out]).code).toBe(0);
    let first: Running | undefined;
    try {
      // Stop the first build as soon as it holds the lock; if it was quicker than the signal, start again.
      for (let attempt = 0; ; attempt++) {
        const build = start(['build', '--root', projectB, '--out', out]);
        first = build;
        const stopped =
          (await appears(parent, lockedBy(parent, build.pid), build.exited)) !== undefined &&
          signal(build.pid, 'SIGSTOP');
        const lock = await readFile(path.join(parent, 'site.lock'), 'utf8').catch(() => '');
        if (stopped && lock.startsWith(`${build.pid}\n`)) break;
        signal(build.pid, 'SIGCONT');
        expect((await build.exited).code).toBe(0);
        expect(attempt, 'the first build always finished before it could be stopped').toBeLessThan(5);
      }
      const second = run(['build', '--root', projectA, '--out', out]);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(
        new RegExp(
          `^<environment>\\n.*error\\s+Another build \\(pid ${first.pid}\\) is writing .*site, so this one stops without writing\\. Run it again when that build has finished \\(if none is running, delete .*site\\.lock\\)\\s+io-error`,
        ),
      );
      // The folder is the previous site or the first build's (it may have got as far as its swap), never the second's.
      expect([hashA, hashB]).toContain(await hashTree(out).catch(() => hashA));
      process.kill(first.pid, 'SIGCONT');
      const exit = await first.exited;
      expect(exit.code, exit.stderr).toBe(0);
      expect(await hashTree(out)).toBe(hashB);
      expect(await readdir(parent)).toEqual(['site']);
    } finally {
      first?.kill();
    }
  });

  it('started together, they never interleave: each completes or is refused, and the folder is one whole site', async () => {
    const parent = path.join(work, 'race');
    const out = path.join(parent, 'site');
    await mkdir(parent);
    for (let round = 0; round < 3; round++) {
      const builds = [
        start(['build', '--root', projectA, '--out', out]),
        start(['build', '--root', projectB, '--out', out]),
      ];
      const exits = await Promise.all(builds.map((build) => build.exited));
      for (const [index, exit] of exits.entries()) {
        if (exit.code === 0) continue;
        expect(exit.code, exit.stderr).toBe(1);
        expect(exit.stderr).toContain(`Another build (pid ${builds[1 - index]?.pid}) is writing`);
      }
      expect([hashA, hashB]).toContain(await hashTree(out));
      expect(await readdir(parent)).toEqual(['site']);
    }
  });
});

describe('an output folder that is not a tradeoffs site', () => {
  /** A home folder, as `--out ~` run from outside it would find. */
  async function homeLike(name: string): Promise<string> {
    const home = path.join(work, name);
    await mkdir(path.join(home, 'Documents'), {recursive: true});
    await writeFile(path.join(home, '.bashrc'), 'export PATH');
    await writeFile(path.join(home, 'Documents', 'thesis.tex'), 'chapter 1');
    return home;
  }

  it('a folder of other files (`--out ~` from outside it): refused, naming what is there, exit 1, nothing touched', async () => {
    const home = await homeLike('home');
    const before = await hashTree(home);
    for (const command of [['build'], ['pdf'], ['build', '--force', '--no-cache']]) {
      const result = run([...command, '--root', projectA, '--out', home]);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(
        /^<environment>\n.*error\s+Refusing to replace .*home: it is a folder that is not a tradeoffs site: no manifest\.json, and it holds \.bashrc, Documents\/\. A build replaces the whole output folder; choose a new or empty folder, or pass --replace-folder to delete what is there\s+io-error/,
      );
    }
    expect(await hashTree(home)).toBe(before);
    expect((await readdir(work)).filter((entry) => entry.startsWith('.home') || entry === 'home.lock')).toEqual([]);
  });

  it('a regular file: refused, exit 1, the file kept', async () => {
    const file = path.join(work, 'precious.txt');
    await writeFile(file, 'precious');
    const result = run(['build', '--root', projectA, '--out', file]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('it is a file (8 bytes), not a folder');
    expect(await readFile(file, 'utf8')).toBe('precious');
  });

  it('merge refuses the same way', async () => {
    const home = await homeLike('merge-home');
    const before = await hashTree(home);
    const shard = path.join(work, 'merge-shard');
    expect(run(['build', '--root', projectA, '--shard', '1/1', '--out', shard]).code).toBe(0);
    const result = run(['merge', shard, '--out', home]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('it is a folder that is not a tradeoffs site');
    expect(await hashTree(home)).toBe(before);
  });

  it('an empty folder, a previous site and a shard are ours to replace; anything else with --replace-folder', async () => {
    const empty = path.join(work, 'empty');
    await mkdir(empty);
    expect(run(['build', '--root', projectA, '--out', empty]).code).toBe(0);
    expect(run(['build', '--root', projectA, '--out', empty, '--force']).code).toBe(0);
    const shard = path.join(work, 'shard-then-site');
    expect(run(['build', '--root', projectA, '--shard', '1/1', '--out', shard]).code).toBe(0);
    expect(run(['build', '--root', projectA, '--out', shard]).code).toBe(0);
    const home = await homeLike('replaced-home');
    const result = run(['build', '--root', projectA, '--out', home, '--replace-folder']);
    expect(result.code, result.stderr).toBe(0);
    expect(await readdir(home)).toContain('manifest.json');
    expect(await readdir(home)).not.toContain('.bashrc');
  });
});

describe('an output folder that cannot be written', () => {
  it('a file where the path needs a folder (ENOTDIR): one <environment> message, exit 1', async () => {
    const file = path.join(work, 'a-file');
    await writeFile(file, 'not a folder');
    const result = run(['build', '--root', projectA, '--out', path.join(file, 'deeper', 'site')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^<environment>\n.*error\s+Cannot write the site into .*a-file\/deeper\/site: a part of the path is a file, not a folder \(ENOTDIR, mkdir .*a-file\/deeper\); no site was written\s+io-error tradeoffs\n\n✖ 1 error\n$/,
    );
  });

  it('the working folder, or one above it (`--out .` would delete the project): refused, exit 1, nothing touched', async () => {
    const project = path.join(work, 'outer', 'project');
    await cp(FIXTURE, project, {recursive: true});
    const before = await hashTree(path.join(work, 'outer'));
    for (const out of ['.', '..', '/']) {
      const result = run(['build', '--out', out], project);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^<environment>\n.*error\s+Refusing to write the site into .*: it holds the working folder \(.*outer\/project\), and the site replaces the whole folder; choose a folder of its own, such as reports\s+io-error/,
      );
    }
    expect(await hashTree(path.join(work, 'outer'))).toBe(before);
  });

  it('the project itself, or its data or templates (`--out data` would replace the data): refused, exit 1, nothing touched', async () => {
    const project = path.join(work, 'own-folders', 'project');
    await cp(FIXTURE, project, {recursive: true});
    const before = await hashTree(project);
    for (const out of [project, path.join(project, 'data'), path.join(project, 'templates', 'site')]) {
      const result = run(['build', '--root', project, '--out', out]);
      expect(result.code, out).toBe(1);
      expect(result.stderr).toMatch(
        /^<environment>\n.*error\s+Refusing to write the site into .*: it would replace the project's own files \(.*own-folders\/project\); choose a folder of its own, such as reports\s+io-error/,
      );
    }
    expect(await hashTree(project)).toBe(before);
  });

  it('a folder it may not write into (EACCES): one <environment> message, exit 1, the previous site intact', async () => {
    const parent = path.join(work, 'read-only-parent');
    const out = path.join(parent, 'site');
    await mkdir(parent);
    expect(run(['build', '--root', projectA, '--out', out]).code).toBe(0);
    await chmod(parent, 0o555);
    // Root may write anywhere: as root, build as `nobody`, who may read the project but not write beside the site.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) await chmod(work, 0o755);
    try {
      const result = run(
        ['build', '--root', projectB, '--out', out],
        undefined,
        asRoot ? {uid: 65534, gid: 65534} : undefined,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^<environment>\n.*error\s+Cannot write the site into .*site: permission denied \(EACCES, open .*site\.lock\); .*site is as it was\s+io-error/,
      );
    } finally {
      await chmod(parent, 0o755);
    }
    expect(await hashTree(out)).toBe(hashA);
  });

  describe.runIf(canMountTmpfs())('on a small tmpfs (root only)', () => {
    let disk: string;
    beforeAll(async () => {
      disk = await mkdtemp(path.join(tmpdir(), 'tradeoffs-disk-'));
      // Room for one site and half of another: the staged copy of the next build runs out of space.
      const size = Math.ceil((1.5 * (await diskUsage(path.join(work, 'site-a')))) / 4096) * 4096;
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', disk]).status).toBe(0);
    });
    afterAll(async () => {
      spawnSync('umount', [disk]);
      await rm(disk, {recursive: true, force: true});
    });

    it('a full disk (ENOSPC): one <environment> message, exit 1, the previous site intact, nothing left beside it', async () => {
      const out = path.join(disk, 'site');
      expect(run(['build', '--root', projectA, '--out', out]).code).toBe(0);
      const result = run(['build', '--root', projectB, '--out', out]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^<environment>\n.*error\s+Cannot write the site into .*site: no space left on device; the new site is staged beside the previous one, so the disk needs room for both \(ENOSPC, (write|open) .*\.site-staging-[^)]*\); .*site is as it was\s+io-error/,
      );
      expect(await hashTree(out)).toBe(hashA);
      expect(await readdir(disk)).toEqual(['site']);
    });

    it('an output folder that is a mount point (EBUSY, as a container volume): says to mount the folder above, the site intact, nothing left beside it', async () => {
      const parent = path.join(work, 'mounted');
      const out = path.join(parent, 'site');
      await mkdir(out, {recursive: true});
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', out]).status).toBe(0);
      try {
        await cp(path.join(work, 'site-a'), out, {recursive: true});
        const result = run(['build', '--root', projectB, '--out', out]);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(
          /^<environment>\n.*error\s+Cannot write the site into .*site: the folder is busy, or is a mount point: the new site is swapped in by renaming the folder, so mount the folder above it instead \(EBUSY, rename\); .*site is as it was\s+io-error/,
        );
        expect(await hashTree(out)).toBe(hashA);
        expect(await readdir(parent)).toEqual(['site']);
      } finally {
        spawnSync('umount', [out]);
      }
    });

    it('a read-only file system (EROFS): one <environment> message, exit 1, the previous site intact', async () => {
      const out = path.join(disk, 'site');
      expect(spawnSync('mount', ['-o', 'remount,ro', disk]).status).toBe(0);
      try {
        const result = run(['build', '--root', projectB, '--out', out]);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(
          /^<environment>\n.*error\s+Cannot write the site into .*site: read-only file system \(EROFS, open .*site\.lock\); .*site is as it was\s+io-error/,
        );
      } finally {
        spawnSync('mount', ['-o', 'remount,rw', disk]);
      }
      expect(await hashTree(out)).toBe(hashA);
    });
  });
});

/** Whether this process may mount a tmpfs (root, with CAP_SYS_ADMIN): tried on a throw-away folder. */
function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync('sh', [
    '-c',
    'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" && umount "$d" && rmdir "$d"',
  ]);
  return probe.status === 0;
}

/** Bytes a folder's files take on disk (whole blocks, as a tmpfs counts them). */
async function diskUsage(folder: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(folder, {recursive: true, withFileTypes: true})) {
    if (entry.isFile()) bytes += (await stat(path.join(entry.parentPath, entry.name))).blocks * 512;
  }
  return bytes;
}

describe('inputs that are not plain files of the project', () => {
  /** A fresh copy of project A, changed by `change`. */
  async function projectWith(name: string, change: (root: string) => Promise<void>): Promise<string> {
    const root = path.join(work, name);
    await cp(FIXTURE, root, {recursive: true});
    await change(root);
    return root;
  }
  const stackTrace = (stderr: string) => /^\s+at /m.exec(stderr);

  it('a data file or template linked out of the project (to /etc/passwd) is refused at its path, never read nor echoed', async () => {
    for (const file of ['data/scenarios/evil.yaml', 'data/hardware.yaml', 'templates/evil.mdx']) {
      const root = await projectWith(`linked-out-${path.basename(file)}`, async (project) => {
        await rm(path.join(project, file), {force: true});
        await symlink('/etc/passwd', path.join(project, file));
      });
      const result = run(['build', '--root', root, '--out', path.join(root, 'reports')]);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^${file}\\n.*error\\s+Cannot read file: a symbolic link out of the project, expected a file inside it`,
          'm',
        ),
      );
      expect(result.stderr).not.toMatch(/root:|\/bin\/|nologin/);
      expect(stackTrace(result.stderr)).toBeNull();
    }
  });

  it('a link to nothing and a named pipe are refused at their path at once: no hang, no stack trace', async () => {
    const cases = [
      ['data/scenarios/dangling.yaml', 'a symbolic link to nothing (its target does not exist)'],
      ['templates/dangling.mdx', 'a symbolic link to nothing (its target does not exist)'],
      ['data/models.yaml', 'a named pipe, expected a regular file'],
      ['templates/pipe.mdx', 'a named pipe, expected a regular file'],
    ] as const;
    for (const [file, reason] of cases) {
      const root = await projectWith(`special-${file.replace(/\W/g, '-')}`, async (project) => {
        await rm(path.join(project, file), {force: true});
        if (reason.includes('pipe')) expect(spawnSync('mkfifo', [path.join(project, file)]).status).toBe(0);
        else await symlink('nowhere', path.join(project, file));
      });
      for (const command of file.startsWith('data/') ? ['build', 'check'] : ['build']) {
        const result = run(
          [command, '--root', root, '--out', path.join(root, 'reports')].slice(0, command === 'check' ? 3 : 5),
        );
        expect(result.code, `${command} ${file}: ${result.stderr}`).toBe(1);
        expect(result.stderr).toMatch(
          new RegExp(`^${file}\\n.*error\\s+Cannot read file: ${reason.replace(/[()]/g, '\\$&')}`, 'm'),
        );
        expect(result.stderr).not.toContain('--verbose');
      }
    }
  });

  it('a template linked within the project is built, and hashed by what it points to: editing the target rebuilds it', async () => {
    const root = await projectWith('linked-within', async (project) => {
      await mkdir(path.join(project, 'shared'));
      await rename(
        path.join(project, 'templates', 'golden-report.mdx'),
        path.join(project, 'shared', 'golden-report.mdx'),
      );
      await symlink('../shared/golden-report.mdx', path.join(project, 'templates', 'golden-report.mdx'));
    });
    const out = path.join(root, 'reports');
    expect(run(['build', '--root', root, '--out', out]).code).toBe(0);
    expect(await hashTree(out, (file) => file === 'manifest.json')).toBe(
      await hashTree(path.join(work, 'site-a'), (file) => file === 'manifest.json'),
    );
    await editFile(root, 'shared/golden-report.mdx', '# Golden report', '# Golden report, edited through the link');
    const again = run(['build', '--root', root, '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(await readFile(path.join(out, 'golden-report', 'index.html'), 'utf8')).toContain(
      'Golden report, edited through the link</h1>',
    );
  });

  it('a template named like a file of the site (index.html.mdx, manifest.json.mdx…) is refused at its path; `new` refuses the name', async () => {
    const root = await projectWith('reserved-names', async () => undefined);
    for (const name of ['index.html', 'manifest.json', 'shard.json', 'pdf', 'content']) {
      const template = path.join(root, 'templates', `${name}.mdx`);
      await cp(path.join(root, 'templates', 'golden-report.mdx'), template);
      const result = run(['build', '--root', root, '--out', path.join(root, 'reports')]);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^templates/${name.replace('.', '\\.')}\\.mdx\\n.*error\\s+Unexpected file name .*, expected a name the site does not use for its own files`,
          'm',
        ),
      );
      const created = run(['new', name, '--root', root]);
      expect(created.code, created.stderr).toBe(1);
      expect(created.stderr).toContain('expected a name the site does not use for its own files');
      await rm(template);
    }
  });

  it('a cache in the inputs, the project or the output (`--cache data`, `.`, `reports`) is refused, and nothing is written there', async () => {
    const root = await projectWith('cache-places', async () => undefined);
    const before = await hashTree(root);
    for (const cache of ['data', 'templates', '.', 'reports', path.join(root, 'data', 'scenarios'), '..']) {
      for (const command of [['build'], ['build', '--force'], ['pdf']]) {
        const result = run([...command, '--root', root, '--cache', cache, '--out', path.join(root, 'reports')]);
        expect(result.code, `${cache}: ${result.stderr}`).toBe(1);
        expect(result.stderr).toMatch(
          /error\s+Refusing to keep the build cache in .*: it would write its folders into the project, its inputs \(data, templates\) or the site's folder/,
        );
      }
    }
    expect(await hashTree(root)).toBe(before);
  });
});

describe('a build killed (SIGKILL) holding its lock, then a build that finds the site up to date', () => {
  it('clears the lock and the staging copy the killed build left, and reports it up to date', async () => {
    const parent = path.join(work, 'killed-then-up-to-date');
    const out = path.join(parent, 'site');
    await mkdir(parent);
    expect(run(['build', '--root', projectA, '--out', out]).code).toBe(0);
    // --force: the killed build takes the lock and stages although the site is up to date.
    const build = start(['build', '--root', projectA, '--out', out, '--force']);
    await appears(parent, (name) => name.startsWith(`.site-staging-${build.pid}-`), build.exited);
    build.kill();
    const exit = await build.exited;
    if (exit.signal !== 'SIGKILL') return expect.unreachable(`the build ended before the kill: ${exit.stderr}`);
    const left = await outputState(parent, 'site');
    expect(left.lock || left.staging > 0, 'the killed build left its lock or staging folder').toBe(true);
    const next = run(['build', '--root', projectA, '--out', out]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toBe('');
    expect(await readdir(parent)).toEqual(['site']);
    expect(await hashTree(out)).toBe(hashA);
  });
});
