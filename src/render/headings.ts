import type {Element, Root} from 'hast';
import {headingRank} from 'hast-util-heading-rank';
import {toString} from 'hast-util-to-string';
import rehypeSlug from 'rehype-slug';
import {MAIN_ID} from './page-ids.js';
import {visitElements} from './visit-elements.js';

/** A heading listed in a page's table of contents. */
export interface TocEntry {
  readonly id: string;
  readonly text: string;
  readonly depth: 2 | 3;
}

/**
 * Give every heading an id (GitHub's slugs, via rehype-slug), add a link to
 * it for readers to share, and return the h2 and h3 headings for the table
 * of contents.
 */
export function anchorHeadings(tree: Root): TocEntry[] {
  // rehype-slug walks the tree it is given with unist-util-visit, slow on pages with large tables: give it
  // the outermost headings only, in document order, which it numbers in the same order (and the
  // headings inside them, as it still walks each heading's own children).
  const headings: Element[] = [];
  const collect = (node: Root | Element): void => {
    for (const child of node.children) {
      if (child.type === 'element' && headingRank(child)) headings.push(child);
      else if ('children' in child && child.children) collect(child as Element);
    }
  };
  collect(tree);
  const slugged = headings.filter((heading) => heading.properties.id === undefined || heading.properties.id === null);
  rehypeSlug()({type: 'root', children: headings});
  uniqueSlugs(tree, new Set(slugged));
  const entries: TocEntry[] = [];
  visitElements(tree, (node) => {
    const rank = headingRank(node);
    if (!rank || rank === 1 || rank > 3) return;
    const id = String(node.properties.id ?? '');
    if (!id) return;
    if (rank === 2 || rank === 3) entries.push({id, text: toString(node), depth: rank});
    node.children.push({
      type: 'element',
      tagName: 'a',
      properties: {className: ['heading-anchor'], href: `#${id}`, ariaLabel: `Link to this section: ${toString(node)}`},
      children: [{type: 'text', value: '#'}],
    });
  });
  return entries;
}

/**
 * Make the ids given to headings differ from every other id of the page:
 * the page's own (`content`), the bibliography's (`sources`), figures',
 * and ids a template wrote (page-ids.ts). rehype-slug keeps headings apart
 * from each other only; a heading "Sources" on a page with a bibliography
 * becomes `sources-1`, the way it numbers repeated headings.
 */
function uniqueSlugs(tree: Root, slugged: ReadonlySet<Element>): void {
  const taken = new Set<string>([MAIN_ID]);
  visitElements(tree, (node) => {
    if (!slugged.has(node) && typeof node.properties.id === 'string') taken.add(node.properties.id);
  });
  visitElements(tree, (node) => {
    if (!slugged.has(node) || typeof node.properties.id !== 'string') return;
    const slug = node.properties.id;
    let id = slug;
    for (let count = 1; taken.has(id); count++) id = `${slug}-${count}`;
    node.properties.id = id;
    taken.add(id);
  });
}

/**
 * Put every table that is not already in one inside a horizontally
 * scrolling box, so a wide table scrolls on a narrow screen instead of the
 * whole page; every such box takes the keyboard's focus (`tabindex="0"`),
 * so a table wider than the screen can be scrolled without a mouse (axe's
 * scrollable-region-focusable).
 */
export function wrapTables(tree: Root): void {
  visitElements(tree, (node, index, parent) => {
    if (node.tagName !== 'table' || !parent || index === undefined) return;
    const classes = parent.type === 'element' ? parent.properties.className : undefined;
    if (parent.type === 'element' && Array.isArray(classes) && classes.includes('table-scroll')) {
      // A scroll container a template wrote itself: reachable by keyboard too.
      parent.properties.tabIndex = 0;
      return;
    }
    parent.children[index] = {
      type: 'element',
      tagName: 'div',
      properties: {className: ['table-scroll'], tabIndex: 0},
      children: [node],
    };
  });
}
