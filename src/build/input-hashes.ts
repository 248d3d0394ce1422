import {INPUT_FOLDERS} from '../project.js';
import {sha256} from '../tool/hash.js';
import type {InputReader} from './input-reader.js';
import {byKey} from '../tool/compare.js';

/** How the environment variables a site depends on are named among the inputs (no file is named so). */
export const ENVIRONMENT_PREFIX = '<environment>/';

/**
 * The environment variables that change what a build prints: the date it
 * stamps (SOURCE_DATE_EPOCH) and the commit it names (SOURCE_COMMIT,
 * GITHUB_SHA). They count as inputs, so a build with another date or commit
 * is not "up to date", and shards of one build must agree on them.
 */
const ENVIRONMENT_INPUTS = ['SOURCE_DATE_EPOCH', 'SOURCE_COMMIT', 'GITHUB_SHA'] as const;

/**
 * Every file under `data/` and `templates/` (sorted, `/`-separated, relative
 * to the root) with its content hash, then each environment variable of
 * ENVIRONMENT_INPUTS that is set, as `<environment>/NAME`.
 */
export async function hashInputs(reader: InputReader): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await reader.entries(folder);
    } catch {
      return;
    }
    for (const entry of entries.sort(byKey((entry) => entry.name))) {
      const relative = `${folder}/${entry.name}`;
      if (entry.kind === 'folder') await walk(relative);
      else if (entry.kind === 'file') hashes[relative] = sha256(await reader.readBytes(relative));
    }
  };
  for (const folder of INPUT_FOLDERS) await walk(folder);
  for (const name of ENVIRONMENT_INPUTS) {
    const value = process.env[name];
    if (value !== undefined && value !== '') hashes[`${ENVIRONMENT_PREFIX}${name}`] = sha256(value);
  }
  return hashes;
}
