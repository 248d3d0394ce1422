import {INPUT_FOLDERS} from '../project.js';
import {sha256} from '../tool/hash.js';
import type {InputReader} from './input-reader.js';
import {byKey} from '../tool/compare.js';

/** Every file under `data/` and `templates/` (sorted, `/`-separated, relative to the root) with its content hash. */
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
  return hashes;
}
