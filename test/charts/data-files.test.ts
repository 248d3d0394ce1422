import {describe, expect, it} from 'vitest';
import {dataUrls, inlineDataFiles, projectPathOf} from '../../src/charts/data-files.js';
import {safeLink} from '../../src/charts/link-loader.js';

describe('projectPathOf', () => {
  it('takes relative paths into the input folders', () => {
    expect(projectPathOf('data/cars.json')).toBe('data/cars.json');
    expect(projectPathOf('./data/sub/../cars.csv')).toBe('data/cars.csv');
    expect(projectPathOf('templates/rows.json')).toBe('templates/rows.json');
  });

  it.each([
    'https://example.com/cars.json',
    '//example.com/cars.json',
    'file:///etc/passwd',
    '/etc/passwd',
    '../data/cars.json',
    'data/../../secret.csv',
    'node_modules/x/data.json',
    'data',
    'data\\cars.json',
    'data/cars.json?x=1',
  ])('refuses %s', (url) => {
    expect(projectPathOf(url)).toHaveProperty('problem');
  });
});

describe('dataUrls and inlineDataFiles', () => {
  const spec = {
    data: {url: 'data/a.csv'},
    transform: [{lookup: 'id', from: {data: {url: 'data/b.tsv'}, key: 'id', fields: ['x']}}],
    layer: [{data: {url: 'data/world.json', format: {type: 'topojson', feature: 'land'}}}, {data: {url: 'x.arrow'}}],
    config: {data: {url: 'data/ignored.csv'}},
  };

  it('finds every data URL but in config, with where it is', () => {
    expect(dataUrls(spec).map((url) => [url.at, 'path' in url ? url.path : url.problem.slice(0, 20)])).toEqual([
      ['spec.data', 'data/a.csv'],
      ['spec.transform[0].from.data', 'data/b.tsv'],
      ['spec.layer[0].data', 'data/world.json'],
      ['spec.layer[1].data', 'expected a relative '],
    ]);
    expect(dataUrls({data: {url: 'data/x.parquet', format: {type: 'parquet'}}})[0]).toHaveProperty('problem');
  });

  it('puts the text inline with the format Vega-Lite would infer', () => {
    const texts = new Map([
      ['data/a.csv', 'id\n1'],
      ['data/b.tsv', 'id\tx\n1\t2'],
      ['data/world.json', '{}'],
    ]);
    const inlined = inlineDataFiles(spec, texts) as typeof spec & Record<string, never>;
    expect(inlined.data).toEqual({values: 'id\n1', format: {type: 'csv'}});
    expect(inlined.transform[0]?.from.data).toEqual({values: 'id\tx\n1\t2', format: {type: 'tsv'}});
    expect(inlined.layer[0]?.data).toEqual({values: '{}', format: {type: 'topojson', feature: 'land'}});
    expect(inlined.config).toBe(spec.config);
    expect(spec.data).toEqual({url: 'data/a.csv'});
  });
});

describe('safeLink', () => {
  it.each(['https://example.com/?q=1', 'http://x.org', 'mailto:a@b.org', 'page.html', '#figure-2', '../x/'])(
    'keeps %s',
    (link) => expect(safeLink(link)).toBe(link),
  );
  it.each([
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,x',
    'file:///x',
    '//evil.org',
    '',
    3,
  ])('drops %s', (link) => expect(safeLink(link)).toBeNull());
});
