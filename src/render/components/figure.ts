import {h} from 'hastscript';
import type {Point} from 'unist';
import {z} from 'zod';
import type {Props} from '../jsx-runtime.js';
import {TemplateError} from '../template-error.js';
import type {TemplateScope} from '../template-scope.js';
import {adjustLink, scenarioProp} from './adjust-link.js';
import type {PageState} from './page-state.js';
import {claimId} from '../page-ids.js';
import {childrenSchema, readProps, text} from './props.js';

const figureProps = z.object({
  id: text('Expected `id` on <Figure> to be text').optional(),
  caption: text('Missing `caption` on <Figure>, expected text'),
  scenario: scenarioProp('Figure'),
  children: childrenSchema,
});

const refProps = z.object({to: text('Missing `to` on <Ref>, expected a figure id')});

/** Give the next figure its number and, when it has one, record its id (unique on the page, and not one of the page's own: page-ids.ts). */
export function registerFigure(state: PageState, id: string | undefined, place: Point | undefined): number {
  const number = ++state.figureCount;
  if (id !== undefined) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id))
      throw new TemplateError(`Expected a figure id of lower-case letters, digits and "-", got \`${id}\``, place);
    claimId(state.ids, id, place);
    state.figures.set(id, number);
  }
  return number;
}

/**
 * `<Figure id="…" caption="…">…</Figure>`: any content (an image, a table) as a numbered figure;
 * with `scenario="…"`, a link to adjust that scenario's assumptions in the explorer.
 */
export function createFigure(state: PageState, scope: TemplateScope) {
  return function Figure(props: Props, place: Point | undefined) {
    const {id, caption, children, scenario} = readProps(figureProps, props, place);
    const number = registerFigure(state, id, place);
    return h('figure.figure', {id: id ?? `figure-${number}`}, [
      children,
      h('figcaption', [h('span.figure-number', `Figure ${number}. `), caption]),
      scenario === undefined ? undefined : adjustLink(scope, scenario),
    ] as never);
  };
}

/** `<Ref to="…" />`: "Figure n", linked; an id no figure has is a build error at the Ref. */
export function createRef(state: PageState) {
  return function Ref(props: Props, place: Point | undefined) {
    const {to} = readProps(refProps, props, place);
    const element = h('a.ref', {href: `#${to}`}, `Figure ?`);
    state.refs.push({to, element, place});
    return element;
  };
}
