import type {Element, ElementContent, Root, RootContent} from 'hast';
import {h} from 'hastscript';
import type {Frontmatter} from './frontmatter.js';
import {pageLayout, type NavEntry, type PageOptions} from './page-layout.js';
import {compareText} from '../tool/compare.js';

export interface IndexEntry {
  readonly slug: string;
  readonly frontmatter: Frontmatter;
  /** The report's key figure, formatted, when its frontmatter names one. */
  readonly keyFigure?: {readonly label: string; readonly text: string};
  /** For the report marked `home`: its lead, shown on the home page (see leadOf). */
  readonly lead?: readonly ElementContent[];
}

/**
 * The lead of a report, for the home page: what comes after its title and
 * before its first section heading, copied, with its links made relative to
 * the site's root (`../calibration/` → `calibration/`, `#source-x` →
 * `answers/index.html#source-x`, a chart's `figure-1.csv` → `answers/figure-1.csv`).
 */
export function leadOf(slug: string, content: Root): ElementContent[] {
  const lead: ElementContent[] = [];
  for (const node of content.children) {
    if (node.type === 'element' && node.tagName === 'h1') continue;
    if (node.type === 'element' && /^h[2-6]$/.test(node.tagName)) break;
    if (node.type === 'doctype') continue;
    lead.push(rebased(structuredClone(node), slug) as ElementContent);
  }
  return lead;
}

function rebased(node: RootContent, slug: string): RootContent {
  if (node.type !== 'element') return node;
  const element = node as Element;
  for (const name of ['href', 'src'] as const) {
    const value = element.properties[name];
    if (typeof value !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('/')) continue;
    element.properties[name] = value.startsWith('../')
      ? value.slice(3)
      : value.startsWith('#')
        ? `${slug}/index.html${value}`
        : `${slug}/${value}`;
  }
  element.children = element.children.map((child) => rebased(child, slug) as ElementContent);
  return element;
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

/** The site's home page: a card per report with its title, summary and key figure, and the way to the explorer when the site has one. */
export function indexPage(
  entries: readonly IndexEntry[],
  nav: readonly NavEntry[],
  site?: PageOptions['site'],
  explorer?: string,
): Root {
  const home = entries.find((entry) => entry.lead !== undefined);
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
      home
        ? h('section.home-lead', {ariaLabelledby: 'home-lead-title'}, [
            h('h2#home-lead-title', [h('a', {href: `${home.slug}/index.html`}, home.frontmatter.title)]),
            ...(home.lead as ElementContent[]),
            h('p.home-lead-more', [
              h('a', {href: `${home.slug}/index.html`}, 'Each answer with its range, its caveats and its evidence'),
            ]),
          ])
        : undefined,
      ...(explorer
        ? [
            h('p', [
              'Your own question, on these reports’ data: ',
              h('a', {href: explorer}, 'the explorer'),
              ' runs the same estimator in your browser on any scenario, with the assumptions you choose.',
            ]),
          ]
        : []),
      h('ul.report-list', cards),
    ] as never,
  });
}
