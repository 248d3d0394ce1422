// The template process makes the site's search index from the sections the build sends it, a report at a time.
import {describe, expect, it} from 'vitest';
import {createTemplateHost} from '../../src/build/template-host.js';
import {DEFAULT_SAMPLING} from '../../src/estimate/uncertainty/monte-carlo.js';
import {loadMemoryCatalog} from '../helpers/memory-data.js';
import {searchIndexScript} from '../../src/output/search-index.js';
import type {SearchDocument} from '../../src/render/search-documents.js';

const section = (page: string, text: string): SearchDocument => ({
  id: `${page}/index.html`,
  url: `${page}/index.html`,
  page,
  title: page,
  text,
  excerpt: text,
});

describe('template host: search index', () => {
  it('indexes the sections added and answers with the script of them all', async () => {
    const host = createTemplateHost();
    const first = [section('a', 'cost of a run')];
    const second = [section('b', 'memory per GPU'), section('c', 'energy')];
    expect(await host.work({id: 1, kind: 'search-add', documents: first})).toEqual({
      id: 1,
      kind: 'search-add',
      count: 1,
    });
    expect(await host.work({id: 2, kind: 'search-add', documents: second})).toEqual({
      id: 2,
      kind: 'search-add',
      count: 3,
    });
    expect(await host.work({id: 3, kind: 'search-index', count: 3})).toEqual({
      id: 3,
      kind: 'search-index',
      script: searchIndexScript([...first, ...second]),
    });
  });

  it('refuses to answer for sections it did not get (a process started again meanwhile)', async () => {
    const host = createTemplateHost();
    await host.work({id: 1, kind: 'search-add', documents: [section('a', 'cost')]});
    const answer = await host.work({id: 2, kind: 'search-index', count: 2});
    expect(answer).toMatchObject({id: 2, kind: 'error', message: expect.stringMatching(/holds 1 of the 2 sections/)});
    // The next index starts afresh.
    expect(await host.work({id: 3, kind: 'search-index', count: 0})).toMatchObject({kind: 'search-index'});
  });
});

describe('template host: once the pages are being written', () => {
  it('lets the templates’ scope go, and makes it again for a template that comes after', async () => {
    const {catalog} = await loadMemoryCatalog({});
    const host = createTemplateHost();
    host.setup(catalog, DEFAULT_SAMPLING);
    const compiled = await host.work({
      id: 1,
      kind: 'compile',
      path: 'templates/chip.mdx',
      text: '---\ntitle: Chip\nsummary: One chip.\n---\n\n# {catalog.chip("chip").name}\n',
    });
    if (compiled.kind !== 'compile' || !compiled.template) throw new Error(`not compiled: ${JSON.stringify(compiled)}`);
    const before = await host.work({id: 2, kind: 'render', template: compiled.template});
    expect(before).toMatchObject({kind: 'render', used: ['hardware:chip']});
    await host.work({id: 3, kind: 'search-add', documents: [section('chip', 'a chip')]});
    const after = await host.work({id: 4, kind: 'render', template: compiled.template});
    expect(after).toEqual({...before, id: 4});
  });
});
