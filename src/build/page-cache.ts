import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {z} from 'zod';
import type {PageReuse, SiteFile} from '../output/site-files.js';
import {sha256} from '../tool/hash.js';
import {readFrom} from '../output/atomic-output.js';
import type {BuildCache} from './build-cache.js';

/**
 * Pages of the site in place reused by the next build (site-files.ts,
 * PageReuse): the cache keeps, per report, the key its page was last made
 * from and the hash of each of its files (`pages/<slug>.json`). A page whose
 * key is the same is taken from the site in place, file by file, each only
 * when it still has the hash recorded; otherwise it is made again. An
 * entry is input (a miss when it is not this shape, or names a file outside
 * the report's folder). What this build made is recorded only once its site
 * is in place (`flush`), so an entry never names a page the site does not hold.
 */
const pageEntrySchema = z.object({
  key: z.string(),
  files: z.array(z.tuple([z.string(), z.string()])),
});

export interface PageCache extends PageReuse {
  /** Record the pages this build made: after its site is in place. */
  flush(): Promise<void>;
}

export function pageCache(cache: BuildCache, siteFolder: string): PageCache {
  const made = new Map<string, z.infer<typeof pageEntrySchema>>();
  return {
    reuse: async (slug, key) => {
      const entry = await cache.readJson('pages', slug, pageEntrySchema);
      if (!entry || entry.key !== key) return undefined;
      for (const [name] of entry.files) {
        const parts = name.split('/');
        if (parts.length !== 2 || parts[0] !== slug || parts[1] === '' || parts[1] === '.' || parts[1] === '..')
          return undefined;
      }
      // A page's files read at once, not one after the other: at 200 reports (3,200 files) a one-report
      // edit's build otherwise sat idle about a second waiting on the reads in turn.
      const read = await Promise.all(
        entry.files.map(async ([name, hash]): Promise<SiteFile | undefined> => {
          const file = path.join(siteFolder, name);
          const bytes = await readFile(file).catch(() => undefined);
          if (!bytes || sha256(bytes) !== hash) return undefined;
          // Linked into the new site rather than written again, where the file system can.
          return [name, readFrom(bytes, file)];
        }),
      );
      const files = read.filter((file) => file !== undefined);
      return files.length === read.length ? files : undefined;
    },
    made: (slug, key, files) => {
      made.set(slug, {key, files: files.map(([name, contents]) => [name, sha256(contents)])});
    },
    flush: async () => {
      for (const [slug, entry] of made) await cache.writeJson('pages', slug, entry);
      made.clear();
    },
  };
}
