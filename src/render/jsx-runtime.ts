import type {Root, RootContent} from 'hast';
import {jsx as hastJsx} from 'hastscript/jsx-runtime';
import type {Point} from 'unist';
import {TemplateError} from './template-error.js';

/** What JSX children may be: hast nodes, text, numbers, nothing, or lists of them. */
export type Child = RootContent | Root | string | number | boolean | null | undefined | Child[];
export type Props = Record<string, unknown> & {children?: Child};
/** A component: a function of its props and of the place it is used at in the template. */
export type Component = (props: Props, place: Point | undefined) => Child;

/** The source location MDX passes to `jsxDEV` in development mode. */
interface JsxSource {
  fileName?: string;
  lineNumber?: number;
  columnNumber?: number;
}

/** A fragment marker; hastscript's own is `null`, which `@mdx-js/mdx`'s `run` rejects. */
export const Fragment = Symbol.for('tradeoffs.fragment');

/**
 * A JSX runtime that yields hast, for MDX's automatic runtime. It adapts
 * hastscript's runtime in two ways (DESIGN §10): fragments get a real value,
 * and function components are called here, with the place they are used at,
 * so an error a component throws names its line and column.
 */
export function createHastRuntime() {
  function jsxDEV(type: unknown, props: Props, _key?: unknown, _static?: boolean, source?: JsxSource): Child {
    const place = source?.lineNumber ? {line: source.lineNumber, column: source.columnNumber ?? 1} : undefined;
    if (type === Fragment) return hastJsx(null, props as never);
    if (typeof type === 'function') {
      try {
        return (type as Component)(props, place);
      } catch (error) {
        if (error instanceof TemplateError && error.place) throw error;
        const ruleId = error instanceof TemplateError ? error.ruleId : 'template-error';
        throw new TemplateError(error instanceof Error ? error.message : String(error), place, ruleId, {cause: error});
      }
    }
    if (typeof type !== 'string') {
      throw new TemplateError(`Expected a tag name or a component, got ${String(type)}`, place);
    }
    return hastJsx(type, props as never);
  }
  const jsx = (type: unknown, props: Props, key?: unknown) => jsxDEV(type, props, key);
  return {Fragment, jsx, jsxs: jsx, jsxDEV};
}
