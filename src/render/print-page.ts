import type {Element, ElementContent, Root} from 'hast';
import {h} from 'hastscript';
import type {RenderedReport} from './render-report.js';
import {pageLayout, type NavEntry, type PageOptions} from './page-layout.js';
import {visitElements} from './visit-elements.js';

/**
 * The print edition of the site, printed as one PDF: a cover, the contents,
 * then every report in order. Ids are prefixed with the report's slug so
 * figures and anchors stay distinct, and links are rewritten from each
 * report's folder to the site root.
 */
export function printPage(
  reports: readonly RenderedReport[],
  nav: readonly NavEntry[],
  site?: PageOptions['site'],
): Root {
  return printEdition(
    reports.map((report) => report.frontmatter.title),
    reports.map((report) => ({slug: report.slug, section: printSection(report)})),
    nav,
    site,
  );
}

/**
 * One report's section of the print edition: its content copied, ids
 * prefixed with its slug and links rewritten from its folder to the root.
 */
export function printSection(report: Pick<RenderedReport, 'slug' | 'content'>): Element {
  const content = cloneTree(report.content);
  visitElements(content, (node) => {
    const id = node.properties.id;
    if (typeof id === 'string') node.properties.id = `${report.slug}--${id}`;
    for (const key of ['href', 'src'] as const) {
      const value = node.properties[key];
      if (typeof value !== 'string' || /^[a-z]+:/i.test(value)) continue;
      node.properties[key] = value.startsWith('#')
        ? `#${report.slug}--${value.slice(1)}`
        : value.startsWith('../')
          ? value.slice(3)
          : `${report.slug}/${value}`;
    }
  });
  return h('section.print-report', {id: report.slug}, content.children as ElementContent[]);
}

/** The print edition around its sections (elements, or already serialised as raw nodes), in order: cover, contents, sections. */
export function printEdition(
  titles: readonly string[],
  sections: ReadonlyArray<{readonly slug: string; readonly section: ElementContent}>,
  nav: readonly NavEntry[],
  site?: PageOptions['site'],
): Root {
  return pageLayout({
    title: 'tradeoffs: reports',
    description: 'Every report of the site, for printing.',
    rootPath: '',
    kind: 'index',
    nav,
    site,
    content: [
      h('section.print-cover', [
        h('h1', 'tradeoffs: reports'),
        h(
          'p.lede',
          'What AI training and serving cost on which hardware, and why, computed from sourced scenario data.',
        ),
      ]),
      h('nav.print-contents', {ariaLabel: 'Contents'}, [
        h('h2', 'Contents'),
        h(
          'ol',
          sections.map(({slug}, index) => h('li', [h('a', {href: `#${slug}`}, titles[index])])),
        ),
      ]),
      ...sections.map(({section}) => section),
    ],
  });
}

/**
 * A deep copy of a tree as structuredClone makes it (own enumerable keys in
 * order, an object met twice copied once), in JavaScript for the plain
 * objects and arrays hast trees are made of: several times faster than
 * structuredClone on pages with large tables. Any other object is copied by
 * structuredClone.
 */
function cloneTree<T>(tree: T): T {
  const copies = new Map<object, unknown>();
  const clone = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const known = copies.get(value);
    if (known !== undefined) return known;
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      copies.set(value, copy);
      for (const item of value) copy.push(clone(item));
      return copy;
    }
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      const copy = structuredClone(value);
      copies.set(value, copy);
      return copy;
    }
    const copy: Record<string, unknown> = {};
    copies.set(value, copy);
    for (const key of Object.keys(value)) copy[key] = clone((value as Record<string, unknown>)[key]);
    return copy;
  };
  return clone(tree) as T;
}
