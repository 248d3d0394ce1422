import {existsSync} from 'node:fs';
import {link, mkdir, readdir, rename, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {Diagnostics, DiagnosticsError} from '../diagnostics/diagnostics.js';
import {INPUT_FOLDERS} from '../project.js';
import {lockOutput, OutputLockedError} from './output-lock.js';
import {whyNotReplaceable} from './replaceable.js';
import {byKey} from '../tool/compare.js';

/** Makes staging names unique within one process, too. */
let swapCounter = 0;

/** Files of a site: path relative to the output folder → contents. */
export type SiteFiles = ReadonlyMap<string, string | Uint8Array>;

/**
 * A file's text made in pieces as it is written, never held whole (the
 * manifest: 22 MB of text at 200 reports, and as much again as bytes to write).
 */
export interface StreamedText {
  readonly chunks: () => AsyncIterable<string>;
}

/** What a file of a stream holds: its text or bytes, or its text in pieces. */
export type StreamedContents = string | Uint8Array | StreamedText;

/**
 * Files of a site as they are made, one at a time (a Map is one too): a
 * writer writes each as it comes and keeps none.
 */
export type SiteStream =
  Iterable<readonly [string, StreamedContents]> | AsyncIterable<readonly [string, StreamedContents]>;

/** Whether a file's contents come in pieces. */
export function isStreamedText(contents: StreamedContents): contents is StreamedText {
  return typeof contents === 'object' && 'chunks' in contents;
}

/** The whole text of streamed contents (for a site kept in memory). */
export async function wholeText(contents: StreamedText): Promise<string> {
  let text = '';
  for await (const chunk of contents.chunks()) text += chunk;
  return text;
}

/**
 * Write a whole site so that readers never see half of it (with `beforeSwap`
 * run on the staged copy, for work that needs the pages, such as PDFs; the
 * files it returns are added to the site).
 *
 * One build at a time: the build takes `<out>.lock` (output-lock.ts) first;
 * while another live build holds it, this one stops with an OutputError
 * naming that build's pid. Holding the lock, it puts back a site a killed
 * build left aside and clears what killed builds left, writes the new site
 * into a staging folder beside the output, and swaps it in with two renames:
 * the output folder to a backup name, the staging folder to the output name.
 *
 * What a reader of `<out>` sees, whenever the build is killed (SIGKILL) or fails:
 * - until the first rename: the previous site, complete and untouched (a
 *   killed build leaves a staging folder and its lock, cleared by the next build);
 * - between the two renames (one turn of the event loop, well under a
 *   millisecond on an idle machine): no folder; the previous site is
 *   complete in `.<out>-previous-<pid>-…`, and the next build that reaches
 *   this function renames it back before anything else;
 * - after the second rename: the new site, complete (a killed build leaves
 *   the backup, or part of it, removed by the next build).
 * So `<out>` is always exactly the previous site or the new one, except in
 * that window, which only a kill can make last. Nothing is fsync'ed: a power
 * loss is not covered. Renaming a folder cannot replace a non-empty one,
 * hence the window; a symlink swapped in one rename would close it, but
 * `<out>` would no longer be a plain folder, and users copy, commit, serve
 * and mount it as one (README, "The CLI").
 *
 * Problems of the file system (EACCES, ENOSPC, EROFS, ENOTDIR…) and a held
 * lock are thrown as an OutputError: a DiagnosticsError with one
 * `<environment>` message naming the folder, the errno and the state the
 * previous site was left in.
 */
export async function writeSiteAtomically(
  outDir: string,
  files: SiteStream,
  beforeSwap?: (staging: string) => Promise<SiteFiles | void>,
  options: {readonly claimed?: boolean} & ReplaceOptions = {},
): Promise<void> {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  const name = path.basename(target);
  const progress: SwapProgress = {state: 'unchanged'};
  checkOutputFolder(target);
  let release: (() => Promise<void>) | undefined;
  try {
    if (!options.claimed) {
      await mkdir(parent, {recursive: true});
      release = await lockOutput(target);
    }
    await recoverInterruptedSwap(parent, name, progress);
    // A claimed folder was checked when it was claimed, under the same lock.
    if (!options.claimed) await refuseForeignFolder(target, options);
    await stageAndSwap(parent, name, files, beforeSwap, progress);
  } catch (error) {
    throw toOutputError(error, target, progress);
  } finally {
    await release?.();
  }
}

/** Whether a build may replace a folder it did not make. */
export interface ReplaceOptions {
  /**
   * Replace whatever is at the output path, even a folder that is not a
   * tradeoffs site (`--replace-folder`). Never the default: the swap deletes
   * what was there.
   */
  readonly replaceFolder?: boolean;
}

/**
 * Take the output folder for a whole build, before any work: refuse an
 * unsafe folder, one that is not a tradeoffs site (unless told to replace
 * it), and another build writing the same one, at once rather than after
 * rendering. Resolves to the release; pass `{claimed: true}` to
 * writeSiteAtomically meanwhile.
 */
export async function claimOutput(
  outDir: string,
  root?: string,
  options: ReplaceOptions = {},
): Promise<() => Promise<void>> {
  const target = path.resolve(outDir);
  checkOutputFolder(target, root);
  const progress: SwapProgress = {state: 'unchanged'};
  let release: (() => Promise<void>) | undefined;
  try {
    await mkdir(path.dirname(target), {recursive: true});
    release = await lockOutput(target);
    // Put back a site a killed build left aside now, even if this build then stops on a bad input.
    await recoverInterruptedSwap(path.dirname(target), path.basename(target), progress);
    await refuseForeignFolder(target, options);
    return release;
  } catch (error) {
    await release?.();
    throw toOutputError(error, target, progress);
  }
}

/**
 * The swap replaces the whole folder: never the one the user works in or one
 * above it (`--out .` would delete the project), nor the project, its data or
 * its templates.
 */
export function checkOutputFolder(outDir: string, root?: string): void {
  const target = path.resolve(outDir);
  const holds = (folder: string) => {
    const from = path.relative(target, folder);
    return from === '' || (!from.startsWith('..') && !path.isAbsolute(from));
  };
  if (target === path.dirname(target) || holds(process.cwd())) {
    throw new OutputError(
      `Refusing to write the site into ${target}: it holds the working folder (${process.cwd()}), and the site replaces the whole folder; choose a folder of its own, such as reports`,
      'unsafe',
    );
  }
  if (root === undefined) return;
  const project = path.resolve(root);
  const inside = (folder: string) => {
    const from = path.relative(folder, target);
    return from === '' || (!from.startsWith('..') && !path.isAbsolute(from));
  };
  if (holds(project) || INPUT_FOLDERS.some((folder) => inside(path.join(project, folder)))) {
    throw new OutputError(
      `Refusing to write the site into ${target}: it would replace the project's own files (${project}); choose a folder of its own, such as reports`,
      'unsafe',
    );
  }
}

/**
 * A build replaces the whole output folder, so it may replace only nothing,
 * an empty folder, or a site or shard tradeoffs made (its manifest.json or
 * shard.json says so). Anything else (a home folder, a project, a file) is
 * refused, naming what is there, unless `replaceFolder` is given.
 */
async function refuseForeignFolder(target: string, options: ReplaceOptions): Promise<void> {
  if (options.replaceFolder) return;
  const reason = await whyNotReplaceable(target);
  if (reason === undefined) return;
  throw new OutputError(
    `Refusing to replace ${displayPath(target)}: ${reason}. A build replaces the whole output folder; choose a new or empty folder, or pass --replace-folder to delete what is there`,
    'foreign',
  );
}

/** How far the swap got when something failed: what the previous site looks like. */
interface SwapProgress {
  state: 'unchanged' | 'aside' | 'replaced';
  backup?: string;
}

async function stageAndSwap(
  parent: string,
  name: string,
  files: SiteStream,
  beforeSwap: ((staging: string) => Promise<SiteFiles | void>) | undefined,
  progress: SwapProgress,
): Promise<void> {
  const target = path.join(parent, name);
  const unique = `${process.pid}-${Date.now().toString(36)}-${(swapCounter++).toString(36)}`;
  const staging = path.join(parent, `.${name}-staging-${unique}`);
  const backup = path.join(parent, `.${name}-previous-${unique}`);
  try {
    await mkdir(staging);
    await writeFiles(staging, files);
    // Work on the finished site before readers see it (PDFs are printed from the staged pages).
    const more = await beforeSwap?.(staging);
    if (more) await writeFiles(staging, more);
  } catch (error) {
    await rm(staging, {recursive: true, force: true}).catch(() => undefined);
    throw error;
  }
  const hadPrevious = await rename(target, backup).then(
    () => true,
    async (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      await rm(staging, {recursive: true, force: true}).catch(() => undefined);
      throw error;
    },
  );
  if (hadPrevious) Object.assign(progress, {state: 'aside', backup});
  try {
    await rename(staging, target);
  } catch (error) {
    if (hadPrevious) {
      await rename(backup, target);
      progress.state = 'unchanged';
    }
    await rm(staging, {recursive: true, force: true}).catch(() => undefined);
    throw error;
  }
  progress.state = 'replaced';
  // The new site is in place: a backup that cannot be removed now is removed by the next build.
  if (hadPrevious) await rm(backup, {recursive: true, force: true}).catch(() => undefined);
}

/**
 * Contents read from a file that is to be written again unchanged (a page of
 * the site in place, reused): a writer on disk may link that file instead of
 * writing the bytes (the staged site and the previous one share it until
 * the previous one is removed). Keyed by the contents read.
 */
const linkable = new WeakMap<Uint8Array, string>();

/** Mark `contents` as read from `file`, unchanged since: writeFiles may link it. */
export function readFrom(contents: Uint8Array, file: string): Uint8Array {
  linkable.set(contents, file);
  return contents;
}

/** Write files into `folder` (a staging folder) as they come (a Map in path order), none outside it. */
export async function writeFiles(folder: string, files: SiteStream): Promise<void> {
  const made = new Set<string>();
  const ordered = files instanceof Map ? [...(files as SiteFiles)].sort(byKey(([relative]) => relative)) : files;
  for await (const [relative, contents] of ordered) {
    const file = path.join(folder, relative);
    if (!file.startsWith(folder + path.sep))
      throw new Error(`refusing to write outside the output folder: ${relative}`);
    const parent = path.dirname(file);
    if (!made.has(parent)) {
      await mkdir(parent, {recursive: true});
      made.add(parent);
    }
    // Bytes read unchanged from a file are linked when the file system can (else written).
    const from = typeof contents === 'string' || isStreamedText(contents) ? undefined : linkable.get(contents);
    if (
      from !== undefined &&
      (await link(from, file).then(
        () => true,
        () => false,
      ))
    )
      continue;
    // A failed write (ENOSPC) names no file: name it.
    await writeFile(file, isStreamedText(contents) ? contents.chunks() : contents).catch(
      (error: NodeJS.ErrnoException) => Promise.reject(Object.assign(error, {path: error.path ?? file})),
    );
  }
}

/** Thrown when the output folder cannot be written, or another build is writing it: one `<environment>` message. */
export class OutputError extends DiagnosticsError {
  constructor(
    reason: string,
    /**
     * The errno (EACCES, ENOSPC…), `locked` (another build is writing), `unsafe` (the folder holds the
     * working folder or the project) or `foreign` (something that is not a tradeoffs site is there).
     */
    readonly code: string,
    cause?: unknown,
  ) {
    const diagnostics = new Diagnostics();
    diagnostics.error('<environment>', reason, undefined, 'io-error', cause);
    super(diagnostics);
    this.name = 'OutputError';
    this.message = reason;
  }
}

/** What an errno means for the output folder, and what to do about it. */
const ERRNO_TEXT: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device; the new site is staged beside the previous one, so the disk needs room for both',
  EDQUOT: 'disk quota exceeded; the new site is staged beside the previous one, so the quota needs room for both',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file is in the way of a folder',
  EBUSY:
    'the folder is busy, or is a mount point: the new site is swapped in by renaming the folder, so mount the folder above it instead',
  EISDIR: 'a folder is in the way of a file',
  ENAMETOOLONG: 'a file name is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
};

