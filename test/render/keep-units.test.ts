import type {Element, Root} from 'hast';
import {toHtml} from 'hast-util-to-html';
import {h} from 'hastscript';
import {describe, expect, it} from 'vitest';
import {keepUnitsTogether} from '../../src/render/keep-units.js';

const html = (tree: Root | Element) => toHtml(tree);
const run = (text: string) => {
  const tree: Root = {type: 'root', children: [h('p', text)]};
  keepUnitsTogether(tree);
  return html(tree);
};

describe('keepUnitsTogether', () => {
  it('keeps numbers with their units on one line, hyphenated and slashed units included', () => {
    expect(run('DeepSeek-V3 took 2.79M GPU-h on H800 GPUs.')).toBe(
      '<p>DeepSeek-V3 took <span class="nowrap">2.79M GPU-h</span> on H800 GPUs.</p>',
    );
    expect(run('about 50.3 days, 3.2 TB/s and 1,200 tokens/s')).toBe(
      '<p>about <span class="nowrap">50.3 days</span>, <span class="nowrap">3.2 TB/s</span> and <span class="nowrap">1,200 tokens/s</span></p>',
    );
    expect(run('2.3–3.1M GPU-h at 2,048 GPUs')).toBe(
      '<p><span class="nowrap">2.3–3.1M GPU-h</span> at <span class="nowrap">2,048 GPUs</span></p>',
    );
  });

  it('leaves words that merely end in digits, other words, code and numbers already kept whole', () => {
    expect(run('the H100 GPUs and 3 of them')).toBe('<p>the H100 GPUs and 3 of them</p>');
    const tree: Root = {
      type: 'root',
      children: [h('p', [h('code', '5 GB'), h('span.estimate', '2 days'), h('span.nowrap', '3 s')])],
    };
    const before = html(tree);
    keepUnitsTogether(tree);
    expect(html(tree)).toBe(before);
  });

  it('is idempotent', () => {
    const tree: Root = {type: 'root', children: [h('p', 'took 2.79M GPU-h and 5 days')]};
    keepUnitsTogether(tree);
    const once = html(tree);
    keepUnitsTogether(tree);
    expect(html(tree)).toBe(once);
  });
});
