import type {Element, ElementContent, Root} from 'hast';
import {h} from 'hastscript';
import {VERSION} from '../tool/version.js';
import type {TocEntry} from './headings.js';
import {MAIN_ID} from './page-ids.js';
import {provenanceOf, shortCommit, SITE_FOLDERS, SITE_PAGES, type SiteInfo, type SiteParts} from './site-info.js';

/** A report in the site's navigation. */
export interface NavEntry {
  readonly slug: string;
  readonly title: string;
}

export interface PageOptions {
  readonly title: string;
  readonly description: string;
  /** Relative path from the page to the site root (`''` or `'../'`). */
  readonly rootPath: string;
  readonly content: ElementContent[];
  readonly kind: 'report' | 'index' | 'explorer';
  /** Every report, for the navigation. */
  readonly nav: readonly NavEntry[];
  /** The report this page is, to mark it in the navigation. */
  readonly current?: string;
  /** The page's sections, for its table of contents. */
  readonly toc?: readonly TocEntry[];
  /**
   * Load a script of the site: `true` for interactive.js (pages with interactive charts only; the
   * others ship no JavaScript), or the file's name (the explorer page loads explorer.js).
   */
  readonly script?: boolean | string;
  /** How the site was made, for the footer; the site's optional parts, to link to. */
  readonly site?: {readonly info: SiteInfo; readonly parts: SiteParts};
  /** The reports before and after this one, in the site's order. */
  readonly neighbours?: {readonly previous?: NavEntry | undefined; readonly next?: NavEntry | undefined};
  /** A report's own facts: its sources (template and data files), its PDF, its citation files. */
  readonly about?: PageAbout;
}

/** What a report page says about itself below its content. */
export interface PageAbout {
  /** Its template and the data files it read, relative to the project. */
  readonly sources: readonly string[];
  /** Its PDF, relative to the site root, when the site has one. */
  readonly pdf?: string | undefined;
  /** Its citation: `<meta name="citation_*">` and the BibTeX and CSL JSON files beside the page. */
  readonly citation: {readonly title: string; readonly authors: readonly string[]; readonly date: string};
}

/**
 * The site's Content-Security-Policy, which its own pages satisfy: nothing
 * but the site's own stylesheet, fonts and scripts (interactive.js, loaded
 * only by pages with interactive charts; explorer.js, only by the explorer,
 * which also starts it as its Web Worker: `script-src` governs workers when
 * no `worker-src` is set); no inline script or style, not even in an
 * attribute (table alignment is a class); images only from the site or data
 * URLs (the empty favicon); no plugins, frames, base URL or form targets. As a
 * `<meta>` it cannot set `frame-ancestors`; a server adds that as a header.
 * JSON data blocks (`<script type="application/json">`) are never run, so
 * they need no allowance.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The page shell every page shares: one stylesheet (with the bundled font),
 * a header with the site's tools (search and theme, added by the site's
 * script) and navigation, a table of contents beside the report (both
 * collapsed on narrow screens, so the content comes first), previous and
 * next reports, the page's sources and citation, and a footer saying how
 * the site was made. Links are relative and name their `index.html`, so the
 * site works from any folder and from `file://`; no request leaves the
 * site. Dates come from the inputs, never the clock: builds are
 * byte-identical.
 */
export function pageLayout(options: PageOptions): Root {
  const {rootPath, title} = options;
  const navigation = h('details.site-menu', [
    h('summary.site-menu-title', 'Reports'),
    h('nav.site-nav', {ariaLabel: 'Reports'}, [
      h(
        'ul',
        options.nav.map((entry) =>
          h('li', [
            h(
              'a',
              {
                href: `${rootPath}${entry.slug}/index.html`,
                ariaCurrent: entry.slug === options.current ? 'page' : undefined,
              },
              entry.title,
            ),
          ]),
        ),
      ),
    ]),
  ]);
  const toc = options.toc && options.toc.length > 1 ? tableOfContents(options.toc) : undefined;
  const article = h('article', [
    ...options.content,
    ...(options.about && options.site ? [aboutPage(options.about, options.site, rootPath)] : []),
  ]);
  const body: Element = h('body', {className: [options.kind]}, [
    h('a.skip-link', {href: `#${MAIN_ID}`}, 'Skip to content'),
    h('header.site-header', [
      h('a.site-name', {href: `${rootPath}index.html`}, 'tradeoffs'),
      h('span.site-tagline', 'AI hardware and software, estimated'),
      // Filled by the site's script (search, theme): without JavaScript there is nothing to show.
      h('div.site-tools', {dataRoot: rootPath || './'}),
      navigation,
    ]),
    h('div.page', [
      toc,
      h('main', {id: MAIN_ID}, [article, options.neighbours ? pager(options.neighbours, rootPath) : undefined]),
    ] as never),
    h('footer.site-footer', footer(options.site, rootPath)),
  ]);
  return {
    type: 'root',
    children: [
      {type: 'doctype'},
      h('html', {lang: 'en'}, [
        h('head', [
          h('meta', {charset: 'utf-8'}),
          // First in the head after the encoding: the policy covers only what comes after it.
          h('meta', {httpEquiv: 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY}),
          h('meta', {name: 'viewport', content: 'width=device-width, initial-scale=1'}),
          h('meta', {name: 'color-scheme', content: 'light dark'}),
          h('title', options.kind === 'index' ? title : `${title} · tradeoffs`),
          h('meta', {name: 'description', content: options.description}),
          ...(options.about ? citationMeta(options.about) : []),
          h('link', {rel: 'stylesheet', href: `${rootPath}style.css`}),
          // No icon file: an empty data URL stops browsers asking the server for /favicon.ico.
          h('link', {rel: 'icon', href: 'data:,'}),
          options.neighbours?.previous
            ? h('link', {rel: 'prev', href: `${rootPath}${options.neighbours.previous.slug}/index.html`})
            : undefined,
          options.neighbours?.next
            ? h('link', {rel: 'next', href: `${rootPath}${options.neighbours.next.slug}/index.html`})
            : undefined,
          // Not deferred: it sets the reader's theme before the page is first drawn (no flash).
          h('script', {src: `${rootPath}site.js`}),
          options.script
            ? h('script', {
                src: `${rootPath}${options.script === true ? 'interactive.js' : options.script}`,
                defer: true,
              })
            : undefined,
        ] as never),
        body,
      ]),
    ],
  };
}

