import type {Root, RootContent} from 'hast';
import {jsx as hastJsx} from 'hastscript/jsx-runtime';
import type {Point} from 'unist';
import {refusedAttribute, refusedElement} from './html-rules.js';
import {PLACE_PROP, placeOfProp} from './place-components.js';
import {TemplateError} from './template-error.js';

/** What JSX children may be: hast nodes, text, numbers, nothing, or lists of them. */
export type Child = RootContent | Root | string | number | boolean | null | undefined | Child[];
export type Props = Record<string, unknown> & {children?: Child};
/** A component: a function of its props and of the place it is used at in the template. */
export type Component = (props: Props, place: Point | undefined) => Child;

/** The source location MDX passes to `jsxDEV` in development mode (in production mode, a component's is in its props: place-components.ts). */
interface JsxSource {
  fileName?: string;
  lineNumber?: number;
  columnNumber?: number;
}

/** A fragment marker; hastscript's own is `null`, which `@mdx-js/mdx`'s `run` rejects. */
export const Fragment = Symbol.for('tradeoffs.fragment');

/**
 * A JSX runtime that yields hast, for MDX's automatic runtime. It adapts
 * hastscript's runtime in two ways (found when the pipeline was first wired up): fragments get a real value,
 * and function components are called here, with the place they are used at,
 * so an error a component throws names its line and column. `onId` hears of
 * every id the template gives an element, with its place.
 */
export function createHastRuntime(onId: (id: string, place: Point | undefined) => void = () => undefined) {
  // The nodes this runtime made: the only objects a page may show (an object that merely looks like a node would reach the HTML as it is).
  const made = new WeakSet<object>();
  const node = <T extends Child>(value: T): T => {
    if (Array.isArray(value)) value.forEach(node);
    else if (value !== null && typeof value === 'object') made.add(value);
    return value;
  };
  function jsxDEV(type: unknown, given: Props, _key?: unknown, _static?: boolean, source?: JsxSource): Child {
    let props = given;
    let place = source?.lineNumber ? {line: source.lineNumber, column: source.columnNumber ?? 1} : undefined;
    // Only component tags carry their place in their props (other elements' props are not copied).
    if (PLACE_PROP in given) {
      const {[PLACE_PROP]: placeProp, ...rest} = given;
      props = rest;
      place ??= placeOfProp(placeProp);
    }
    const name =
      type === Fragment
        ? 'the page'
        : typeof type === 'function'
          ? `<${type.name || 'component'}>`
          : `<${String(type)}>`;
    const children =
      props.children === undefined ? props : {...props, children: checkChildren(props.children, made, place, name)};
    if (type === Fragment) return node(hastJsx(null, children as never));
    if (typeof type === 'function') {
      try {
        return node((type as Component)(children, place));
      } catch (error) {
        if (error instanceof TemplateError && error.place) throw error;
        const ruleId = error instanceof TemplateError ? error.ruleId : 'template-error';
        throw new TemplateError(error instanceof Error ? error.message : String(error), place, ruleId, {cause: error});
      }
    }
    if (typeof type !== 'string') {
      throw new TemplateError(`Expected a tag name or a component, got ${String(type)}`, place);
    }
    if (typeof props.id === 'string') onId(props.id, place);
    return node(hastJsx(type, safeProps(type, children, place) as never));
  }
  const jsx = (type: unknown, props: Props, key?: unknown) => jsxDEV(type, props, key);
  /** What an expression in braces gave, checked where it stands in the template (see place-expressions.ts). */
  const child = (value: unknown, place: Point) => checkChildren(value, made, place, 'the page');
  return {Fragment, jsx, jsxs: jsx, jsxDEV, child};
}

/**
 * Children as the page can show them: text, numbers, nodes this runtime
 * made, and lists of them; nothing (`null`, `undefined`) and booleans (as in
 * `{done && <p>…</p>}`) show nothing. Anything else (a plain object, an
 * estimate, a function) is an error at `place`.
 */
function checkChildren(value: unknown, made: WeakSet<object>, place: Point | undefined, where: string): Child {
  if (value === null || value === undefined || typeof value === 'boolean') return undefined;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((each) => checkChildren(each, made, place, where));
  if (typeof value === 'object' && made.has(value)) return value as Child;
  const what =
    typeof value === 'object'
      ? `an object (with ${
          Object.keys(value)
            .slice(0, 3)
            .map((key) => `\`${key}\``)
            .join(', ') || 'no keys'
        }${Object.keys(value).length > 3 ? ', …' : ''})`
      : typeof value === 'function'
        ? 'a function'
        : `a ${typeof value}`;
  throw new TemplateError(
    `Cannot show ${what} in ${where}: an expression in braces must give text, a number, an element or a list of them (format a number with format(value, unit), pick a field of an object)`,
    place,
  );
}

/**
 * The props of an HTML element a template writes, made to hold under the
 * site's Content-Security-Policy and safe with data in them: `text-align`
 * (GFM table alignment, or written by hand) becomes an `align-*` class, as
 * the policy blocks inline styles; any other inline style, and whatever
 * html-rules.ts refuses (<script>, <style>, <meta>, inline event handlers,
 * URLs that would run script…), is an error at the element.
 */
function safeProps(type: string, props: Props, place: Point | undefined): Props {
  let result = props;
  const element = refusedElement(type);
  if (element) throw new TemplateError(`\`<${type}>\` in a template ${element}`, place);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'children') continue;
    const attribute = refusedAttribute(type, name, value);
    if (attribute) throw new TemplateError(attribute, place);
  }
  if (props.style !== undefined && props.style !== null) {
    const align = textAlignOf(props.style);
    if (align === undefined) {
      throw new TemplateError(
        `Inline \`style\` on <${type}> would be blocked by the site's Content-Security-Policy, expected a class from assets/style.css (only \`text-align\` becomes one, \`align-left\`, \`align-center\` or \`align-right\`)`,
        place,
      );
    }
    const {
      style: _style,
      class: classAttribute,
      className,
      ...rest
    } = props as Props & {class?: unknown; className?: unknown};
    const classes = [className, classAttribute]
      .flatMap((each) => (Array.isArray(each) ? each : typeof each === 'string' ? each.split(/\s+/) : []))
      .filter(Boolean);
    result = align === null ? rest : {...rest, className: [...classes, `align-${align}`]};
  }
  return result;
}

/**
 * `left`, `center` or `right` when a style sets only `text-align` (as a CSS
 * string or an object); `null` when it sets nothing; `undefined` otherwise.
 */
function textAlignOf(style: unknown): 'left' | 'center' | 'right' | null | undefined {
  const declarations: Array<[string, string]> =
    typeof style === 'string'
      ? style
          .split(';')
          .map((part) => part.trim())
          .filter(Boolean)
          .map((part) => {
            const colon = part.indexOf(':');
            return [part.slice(0, colon).trim(), part.slice(colon + 1).trim()];
          })
      : style && typeof style === 'object'
        ? Object.entries(style as Record<string, unknown>).map(([key, value]) => [key, String(value)])
        : [['?', '?']];
  if (declarations.length === 0) return null;
  if (declarations.length > 1) return undefined;
  const [property, value] = declarations[0]!;
  if (!['text-align', 'textAlign'].includes(property)) return undefined;
  const normalized = value
    .toLowerCase()
    .replace(/^start$/, 'left')
    .replace(/^end$/, 'right');
  return normalized === 'left' || normalized === 'center' || normalized === 'right' ? normalized : undefined;
}
