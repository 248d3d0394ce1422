import type {Root} from 'hast';
import {h} from 'hastscript';
import type {Frontmatter} from './frontmatter.js';
import {pageLayout} from './page-layout.js';

export interface IndexEntry {
  readonly slug: string;
  readonly frontmatter: Frontmatter;
}

/** Sort reports for the index: by `order`, then title, then slug. */
export function compareEntries(a: IndexEntry, b: IndexEntry): number {
  return a.frontmatter.order - b.frontmatter.order || a.frontmatter.title.localeCompare(b.frontmatter.title) || a.slug.localeCompare(b.slug);
}

/** The site's home page: a card per report with its title and summary. */
export function indexPage(entries: readonly IndexEntry[]): Root {
  const cards = [...entries].sort(compareEntries).map(({slug, frontmatter}) =>
    h('li.report-card', [h('h2', [h('a', {href: `${slug}/index.html`}, frontmatter.title)]), h('p', frontmatter.summary)]),
  );
  return pageLayout({
    title: 'tradeoffs: reports',
    description: 'Reports on AI hardware and software trade-offs, computed from scenario data.',
    rootPath: '',
    kind: 'index',
    content: [
      h('h1', 'Reports'),
      h('p.lede', 'What AI training and serving cost on which hardware, and why: each report is computed from sourced scenario data.'),
      h('ul.report-list', cards),
    ],
  });
}
