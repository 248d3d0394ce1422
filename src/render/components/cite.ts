import {h} from 'hastscript';
import type {Point} from 'unist';
import {z} from 'zod';
import type {Props} from '../jsx-runtime.js';
import type {PageState} from './page-state.js';
import {readProps, text} from './props.js';

const citeProps = z.object({id: text('Missing `id` on <Cite>, expected a source id from data/sources.yaml')});

/** `<Cite id="…" />`: a numbered citation of a work in data/sources.yaml, linked to the page's bibliography. */
export function createCite(state: PageState) {
  return function Cite(props: Props, place: Point | undefined) {
    const {id} = readProps(citeProps, props, place);
    const element = h('a.cite', {href: `#source-${id}`}, '[?]');
    state.citations.push({id, element, place});
    return element;
  };
}
