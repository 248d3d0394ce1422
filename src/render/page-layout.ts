import type {Element, ElementContent, Root} from 'hast';
import {h} from 'hastscript';
import {VERSION} from '../tool/version.js';
import type {TocEntry} from './headings.js';

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
 * a header with the site's navigation, a table of contents beside the
 * report, and a footer. Links are relative, so the site works from any
 * folder and from `file://`; no script, no request leaves the site. No
 * dates: builds are byte-identical.
 */
export function pageLayout(options: PageOptions): Root {
  const {rootPath, title} = options;
  const navigation = h('nav.site-nav', {ariaLabel: 'Reports'}, [
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
  ]);
  const toc = options.toc && options.toc.length > 1 ? tableOfContents(options.toc) : undefined;
  const body: Element = h('body', {className: [options.kind]}, [
    h('a.skip-link', {href: '#content'}, 'Skip to content'),
    h('header.site-header', [
      h('a.site-name', {href: `${rootPath}index.html`}, 'tradeoffs'),
      h('span.site-tagline', 'AI hardware and software, estimated'),
      navigation,
    ]),
    h('div.page', [toc, h('main#content', [h('article', options.content)])] as never),
    h('footer.site-footer', [
      h('p', [
        `Built by tradeoffs ${VERSION} from the project's data and templates. `,
        'Every number on these pages is computed from the scenario data by the estimation core; ranges are the 5th–95th percentiles of a seeded Monte Carlo.',
      ]),
    ]),
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
          h('link', {rel: 'stylesheet', href: `${rootPath}style.css`}),
          // No icon file: an empty data URL stops browsers asking the server for /favicon.ico.
          h('link', {rel: 'icon', href: 'data:,'}),
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

function tableOfContents(entries: readonly TocEntry[]): Element {
  return h('nav.toc', {ariaLabel: 'On this page'}, [
    h('p.toc-title', 'On this page'),
    h(
      'ol',
      entries.map((entry) => h(`li.toc-depth-${entry.depth}`, [h('a', {href: `#${entry.id}`}, entry.text)])),
    ),
  ]);
}