/** `<meta name="citation_*">` for reference managers (Google Scholar's and Zotero's tags). */
function citationMeta(about: PageAbout): Element[] {
  return [
    h('meta', {name: 'citation_title', content: about.citation.title}),
    ...about.citation.authors.map((author) => h('meta', {name: 'citation_author', content: author})),
    h('meta', {name: 'citation_publication_date', content: about.citation.date.replace(/-/g, '/')}),
    h('meta', {name: 'citation_language', content: 'en'}),
  ];
}

/** Links to the previous and next reports. */
function pager(neighbours: NonNullable<PageOptions['neighbours']>, rootPath: string): Element {
  const link = (entry: NavEntry | undefined, rel: 'prev' | 'next', label: string) =>
    entry
      ? h(`a.pager-${rel}`, {href: `${rootPath}${entry.slug}/index.html`, rel}, [
          h('span.pager-label', label),
          h('span.pager-title', entry.title),
        ])
      : undefined;
  return h('nav.pager', {ariaLabel: 'Previous and next reports'}, [
    link(neighbours.previous, 'prev', 'Previous'),
    link(neighbours.next, 'next', 'Next'),
  ] as never);
}

/** A report's provenance, below its content: its sources, its PDF, how to cite it. */
function aboutPage(about: PageAbout, site: NonNullable<PageOptions['site']>, rootPath: string): Element {
  const sources = about.sources.flatMap((source, index) => [
    index === 0 ? '' : ', ',
    h('a', {href: `${rootPath}${SITE_FOLDERS.source}/${source}`}, h('code', source)),
  ]);
  const links: ElementContent[] = [
    h('a', {href: 'cite.bib', download: 'cite.bib'}, 'BibTeX'),
    {type: 'text', value: ' · '},
    h('a', {href: 'cite.json', download: 'cite.json'}, 'CSL JSON'),
  ];
  return h('aside.page-about', {ariaLabel: 'About this report'}, [
    h('h2.page-about-title', 'About this report'),
    h('p', ['Made from ', ...(sources as ElementContent[]), `${aboutDate(site.info)}.`]),
    h('p.page-about-links', [
      'Cite it: ',
      ...links,
      ...(about.pdf
        ? [
            {type: 'text', value: ' · '} as ElementContent,
            h('a', {href: `${rootPath}${about.pdf}`}, 'PDF of this report'),
          ]
        : []),
    ]),
  ]);
}

/** When the report was made, as the end of "Made from …": the build's date when known, else the data's. */
function aboutDate(info: SiteInfo): string {
  if (info.builtOn) return `; built ${info.builtOn}`;
  return info.dataAsOf ? `; data as of ${info.dataAsOf}` : '';
}

/** The footer: how the site was made (when the page knows), and what its numbers are. */
function footer(site: PageOptions['site'], rootPath: string): Element[] {
  const made: Array<Element | string> = [];
  if (site) {
    const {info, parts} = site;
    const provenance = provenanceOf(info);
    made.push(provenance ? `${provenance}; made by tradeoffs ${VERSION}` : `Made by tradeoffs ${VERSION}`);
    if (info.commit) made.push(' (commit ', h('code', shortCommit(info.commit)), ')');
    made.push('. ');
    const links: Element[] = [h('a', {href: `${rootPath}${SITE_PAGES.data}`}, 'Every input and output')];
    if (parts.changes) links.push(h('a', {href: `${rootPath}${SITE_PAGES.changes}`}, 'What changed'));
    if (parts.pdfs.site) links.push(h('a', {href: `${rootPath}pdf/tradeoffs-reports.pdf`}, 'All reports as one PDF'));
    links.forEach((link, index) => made.push(...(index === 0 ? [] : [' · ']), link));
    made.push('.');
  } else made.push(`Built by tradeoffs ${VERSION} from the project's data and templates.`);
  return [
    h('p.site-provenance', made),
    h(
      'p',
      'Every estimate on these pages is computed from the scenario data by the estimation core, and its range is the 5th–95th percentiles of a seeded Monte Carlo; reported figures, prices and other inputs are the data’s, with their sources.',
    ),
  ];
}

/** The page's sections: a sidebar on wide screens, a collapsed list above the content on narrow ones. */
function tableOfContents(entries: readonly TocEntry[]): Element {
  return h('nav.toc', {ariaLabel: 'On this page'}, [
    h('details.toc-details', [
      h('summary.toc-title', 'On this page'),
      h(
        'ol',
        entries.map((entry) => h(`li.toc-depth-${entry.depth}`, [h('a', {href: `#${entry.id}`}, entry.text)])),
      ),
    ]),
  ]);
}
