import type {Root} from 'hast';
import {h} from 'hastscript';
import {describe, expect, it} from 'vitest';
import {fileSafeHref, fileSafeLinks} from '../../src/render/file-links.js';

describe('fileSafeHref', () => {
  it('names the index.html of a folder, so links work from disk', () => {
    expect(fileSafeHref('../calibration/', '../')).toBe('../calibration/index.html');
    expect(fileSafeHref('../calibration', '../')).toBe('../calibration/index.html');
    expect(fileSafeHref('../calibration/#sources', '../')).toBe('../calibration/index.html#sources');
    expect(fileSafeHref('..', '../')).toBe('../index.html');
    expect(fileSafeHref('./', '')).toBe('./index.html');
  });

  it('makes links from the site root relative to the page', () => {
    expect(fileSafeHref('/calibration/', '../')).toBe('../calibration/index.html');
    expect(fileSafeHref('/', '../')).toBe('../index.html');
    expect(fileSafeHref('/', '')).toBe('index.html');
    expect(fileSafeHref('/data.html', '../')).toBe('../data.html');
  });

  it('leaves files, in-page anchors, other schemes and protocol-relative links alone', () => {
    for (const href of [
      'figure-1.csv',
      '#sources',
      'https://example.com/a/',
      'mailto:a@b.c',
      '//example.com/',
      '',
      '../pdf/a.pdf',
    ])
      expect(fileSafeHref(href, '../')).toBe(href);
  });
});

describe('fileSafeLinks', () => {
  it('rewrites the links of a tree in place', () => {
    const tree: Root = {
      type: 'root',
      children: [h('p', [h('a', {href: '../calibration/'}, 'calibration'), h('a', {name: 'x'})])],
    };
    fileSafeLinks(tree, '../');
    expect((tree.children[0] as {children: Array<{properties: {href?: string}}>}).children[0]?.properties.href).toBe(
      '../calibration/index.html',
    );
  });
});
