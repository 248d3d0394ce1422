import {h} from 'hastscript';
import type {Point} from 'unist';
import type {Props} from '../jsx-runtime.js';
import {TemplateError} from '../template-error.js';
import type {PageState} from './page-state.js';

/** `<Cite id="…" />`: a numbered citation of a work in data/sources.yaml, linked to the page's bibliography. */
export function createCite(state: PageState) {
  return function Cite(props: Props, place: Point | undefined) {
    const {id} = props;
    if (typeof id !== 'string')
      throw new TemplateError('Missing `id` on <Cite>, expected a source id from data/sources.yaml', place);
    const element = h('a.cite', {href: `#source-${id}`}, '[?]');
    state.citations.push({id, element, place});
    return element;
  };
}
