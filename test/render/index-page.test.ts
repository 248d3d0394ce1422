import type {Root} from 'hast';
import {h} from 'hastscript';
import {describe, expect, it} from 'vitest';
import {leadOf} from '../../src/render/index-page.js';

describe('leadOf', () => {
  it('copies what comes before the first section, its links made relative to the root and naming their files', () => {
    const content: Root = {
      type: 'root',
      children: [
        h('h1', 'Answers'),
        h('p', [
          h('a', {href: '../calibration/'}, 'steps'),
          h('a', {href: '../calibration/#sources'}, 'sources'),
          h('a', {href: '#source-x'}, 'cited'),
          h('a', {href: 'figure-1.csv'}, 'data'),
          h('a', {href: '/data.html'}, 'inputs'),
          h('a', {href: 'https://arxiv.org/abs/1'}, 'paper'),
          h('img', {src: 'chart.svg', alt: ''}),
        ]),
        h('h2', 'First section'),
        h('p', 'not in the lead'),
      ],
    };
    const [paragraph, ...rest] = leadOf('answers', content);
    expect(rest).toEqual([]);
    const hrefs = (paragraph as ReturnType<typeof h>).children.map((child) =>
      child.type === 'element' ? (child.properties.href ?? child.properties.src) : undefined,
    );
    expect(hrefs).toEqual([
      'calibration/index.html',
      'calibration/index.html#sources',
      'answers/index.html#source-x',
      'answers/figure-1.csv',
      'data.html',
      'https://arxiv.org/abs/1',
      'answers/chart.svg',
    ]);
  });
});
