import type {Root} from 'hast';
import {h} from 'hastscript';
import type {Frontmatter} from './frontmatter.js';
import {pageLayout, type NavEntry, type PageOptions} from './page-layout.js';
import {compareText} from '../tool/compare.js';

export interface IndexEntry {
  readonly slug: string;
  readonly frontmatter: Frontmatter;
  /** The report's key figure, formatted, when its frontmatter names one. */
  readonly keyFigure?: {readonly label: string; readonly text: string};
}

/** Sort reports for the index: by `order`, then title, then slug. */
export function compareEntries(
  a: {slug: string; frontmatter: Frontmatter},
  b: {slug: string; frontmatter: Frontmatter},
): number {
  return (
    a.frontmatter.order - b.frontmatter.order ||
    compareText(a.frontmatter.title, b.frontmatter.title) ||
    compareText(a.slug, b.slug)
  );
}

/** The site's home page: a card per report with its title, summary and key figure. */
export function indexPage(entries: readonly IndexEntry[], nav: readonly NavEntry[], site?: PageOptions['site']): Root {
  const cards = [...entries]
    .sort(compareEntries)
    .map(({slug, frontmatter, keyFigure}) =>
      h('li.report-card', [
        h('h2', [h('a', {href: `${slug}/index.html`}, frontmatter.title)]),
        keyFigure
          ? h('p.card-figure', [
              h('span.card-figure-value', keyFigure.text),
              h('span.card-figure-label', keyFigure.label),
            ])
          : undefined,
        h('p', frontmatter.summary),
      ] as never),
    );
  return pageLayout({
    title: 'tradeoffs: reports',
    description: 'Reports on AI hardware and software trade-offs, computed from scenario data.',
    rootPath: '',
    kind: 'index',
    nav,
    site,
    content: [
      h('h1', 'What AI training and serving cost, and why'),
      h(
        'p.lede',
        'When DeepSeek said it trained DeepSeek-V3 on 2,048 H800 GPUs for about 2.8M GPU-hours, people asked how much came from software, what the same run would take on other chips, and whether cheaper training means less compute. These reports answer from sourced data and a calibrated estimator; every number carries its range and its sources.',
      ),
      h('ul.report-list', cards),
    ],
  });
}
