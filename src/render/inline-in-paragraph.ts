import type {Paragraph, Parent, Root, RootContent} from 'mdast';
import {visit} from 'unist-util-visit';

/** Components that print a piece of text, which belongs inside the sentence it stands in. */
const INLINE_COMPONENTS = new Set(['Estimate', 'Metric', 'Cite', 'Ref']);
/** HTML elements that are phrasing content (HTML's "phrasing content"), written as JSX in a template. */
const INLINE_HTML = new Set([
  'a',
  'abbr',
  'b',
  'code',
  'em',
  'i',
  'kbd',
  'q',
  's',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
]);

interface FlowNode {
  type: string;
  name?: string | null;
  position?: {start: {line: number}; end: {line: number}};
}

/**
 * A remark plugin: an expression in braces (`{format(x, 'fraction')}`) or an
 * inline component (`<Estimate … />`) alone on a line of a paragraph stays in
 * the paragraph. MDX reads a line that holds only such a thing as a block of
 * its own, which splits the sentence around it into three paragraphs ("it
 * then needs" / "7.9%" / "more GPU-hours"). Here, one that touches a
 * paragraph line above or below it (no blank line between) joins that
 * paragraph, with the line breaks kept as spaces. A block separated by
 * blank lines, or a component that is not inline (`<Chart>`, `<Callout>`),
 * stays a block.
 */
export function remarkInlineInParagraph() {
  return (tree: Root) => {
    visit(tree, (node) => {
      const parent = node as Parent;
      if (!Array.isArray(parent.children)) return;
      parent.children = joinInline(parent.children as RootContent[]) as Parent['children'];
    });
  };
}

function joinInline(children: RootContent[]): RootContent[] {
  const result: RootContent[] = [];
  for (let index = 0; index < children.length; index++) {
    const node = children[index] as RootContent & FlowNode;
    if (!isInlineBlock(node)) {
      result.push(node);
      continue;
    }
    const previous = result.at(-1) as (RootContent & FlowNode) | undefined;
    const next = children[index + 1] as (RootContent & FlowNode) | undefined;
    const joinsAbove = previous?.type === 'paragraph' && touches(previous, node);
    const joinsBelow = next?.type === 'paragraph' && touches(node, next);
    if (!joinsAbove && !joinsBelow) {
      result.push(node);
      continue;
    }
    const inline = toText(node);
    const paragraph: Paragraph = joinsAbove
      ? (previous as Paragraph)
      : {type: 'paragraph', children: [], position: node.position as Paragraph['position']};
    if (joinsAbove) paragraph.children.push({type: 'text', value: '\n'});
    paragraph.children.push(inline as Paragraph['children'][number]);
    if (joinsBelow) {
      const following = next as Paragraph;
      paragraph.children.push({type: 'text', value: '\n'}, ...following.children);
      if (paragraph.position && following.position) paragraph.position.end = following.position.end;
      index++;
    } else if (paragraph.position && node.position) {
      paragraph.position.end = node.position.end as never;
    }
    if (!joinsAbove) result.push(paragraph);
  }
  return result;
}

/** An expression, or an inline component or element, that MDX parsed as a block (alone on its line). */
function isInlineBlock(node: FlowNode): boolean {
  if (node.type === 'mdxFlowExpression') return true;
  if (node.type !== 'mdxJsxFlowElement' || !node.name) return false;
  return INLINE_COMPONENTS.has(node.name) || INLINE_HTML.has(node.name);
}

/** Whether `below` starts on the line after `above` ends: no blank line between them. */
function touches(above: FlowNode, below: FlowNode): boolean {
  return (
    above.position !== undefined &&
    below.position !== undefined &&
    below.position.start.line === above.position.end.line + 1
  );
}

/** The same node as phrasing content: an expression or element inside text. */
function toText(node: RootContent & FlowNode): RootContent {
  const type = node.type === 'mdxFlowExpression' ? 'mdxTextExpression' : 'mdxJsxTextElement';
  return {...node, type} as unknown as RootContent;
}
