import {lstat, readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {z} from 'zod';
import {jsonMembers} from '../data/json-members.js';
import {MANIFEST_FILE} from '../project.js';
import {printable} from '../diagnostics/printable.js';
import {byKey} from '../tool/compare.js';

/** The shard description a `build --shard` folder holds (src/output/shard.ts). */
export const SHARD_FILE = 'shard.json';

/**
 * What marks a folder as made by tradeoffs: its manifest.json (a site) or
 * shard.json (a shard) names the tool. Only the marker is read here; whether
 * the rest of the file can be trusted is the manifest's and shard's own
 * validation.
 */
const markerSchema = z.looseObject({
  format: z.number(),
  tool: z.looseObject({version: z.string(), fingerprint: z.string()}),
});

/** Why a build may not replace what is at `target`, or undefined when it may. */
export async function whyNotReplaceable(target: string): Promise<string | undefined> {
  const stats = await lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!stats) return undefined;
  if (stats.isSymbolicLink()) return 'it is a symbolic link, not a folder of its own';
  if (stats.isFile()) return `it is a file (${stats.size.toLocaleString('en-US')} bytes), not a folder`;
  if (!stats.isDirectory()) return 'it is not a folder (a device, socket or pipe)';
  const entries = (await readdir(target, {withFileTypes: true})).sort(byKey((entry) => entry.name));
  if (entries.length === 0) return undefined;
  for (const marker of [MANIFEST_FILE, SHARD_FILE]) {
    if (!entries.some((entry) => entry.isFile() && entry.name === marker)) continue;
    const bytes = await readFile(path.join(target, marker)).catch(() => undefined);
    if (bytes !== undefined && isMarker(bytes)) return undefined;
    return `its ${marker} is not one tradeoffs wrote (it does not name the tool)`;
  }
  const shown = entries.slice(0, 5).map((entry) => printable(entry.name) + (entry.isDirectory() ? '/' : ''));
  const more = entries.length > shown.length ? `, and ${entries.length - shown.length} more` : '';
  return `it is a folder that is not a tradeoffs site: no ${MANIFEST_FILE}, and it holds ${shown.join(', ')}${more}`;
}

/**
 * Whether the file's `format` and `tool` are a marker: only they are decoded (a site's manifest is 23 MB at
 * 200 reports, and parsed whole it made the build process hold some 150 MB more from its start; issue #18).
 */
function isMarker(bytes: Uint8Array): boolean {
  const text = jsonMembers(bytes, (key) => key === 'format' || key === 'tool');
  if (text === undefined) return false;
  try {
    return markerSchema.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
}
