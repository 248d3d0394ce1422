import {h} from 'hastscript';
import type {Point} from 'unist';
import type {Child, Props} from '../jsx-runtime.js';
import {TemplateError} from '../template-error.js';
import type {PageState} from './page-state.js';

/** Give the next figure its number and, when it has one, record its id (ids are unique on a page). */
export function registerFigure(state: PageState, id: string | undefined, place: Point | undefined): number {
  const number = ++state.figureCount;
  if (id !== undefined) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id))
      throw new TemplateError(`Expected a figure id of lower-case letters, digits and "-", got \`${id}\``, place);
    if (state.figures.has(id))
      throw new TemplateError(`Duplicate figure id \`${id}\`, expected each id once on a page`, place);
    state.figures.set(id, number);
  }
  return number;
}

/** `<Figure id="…" caption="…">…</Figure>`: any content (an image, a table) as a numbered figure. */
export function createFigure(state: PageState) {
  return function Figure(props: Props, place: Point | undefined) {
    const {id, caption, children} = props;
    if (id !== undefined && typeof id !== 'string')
      throw new TemplateError('Expected `id` on <Figure> to be text', place);
    if (typeof caption !== 'string') throw new TemplateError('Missing `caption` on <Figure>, expected text', place);
    const number = registerFigure(state, id, place);
    return h('figure.figure', {id: id ?? `figure-${number}`}, [
      children as Child,
      h('figcaption', [h('span.figure-number', `Figure ${number}. `), caption]),
    ] as never);
  };
}

/** `<Ref to="…" />`: "Figure n", linked; an id no figure has is a build error at the Ref. */
export function createRef(state: PageState) {
  return function Ref(props: Props, place: Point | undefined) {
    const {to} = props;
    if (typeof to !== 'string') throw new TemplateError('Missing `to` on <Ref>, expected a figure id', place);
    const element = h('a.ref', {href: `#${to}`}, `Figure ?`);
    state.refs.push({to, element, place});
    return element;
  };
}
