import type {Element, ElementContent, Root} from 'hast';
import {h} from 'hastscript';
import {VERSION} from '../version.js';

export interface PageOptions {
  readonly title: string;
  readonly description: string;
  /** Relative path from the page to the site root (`''` or `'../'`). */
  readonly rootPath: string;
  readonly content: ElementContent[];
  /** Extra class on `<body>`, e.g. `report` or `index`. */
  readonly kind: 'report' | 'index';
}

/**
 * The page shell every page shares: one stylesheet, a site header linking
 * home, the content, and a footer. Links are relative, so the site works
 * from any folder and from `file://`. No dates: builds are byte-identical.
 */
export function pageLayout(options: PageOptions): Root {
  const {rootPath, title} = options;
  const body: Element = h('body', {className: [options.kind]}, [
    h('header.site-header', [h('a.site-name', {href: `${rootPath}index.html`}, 'tradeoffs'), h('span.site-tagline', 'AI hardware and software, estimated')]),
    h('main', [h('article', options.content)]),
    h('footer.site-footer', [
      h('p', [
        `Built by tradeoffs ${VERSION} from the project's data and templates. `,
        'Every number on this page is computed from the scenario data by the estimation core.',
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
          h('meta', {name: 'viewport', content: 'width=device-width, initial-scale=1'}),
          h('title', options.kind === 'index' ? title : `${title} · tradeoffs`),
          h('meta', {name: 'description', content: options.description}),
          h('link', {rel: 'stylesheet', href: `${rootPath}style.css`}),
        ]),
        body,
      ]),
    ],
  };
}
