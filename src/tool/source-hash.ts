import {createHash} from 'node:crypto';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {byKey} from './compare.js';

/**
 * A hash of what the tool is made from: `src/`, `assets/` (stylesheet,
 * scaffolds) and the locked dependencies. The bundle carries the hash taken
 * when it was made (scripts/bundle.mjs runs this same function); running from
 * source, the tool takes it from the tree.
 */
export function hashSourceTree(root: string): string {
  const hash = createHash('sha256');
  const walk = (folder: string): void => {
    const entries = readdirSync(path.join(root, folder), {withFileTypes: true});
    for (const entry of entries.sort(byKey((entry) => entry.name))) {
      const relative = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else
        hash
          .update(`${relative}\0`)
          .update(readFileSync(path.join(root, relative)))
          .update('\0');
    }
  };
  for (const folder of ['src', 'assets']) if (existsSync(path.join(root, folder))) walk(folder);
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(lock)) hash.update(readFileSync(lock));
  return hash.digest('hex');
}
