import type {Element, Root} from 'hast';
import {h} from 'hastscript';
import type {Catalog} from '../data/catalog.js';
import {unknownIdReason} from '../diagnostics/nearest-id.js';
import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {assumptionsSection} from './assumptions-table.js';
import type {PageState} from './components/page-state.js';

/**
 * Fill what could only be known once the whole template had run: figure
 * numbers in `<Ref>`s, citation numbers and the bibliography, and the
 * assumptions behind the page's numbers. Unknown figure or source ids are
 * errors at the component that used them. Returns false on any error.
 */
export function resolvePage(
  state: PageState,
  catalog: Catalog,
  content: Root,
  path: string,
  diagnostics: Diagnostics,
): boolean {
  let ok = true;
  for (const ref of state.refs) {
    const number = state.figures.get(ref.to);
    if (number === undefined) {
      diagnostics.error(
        path,
        unknownIdReason('figure', ref.to, state.figures.keys()).replace(' id ', ' id in <Ref> '),
        ref.place,
        'unknown-id',
      );
      ok = false;
      continue;
    }
    ref.element.children = [{type: 'text', value: `Figure ${number}`}];
  }

  const numbers = new Map<string, number>();
  for (const citation of state.citations) {
    if (!catalog.sources.has(citation.id)) {
      diagnostics.error(
        path,
        unknownIdReason('source', citation.id, catalog.sources.keys()).replace(' id ', ' id in <Cite> '),
        citation.place,
        'unknown-id',
      );
      ok = false;
      continue;
    }
    if (!numbers.has(citation.id)) numbers.set(citation.id, numbers.size + 1);
    citation.element.children = [{type: 'text', value: `[${numbers.get(citation.id)}]`}];
  }
  if (numbers.size > 0) content.children.push(bibliography(catalog, [...numbers.keys()]));

  for (const assumptions of state.assumptions) {
    const sections = [...state.scenariosUsed].flatMap((id) => assumptionsSection(catalog, id) ?? []);
    assumptions.element.children = sections.length > 0 ? sections : [h('p', 'This page uses no scenario.')];
  }
  return ok;
}

/** The numbered list of works cited on a page, in order of first citation. */
function bibliography(catalog: Catalog, ids: readonly string[]): Element {
  return h('section.bibliography', [
    h('h2', {id: 'sources'}, 'Sources'),
    h(
      'ol',
      ids.map((id) => {
        const source = catalog.sources.get(id)!;
        const parts = [source.authors, source.year === undefined ? undefined : `(${source.year})`]
          .filter(Boolean)
          .join(' ');
        return h('li', {id: `source-${id}`}, [
          parts ? `${parts}. ` : '',
          source.url ? h('a', {href: source.url}, source.title) : h('cite', source.title),
          source.venue ? `. ${source.venue}.` : '.',
          source.note ? ` ${source.note}` : '',
        ]);
      }),
    ),
  ]);
}
