import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type {z} from 'zod';
import {parseJsonQuietly} from '../data/json-file.js';
import {jsonMembers} from '../data/json-members.js';
import {MANIFEST_FILE} from '../project.js';
import {siteManifestSchema} from './manifest.js';

/**
 * What a build asks of the site in place before it renders: whether it is up
 * to date (the tool, sampling, options, input hashes and file hashes) and
 * which PDFs it holds. Everything of the manifest but its reports.
 */
export const manifestSummarySchema = siteManifestSchema.omit({reports: true});
export type ManifestSummary = Readonly<z.infer<typeof manifestSummarySchema>>;

/**
 * The manifest of a site folder without its reports, checked as readManifest
 * checks the whole (`undefined`: none, or not what this tool writes; no
 * messages: a build treats both as no site to trust). The reports are most
 * of the file (at 200 reports, 20 of its 23 MB are their tables and numbers),
 * and reading them made the build process hold about 150 MB more from its
 * start (text, parsed JSON and its checked copy; issue #18): here they are
 * skipped as bytes, never decoded nor checked: whoever needs them reads the
 * whole manifest (readManifest), which checks them.
 */
export async function readManifestSummary(folder: string): Promise<ManifestSummary | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path.join(folder, MANIFEST_FILE));
  } catch {
    return undefined;
  }
  const text = jsonMembers(bytes, (key) => key !== 'reports');
  return text === undefined ? undefined : parseJsonQuietly(text, manifestSummarySchema);
}
