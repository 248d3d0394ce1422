import type {Root} from 'mdast';
import type {Point} from 'unist';
import {visit} from 'unist-util-visit';

/**
 * The name, in a compiled template's scope, of the function every
 * expression in braces goes through (evaluate-template.ts defines it).
 */
export const EXPRESSION_HELPER = '$$tradeoffsExpression';

/** An ESTree node, as much of it as this plugin reads and writes. */
interface EstreeNode {
  type: string;
  [key: string]: unknown;
}

interface ExpressionNode {
  type: string;
  position?: {start: Point};
  data?: {estree?: {body: EstreeNode[]} | null};
  attributes?: Array<{type: string; position?: {start: Point}; value?: unknown}>;
}

/**
 * A remark plugin (after remark-mdx has parsed the expressions) that makes
 * every expression in braces tell where it is: `{value}` in text becomes
 * `{$$tradeoffsExpression(() => (value), line, column, true)}`, and an
 * attribute's `={value}` and the value of an `export const` the same with
 * `false`. The helper runs the
 * expression and places what it throws (even a thrown string, which has no
 * stack to map back to the template) at the brace, and checks that what a
 * child expression gives can be shown, so that an object in the text is an
 * error at its own line and column rather than somewhere in the page.
 * Expressions that `await` or `yield` are only checked, not wrapped in a
 * function, and each keeps its own source positions for the source map.
 */
export function remarkPlaceExpressions() {
  return (tree: Root) => {
    visit(tree, (node) => {
      const each = node as unknown as ExpressionNode;
      if ((each.type === 'mdxFlowExpression' || each.type === 'mdxTextExpression') && each.position) {
        wrap(each.data?.estree, each.position.start, true);
      }
      if (each.type === 'mdxjsEsm') {
        // `export const x = value`: the value is run when the template starts.
        for (const statement of each.data?.estree?.body ?? []) {
          const declaration =
            statement.type === 'ExportNamedDeclaration' ? (statement.declaration as EstreeNode | null) : statement;
          if (declaration?.type !== 'VariableDeclaration') continue;
          for (const declarator of declaration.declarations as EstreeNode[]) {
            const init = declarator.init as EstreeNode | null;
            const loc = (init?.loc ?? null) as {start: {line: number; column: number}} | null;
            if (init && loc) declarator.init = call(init, {line: loc.start.line, column: loc.start.column + 1}, false);
          }
        }
      }
      if ((each.type === 'mdxJsxFlowElement' || each.type === 'mdxJsxTextElement') && each.attributes) {
        for (const attribute of each.attributes) {
          const value = attribute.value as ExpressionNode | undefined | null;
          const place = attribute.position?.start ?? each.position?.start;
          if (
            attribute.type === 'mdxJsxAttribute' &&
            value &&
            typeof value === 'object' &&
            value.type === 'mdxJsxAttributeValueExpression' &&
            place
          ) {
            wrap(value.data?.estree, place, false);
          }
        }
      }
    });
  };
}

function wrap(program: {body: EstreeNode[]} | null | undefined, place: Point, isChild: boolean): void {
  const statement = program?.body[0];
  // `{/* a comment */}` and `{}` hold no expression.
  if (!statement || statement.type !== 'ExpressionStatement') return;
  statement.expression = call(statement.expression as EstreeNode, place, isChild);
}

/** `helper(() => (expression), line, column, isChild, true)`, or with the expression itself when it awaits. */
function call(expression: EstreeNode, place: Point, isChild: boolean): EstreeNode {
  const deferred = !suspends(expression);
  return {
    type: 'CallExpression',
    callee: {type: 'Identifier', name: EXPRESSION_HELPER},
    arguments: [
      deferred
        ? {
            type: 'ArrowFunctionExpression',
            params: [],
            body: expression,
            expression: true,
            async: false,
            generator: false,
          }
        : expression,
      {type: 'Literal', value: place.line},
      {type: 'Literal', value: place.column},
      {type: 'Literal', value: isChild},
      {type: 'Literal', value: deferred},
    ],
    optional: false,
  };
}

/** Whether an expression awaits or yields outside any function of its own (it cannot move into an arrow function). */
function suspends(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(suspends);
  const {type} = node as EstreeNode;
  if (type === 'AwaitExpression' || type === 'YieldExpression') return true;
  if (type === 'FunctionExpression' || type === 'ArrowFunctionExpression' || type === 'FunctionDeclaration')
    return false;
  return Object.entries(node).some(
    ([key, value]) => key !== 'loc' && key !== 'range' && typeof value === 'object' && suspends(value),
  );
}
