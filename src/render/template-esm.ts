import type {Root} from 'mdast';
import type {Point} from 'unist';
import {visit} from 'unist-util-visit';
import type {VFile} from 'vfile';

/** An ESTree node, as much of it as this plugin reads. */
interface EstreeNode {
  type: string;
  loc?: {start: {line: number; column: number}} | null;
  [key: string]: unknown;
}

interface EsmNode {
  type: string;
  position?: {start: Point};
  data?: {estree?: {body: EstreeNode[]} | null};
}

/**
 * A remark plugin for a template's `import` and `export` blocks, which run
 * as one module. It records the names they declare (`file.data.declared`),
 * which take the place of the scope's names of the same name (a template's
 * own `format` hides the tool's, instead of failing as declared twice);
 * refuses a name declared twice, which would only fail once the template
 * runs, with no place; refuses `import`: everything a template uses is
 * in its scope, and a build reuses a report while its template's text is
 * unchanged, which a file it imported would not be; and refuses `export
 * default`, which MDX takes for a layout component.
 */
export function remarkTemplateEsm() {
  return (tree: Root, file: VFile) => {
    const declared = new Map<string, Point>();
    // Anywhere: a block inside a JSX element is still the module's (MDX hoists it).
    const blocks: EsmNode[] = [];
    visit(tree, 'mdxjsEsm', (node) => void blocks.push(node as unknown as EsmNode));
    for (const node of blocks) {
      for (const statement of node.data?.estree?.body ?? []) {
        const place = placeOf(statement, node);
        if (
          statement.type === 'ImportDeclaration' ||
          statement.type === 'ExportAllDeclaration' ||
          (statement.type === 'ExportNamedDeclaration' && statement.source)
        ) {
          file.fail(
            'Unexpected `import` (or `export … from`): templates use what their scope gives them (estimate, sweep, catalog, format…, see the README), and the build tracks a template by its own text only',
            place,
            'tradeoffs:import',
          );
        }
        if (statement.type === 'ExportDefaultDeclaration') {
          file.fail(
            'Unexpected `export default`: MDX would take it for a layout to wrap the page in, expected `export const name = …`',
            place,
            'tradeoffs:export-default',
          );
        }
        for (const {name, at} of declaredBy(statement, node)) {
          const first = declared.get(name);
          if (first)
            file.fail(
              `\`${name}\` is declared twice (first at ${first.line}:${first.column}), expected each name once in a template`,
              at,
              'tradeoffs:declared-twice',
            );
          declared.set(name, at);
        }
      }
    }
    file.data.declared = [...declared.keys()];
    refuseDynamicImports(tree, file);
  };
}

/**
 * `import()` and `import.meta` anywhere in a template (in braces, in an
 * attribute, in an `export`) are refused at their place, for the reason
 * `import` is: the build tracks a template by its own text. This is not a
 * sandbox (templates are trusted code, see the README); it turns what would
 * fail or go stale at run time into a message at the line and column.
 */
function refuseDynamicImports(tree: Root, file: VFile): void {
  visit(tree, (node) => {
    const each = node as unknown as EsmNode & {attributes?: Array<{value?: unknown; data?: EsmNode['data']}>};
    const programs = [each.data?.estree];
    for (const attribute of each.attributes ?? []) {
      programs.push(attribute.data?.estree);
      const value = attribute.value as EsmNode | null | undefined;
      if (value && typeof value === 'object') programs.push(value.data?.estree);
    }
    for (const program of programs) {
      const found = program ? findDynamicImport(program) : undefined;
      if (found)
        file.fail(
          `Unexpected \`${found.type === 'ImportExpression' ? 'import()' : 'import.meta'}\` in a template: templates use what their scope gives them (estimate, sweep, catalog, format…, see the README), and the build tracks a template by its own text only`,
          placeOf(found, each),
          'tradeoffs:import',
        );
    }
  });
}

/** The first `import(…)` or `import.meta` in an ESTree, depth first. */
function findDynamicImport(node: unknown): EstreeNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (const each of node) {
      const found = findDynamicImport(each);
      if (found) return found;
    }
    return undefined;
  }
  const estree = node as EstreeNode;
  if (estree.type === 'ImportExpression') return estree;
  if (estree.type === 'MetaProperty' && (estree.meta as EstreeNode | undefined)?.name === 'import') return estree;
  for (const [key, value] of Object.entries(estree)) {
    if (key === 'loc' || key === 'range' || typeof value !== 'object') continue;
    const found = findDynamicImport(value);
    if (found) return found;
  }
  return undefined;
}

/** The names a top-level statement declares, with where. */
function declaredBy(statement: EstreeNode, block: EsmNode): Array<{name: string; at: Point}> {
  const inner =
    statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration'
      ? (statement.declaration as EstreeNode | null)
      : statement;
  if (!inner) return [];
  if (inner.type === 'VariableDeclaration')
    return (inner.declarations as EstreeNode[]).flatMap((declarator) => bindings(declarator.id as EstreeNode, block));
  if ((inner.type === 'FunctionDeclaration' || inner.type === 'ClassDeclaration') && inner.id)
    return bindings(inner.id as EstreeNode, block);
  return [];
}

/** The identifiers a binding pattern (`a`, `{a, b: [c]}`, `...d`, `e = 1`) declares. */
function bindings(pattern: EstreeNode | null | undefined, block: EsmNode): Array<{name: string; at: Point}> {
  if (!pattern) return [];
  switch (pattern.type) {
    case 'Identifier':
      return [{name: pattern.name as string, at: placeOf(pattern, block)}];
    case 'ObjectPattern':
      return (pattern.properties as EstreeNode[]).flatMap((property) =>
        bindings((property.type === 'RestElement' ? property.argument : property.value) as EstreeNode, block),
      );
    case 'ArrayPattern':
      return (pattern.elements as Array<EstreeNode | null>).flatMap((element) => bindings(element, block));
    case 'RestElement':
      return bindings(pattern.argument as EstreeNode, block);
    case 'AssignmentPattern':
      return bindings(pattern.left as EstreeNode, block);
    default:
      return [];
  }
}

/** Where an ESTree node is in the template (its `loc` is the file's, columns from 0), else where its block is. */
function placeOf(node: EstreeNode, block: EsmNode): Point {
  if (node.loc) return {line: node.loc.start.line, column: node.loc.start.column + 1};
  return block.position?.start ?? {line: 1, column: 1};
}

declare module 'vfile' {
  interface DataMap {
    /** The names a template's `export` blocks declare. */
    declared: string[];
  }
}