/** An error of the file system, or a held lock, as an OutputError; anything else as it is. */
function toOutputError(error: unknown, target: string, progress: SwapProgress): unknown {
  const shown = displayPath(target);
  const state =
    progress.state === 'unchanged'
      ? existsSync(target)
        ? `${shown} is as it was`
        : 'no site was written'
      : progress.state === 'aside'
        ? `the previous site is in ${displayPath(progress.backup ?? '')}, and the next build puts it back`
        : `the new site is in place`;
  if (error instanceof OutputLockedError) {
    const pid = error.pid === undefined ? '' : ` (pid ${error.pid})`;
    return new OutputError(
      `Another build${pid} is writing ${shown}, so this one stops without writing. Run it again when that build has finished (if none is running, delete ${displayPath(error.lockFile)})`,
      'locked',
      error,
    );
  }
  const {code, syscall, path: failedPath} = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof syscall !== 'string') return error;
  const text = ERRNO_TEXT[code] ?? (error as Error).message;
  const where =
    failedPath && path.resolve(failedPath) !== target ? `, ${syscall} ${displayPath(failedPath)}` : `, ${syscall}`;
  return new OutputError(`Cannot write the site into ${shown}: ${text} (${code}${where}); ${state}`, code, error);
}

/** A path as the user would type it: relative to the working folder when inside it. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/**
 * Put back a previous output left in a backup folder by a build killed
 * mid-swap, and clear what killed builds left (staging folders, backups).
 * Called holding the lock, so every such folder is an orphan, whatever its
 * pid (in a container, a later build may well have the same pid).
 */
