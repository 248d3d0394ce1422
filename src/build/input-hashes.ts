import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {INPUT_FOLDERS} from '../project.js';
import {sha256} from '../tool/hash.js';

/** Every file under `data/` and `templates/` (sorted, `/`-separated, relative to the root) with its content hash. */
export async function hashInputs(root: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(root, folder), {withFileTypes: true});
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const relative = `${folder}/${entry.name}`;
      if (entry.isDirectory()) await walk(relative);
      else if (entry.isFile()) hashes[relative] = sha256(await readFile(path.join(root, relative)));
    }
  };
  for (const folder of INPUT_FOLDERS) await walk(folder);
  return hashes;
}
