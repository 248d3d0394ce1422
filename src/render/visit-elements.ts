import type {Element, Root, RootContent} from 'hast';

/**
 * Call `visitor` on every element of a tree, in the order and with the
 * arguments `visit(tree, 'element', visitor)` of unist-util-visit gives
 * (preorder; each node's children read after its visit, so children the
 * visitor adds are visited too). Without unist-util-visit's bookkeeping per
 * node (an ancestor array and a renamed closure), which made it most of the
 * cost of laying out the site.
 */
export function visitElements(
  tree: Root | Element,
  visitor: (node: Element, index: number | undefined, parent: Root | Element | undefined) => void,
): void {
  walk(tree, undefined, undefined, visitor);
}

function walk(
  node: Root | RootContent,
  index: number | undefined,
  parent: Root | Element | undefined,
  visitor: (node: Element, index: number | undefined, parent: Root | Element | undefined) => void,
): void {
  if (node.type === 'element') visitor(node, index, parent);
  if (!('children' in node) || !node.children) return;
  // Other parents (MDX's, should any remain) are passed on as the visitor's parent the way unist-util-visit passes them.
  const self = node as Root | Element;
  for (let offset = 0; offset < self.children.length; offset++)
    walk(self.children[offset] as RootContent, offset, self, visitor);
}
