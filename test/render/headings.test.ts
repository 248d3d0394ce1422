import type {Element, Root} from 'hast';
import {h} from 'hastscript';
import {describe, expect, it} from 'vitest';
import {anchorHeadings} from '../../src/render/headings.js';
import {visitElements} from '../../src/render/visit-elements.js';

const idsOf = (tree: Root) => {
  const ids: string[] = [];
  visitElements(tree, (node: Element) => {
    if (typeof node.properties.id === 'string') ids.push(node.properties.id);
  });
  return ids;
};

describe('anchorHeadings', () => {
  it("gives headings ids that no other element of the page has: the page's own, the bibliography's, figures'", () => {
    const tree: Root = {
      type: 'root',
      children: [
        h('h2', 'Sources'),
        h('h2', 'Content'),
        h('h2', 'Figure 1'),
        h('figure', {id: 'figure-1'}),
        h('h2', 'Sources'),
        h('h2', 'Sources 1'),
        h('section', [h('h2', {id: 'sources'}, 'Sources')]),
      ],
    };
    const toc = anchorHeadings(tree);
    const ids = idsOf(tree);
    expect(new Set(ids).size, ids.join(' ')).toBe(ids.length);
    expect(ids).not.toContain('content');
    expect(toc.map((entry) => entry.id)).toEqual([
      'sources-1',
      'content-1',
      'figure-1-1',
      'sources-1-1',
      'sources-1-1-1',
      'sources',
    ]);
  });

  it('leaves the slugs of a page without clashes as GitHub makes them', () => {
    const tree: Root = {type: 'root', children: [h('h2', 'Why it costs'), h('h3', 'Why it costs'), h('h2', 'Sources')]};
    expect(anchorHeadings(tree).map((entry) => entry.id)).toEqual(['why-it-costs', 'why-it-costs-1', 'sources']);
  });
});