async function recoverInterruptedSwap(parent: string, name: string, progress: SwapProgress): Promise<void> {
  const entries = await readdir(parent);
  let hasOutput = entries.includes(name);
  const pattern = new RegExp(`^\\.${escapeRegExp(name)}-(staging|previous)-\\d+-`);
  for (const entry of entries.sort()) {
    const match = pattern.exec(entry);
    if (!match) continue;
    const full = path.join(parent, entry);
    if (match[1] === 'previous' && !hasOutput) {
      Object.assign(progress, {state: 'aside', backup: full});
      await rename(full, path.join(parent, name));
      Object.assign(progress, {state: 'unchanged', backup: undefined});
      hasOutput = true;
    } else {
      await rm(full, {recursive: true, force: true});
    }
  }
}

/**
 * Whether a build left anything beside the output folder `outDir`: its lock
 * (live or not), a staging folder or a backup. A build that finds the site
 * up to date without taking the lock must then take the slow path, which
 * takes it and clears them.
 */
export async function hasLeftovers(outDir: string): Promise<boolean> {
  const target = path.resolve(outDir);
  const name = path.basename(target);
  const pattern = new RegExp(`^\\.${escapeRegExp(name)}-(staging|previous)-\\d+-`);
  let entries: string[];
  try {
    entries = await readdir(path.dirname(target));
  } catch {
    return false;
  }
  return entries.some((entry) => entry === `${name}.lock` || pattern.test(entry));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
