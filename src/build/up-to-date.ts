import path from 'node:path';
import {Diagnostics} from '../diagnostics/diagnostics.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import {hashInputs} from './input-hashes.js';
import {diskInputs} from './input-reader.js';
import {toolIdentity} from '../tool/identity.js';
import {readManifest, siteMatches, type SiteManifest} from '../output/manifest.js';
import {readManifestSummary, type ManifestSummary} from '../output/manifest-summary.js';
import {hasLeftovers} from '../output/atomic-output.js';
import {isOutputLocked} from '../output/output-lock.js';

export interface UpToDateQuestion {
  readonly root: string;
  readonly outDir: string;
  readonly pdf: boolean;
  readonly sampling: SamplingOptions;
  /** This process holds the output's lock (a build asking about its own output). */
  readonly holdingLock?: boolean;
  /** The input hashes, when the caller has them already (hashInputs). */
  readonly inputs?: Readonly<Record<string, string>>;
  /** The hash of the previous build the site's page of changes is to compare with (`--compare`), or null for none. */
  readonly compared?: string | null;
  /** The manifest of the site in `outDir` without its reports (`undefined`: none, or not one this tool wrote), when the caller read it already. */
  readonly manifest?: {readonly read: ManifestSummary | undefined};
}

/**
 * The manifest of the site in `outDir` when a build would make exactly that
 * site again: same input files (by content hash), same tool, same options,
 * and every file of the site intact; otherwise `undefined`. A site another
 * build is writing this moment is not up to date, nor, asked without the
 * lock, one beside which a killed build left its lock or staging copy. Light on purpose (no
 * Vega, no MDX; the manifest's reports read only for a site found up to date), so `tradeoffs build`
 * with nothing to do starts and stops fast, and one with something to do does not hold them.
 */
export async function upToDateManifest(question: UpToDateQuestion): Promise<SiteManifest | undefined> {
  const outDir = path.resolve(question.outDir);
  // A manifest that is not what this tool writes is no site to trust: build it again (its problems are not this build's).
  const previous = question.manifest ? question.manifest.read : await readManifestSummary(outDir);
  if (!previous || previous.pdf !== question.pdf || previous.tool.fingerprint !== toolIdentity().fingerprint)
    return undefined;
  if (previous.sampling.samples !== question.sampling.samples || previous.sampling.seed !== question.sampling.seed)
    return undefined;
  if ((previous.compared ?? null) !== (question.compared ?? null)) return undefined;
  if (
    JSON.stringify(previous.inputs) !== JSON.stringify(question.inputs ?? (await hashInputs(diskInputs(question.root))))
  )
    return undefined;
  // Not holding the lock: a lock or staging copy a killed build left must be cleared, which takes the lock (a full build does).
  if (!question.holdingLock && ((await isOutputLocked(outDir)) || (await hasLeftovers(outDir)))) return undefined;
  if (!(await siteMatches(outDir, previous))) return undefined;
  // The whole manifest, checked, for the site it describes: with the fields read above (a site replaced meanwhile is not).
  const whole = await readManifest(outDir, new Diagnostics());
  if (!whole) return undefined;
  const {reports: _reports, ...rest} = whole;
  return JSON.stringify(rest) === JSON.stringify(previous) ? whole : undefined;
}
