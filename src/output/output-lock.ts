import {readFileSync} from 'node:fs';
import {link, open, readFile, rename, unlink, writeFile} from 'node:fs/promises';
import path from 'node:path';

/**
 * One writer per output folder. A build takes `<out>.lock` beside the folder
 * (created exclusively, `wx`, holding its pid and, on Linux, its start time)
 * before it touches anything there, and removes it when done; a second build
 * into the same folder finds the lock held by a live process and stops with
 * OutputLockedError instead of interleaving. A lock left by a killed build
 * (its process gone or a zombie, or its pid now another process: the start
 * times differ) is stale and taken over.
 *
 * Liveness is judged by pid in this machine's pid namespace: a lock on a
 * folder shared with another machine or container is taken for stale.
 */

/** The lock file of an output folder: `<out>.lock`, beside it. */
export function lockFileOf(outDir: string): string {
  return `${path.resolve(outDir)}.lock`;
}

/** Another build holds the lock of the output folder. */
export class OutputLockedError extends Error {
  override name = 'OutputLockedError';
  constructor(
    readonly outDir: string,
    readonly lockFile: string,
    /** The pid of the build holding it (undefined: its lock is being written this instant). */
    readonly pid: number | undefined,
  ) {
    super(`Another build${pid === undefined ? '' : ` (pid ${pid})`} is writing ${outDir}`);
  }
}

/** Lock files this process holds (so its own pid in a lock is told apart from an earlier process with that pid). */
const held = new Set<string>();
let takeOverCounter = 0;

/** An empty lock is one being written; empty for longer than this, its writer was killed in that instant. */
const EMPTY_LOCK_GRACE_MS = 5_000;
const ATTEMPTS = 5;

interface Owner {
  readonly pid: number;
  /** Start time of the process (Linux: clock ticks since boot, /proc/<pid>/stat field 22); tells a reused pid apart. */
  readonly start?: string;
}

/**
 * Take the lock of `outDir`; resolves to the function that releases it.
 * Throws OutputLockedError when a live build holds it, and the file system's
 * error (EACCES, EROFS, ENOSPC…) when the lock cannot be written.
 */
export async function lockOutput(outDir: string): Promise<() => Promise<void>> {
  const file = lockFileOf(outDir);
  const start = processStart(process.pid);
  const mine = `${process.pid}\n${start ?? ''}\n`;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      await writeFile(file, mine, {flag: 'wx'});
      held.add(file);
      return () => release(file, mine);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const seen = await readLock(file);
    if (!seen) continue; // released meanwhile: try again
    const owner = parseOwner(seen.text);
    if (!owner) {
      // Being written this instant: look again shortly, to name its owner.
      if (Date.now() - seen.mtimeMs < EMPTY_LOCK_GRACE_MS) {
        if (attempt < ATTEMPTS - 1) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        throw new OutputLockedError(outDir, file, undefined);
      }
    } else if (isRunning(owner, file)) {
      throw new OutputLockedError(outDir, file, owner.pid);
    }
    await takeOver(file, seen);
  }
  // Several other builds raced for it: one of them has it.
  throw new OutputLockedError(outDir, file, undefined);
}

/** Remove our lock, only if it is still ours. */
async function release(file: string, mine: string): Promise<void> {
  held.delete(file);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === mine) await unlink(file).catch(() => undefined);
}

async function readLock(file: string): Promise<{text: string; ino: number; mtimeMs: number} | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const info = await handle.stat();
    return {text: await handle.readFile('utf8'), ino: info.ino, mtimeMs: info.mtimeMs};
  } finally {
    await handle.close();
  }
}

function parseOwner(text: string): Owner | undefined {
  const [pidText = '', start = ''] = text.split('\n');
  if (!/^\d+$/.test(pidText.trim())) return undefined;
  return {pid: Number(pidText.trim()), start: start.trim() || undefined};
}

function isRunning(owner: Owner, file: string): boolean {
  // Our own pid: this process holds it (another build in this process), or an earlier process had our pid.
  if (owner.pid === process.pid) return held.has(file);
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const status = processStatus(owner.pid);
  if (!status) return true;
  // A zombie is a killed build its parent has not reaped yet (common in containers).
  if (status.state === 'Z' || status.state === 'X') return false;
  return owner.start === undefined || status.start === owner.start;
}

/**
 * Remove a stale lock so the next attempt can create ours. Moved aside
 * first, then checked: if another build took it over between our read and
 * the move, the file moved is its live lock, and goes back.
 */
async function takeOver(file: string, seen: {text: string; ino: number}): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${(takeOverCounter++).toString(36)}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // another build removed it first
    throw error;
  }
  const moved = await readLock(aside);
  if (moved && (moved.ino !== seen.ino || moved.text !== seen.text)) await link(aside, file).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** The start time of process `pid` (Linux), to tell it apart from a later process given the same pid. */
function processStart(pid: number): string | undefined {
  return processStatus(pid)?.start;
}

/** State (R, S, Z…) and start time of process `pid`, from /proc (Linux); undefined elsewhere. */
function processStatus(pid: number): {state: string; start: string} | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime field 22.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {state: fields[0] ?? '', start: fields[19] ?? ''};
  } catch {
    return undefined;
  }
}

/** Whether a live build (another, or this process) holds the lock of `outDir` now; a lock being written counts as held. */
export async function isOutputLocked(outDir: string): Promise<boolean> {
  const file = lockFileOf(outDir);
  const seen = await readLock(file);
  if (!seen) return false;
  const owner = parseOwner(seen.text);
  return owner ? isRunning(owner, file) : Date.now() - seen.mtimeMs < EMPTY_LOCK_GRACE_MS;
}
