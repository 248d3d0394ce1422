import {mkdir, readdir, rename, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';

/** Makes staging names unique within one process, too. */
let swapCounter = 0;

/** Files of a site: path relative to the output folder → contents. */
export type SiteFiles = ReadonlyMap<string, string | Uint8Array>;

/**
 * Write a whole site so that readers never see half of it (with `beforeSwap`
 * run on the staged copy, for work that needs the pages, such as PDFs): write into a
 * temporary sibling folder, then swap it in with two renames. A build that
 * fails or is interrupted before the swap leaves the previous output as it
 * was. A build killed between the two renames leaves the old output in a
 * backup folder, which the next call puts back before doing anything.
 */
export async function writeSiteAtomically(outDir: string, files: SiteFiles, beforeSwap?: (staging: string) => Promise<void>): Promise<void> {
  const parent = path.dirname(path.resolve(outDir));
  const name = path.basename(path.resolve(outDir));
  await mkdir(parent, {recursive: true});
  await recoverInterruptedSwap(parent, name);
  const unique = `${process.pid}-${Date.now().toString(36)}-${(swapCounter++).toString(36)}`;
  const staging = path.join(parent, `.${name}-staging-${unique}`);
  const backup = path.join(parent, `.${name}-previous-${unique}`);
  try {
    await mkdir(staging);
    for (const [relative, contents] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const target = path.join(staging, relative);
      if (!target.startsWith(staging + path.sep)) throw new Error(`refusing to write outside the output folder: ${relative}`);
      await mkdir(path.dirname(target), {recursive: true});
      await writeFile(target, contents);
    }
    // Work on the finished site before readers see it (PDFs are printed from the staged pages).
    await beforeSwap?.(staging);
  } catch (error) {
    await rm(staging, {recursive: true, force: true});
    throw error;
  }
  const hadPrevious = await rename(path.join(parent, name), backup).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  try {
    await rename(staging, path.join(parent, name));
  } catch (error) {
    if (hadPrevious) await rename(backup, path.join(parent, name));
    await rm(staging, {recursive: true, force: true});
    throw error;
  }
  if (hadPrevious) await rm(backup, {recursive: true, force: true});
}

/** Put back a previous output left in a backup folder by a build killed mid-swap, and clear stale staging folders. */
async function recoverInterruptedSwap(parent: string, name: string): Promise<void> {
  const entries = await readdir(parent);
  let hasOutput = entries.includes(name);
  for (const entry of entries.sort()) {
    const match = new RegExp(`^\\.${escapeRegExp(name)}-(staging|previous)-(\\d+)-`).exec(entry);
    if (!match || isAlive(Number(match[2]))) continue;
    const full = path.join(parent, entry);
    if (match[1] === 'previous' && !hasOutput) {
      await rename(full, path.join(parent, name));
      hasOutput = true;
    } else {
      await rm(full, {recursive: true, force: true});
    }
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
