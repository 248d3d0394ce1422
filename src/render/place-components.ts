import type {Root} from 'mdast';
import type {Point} from 'unist';
import {visit} from 'unist-util-visit';

/**
 * The prop that carries a component's place in its template (`line:column`),
 * put there by remarkPlaceComponents and taken off by the JSX runtime
 * (jsx-runtime.ts) before the component sees its props.
 */
export const PLACE_PROP = '$$tradeoffsPlace';

interface JsxNode {
  type: string;
  name?: string | null;
  position?: {start: Point};
  attributes?: Array<{type: string; name?: string; value?: unknown}>;
}

/**
 * A remark plugin that writes each component tag's place (`<Chart>`,
 * `<a.b>`: a name that is capitalised or has a dot, as MDX reads a
 * component) into its props, so that a template compiled in production
 * mode, whose JSX calls carry no place (compile-template.ts), still tells a
 * component where it is used: what a component records for later (a
 * chart's warnings once it is drawn, a `<Ref>` resolved when the page is
 * whole) is placed at its tag. Elements written in lower case get none:
 * their errors are thrown while the template runs, and placed by running
 * it again compiled in development mode (render-report.ts).
 */
export function remarkPlaceComponents() {
  return (tree: Root) => {
    visit(tree, (node) => {
      const each = node as unknown as JsxNode;
      if (each.type !== 'mdxJsxFlowElement' && each.type !== 'mdxJsxTextElement') return;
      if (!each.name || !each.position || !/^[A-Z]|\./.test(each.name) || !each.attributes) return;
      const {line, column} = each.position.start;
      each.attributes.push({type: 'mdxJsxAttribute', name: PLACE_PROP, value: `${line}:${column}`});
    });
  };
}

/** The place PLACE_PROP holds (`line:column`), if it is one. */
export function placeOfProp(value: unknown): Point | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+):(\d+)$/.exec(value);
  return match ? {line: Number(match[1]), column: Number(match[2])} : undefined;
}
