// Pages of the site in place are reused only under the key they were made from, and only as they were made.
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {BuildCache} from '../../src/build/build-cache.js';
import {pageCache} from '../../src/build/page-cache.js';

let dir: string;
let site: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tradeoffs-pages-'));
  site = path.join(dir, 'site');
  await mkdir(path.join(site, 'a'), {recursive: true});
});
afterEach(() => rm(dir, {recursive: true, force: true}));

const FILES = [
  ['a/index.html', '<!doctype html>a'],
  ['a/figure-1.csv', 'x\n1\n'],
] as const;

async function madeAndWritten(key: string) {
  const cache = new BuildCache(path.join(dir, 'cache'));
  const pages = pageCache(cache, site);
  pages.made('a', key, FILES);
  for (const [name, contents] of FILES) await writeFile(path.join(site, name), contents);
  await pages.flush();
  return cache;
}

describe('pageCache', () => {
  it('gives back the files of a page made from the same key, as they are on disk', async () => {
    const cache = await madeAndWritten('k');
    const reused = await pageCache(cache, site).reuse('a', 'k');
    expect(reused?.map(([name, contents]) => [name, Buffer.from(contents).toString('utf8')])).toEqual(FILES);
  });

  it('misses under another key, for another report, or when a file changed or went', async () => {
    const cache = await madeAndWritten('k');
    expect(await pageCache(cache, site).reuse('a', 'other')).toBeUndefined();
    expect(await pageCache(cache, site).reuse('b', 'k')).toBeUndefined();
    await writeFile(path.join(site, 'a', 'figure-1.csv'), 'x\n2\n');
    expect(await pageCache(cache, site).reuse('a', 'k')).toBeUndefined();
    await rm(path.join(site, 'a', 'figure-1.csv'));
    expect(await pageCache(cache, site).reuse('a', 'k')).toBeUndefined();
  });

  it('records nothing until flushed, and refuses an entry naming a file outside its report', async () => {
    const cache = new BuildCache(path.join(dir, 'cache'));
    const pages = pageCache(cache, site);
    pages.made('a', 'k', FILES);
    expect(await pageCache(cache, site).reuse('a', 'k')).toBeUndefined();
    await writeFile(path.join(site, 'secret'), 's');
    await cache.writeJson('pages', 'a', {key: 'k', files: [['a/../secret', 'x']]});
    expect(await pageCache(cache, site).reuse('a', 'k')).toBeUndefined();
    await cache.writeJson('pages', 'a', {key: 'k', files: 'not a list'});
    expect(await pageCache(cache, site).reuse('a', 'k')).toBeUndefined();
  });
});
