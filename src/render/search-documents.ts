import type {Element, ElementContent, Root} from 'hast';
import {headingRank} from 'hast-util-heading-rank';

/** One searchable part of the site: a report's introduction, or one of its sections. */
export interface SearchDocument {
  /** Unique: the section's address. */
  readonly id: string;
  /** From the site's root: `calibration/index.html#sources`. */
  readonly url: string;
  /** The report's title. */
  readonly page: string;
  /** The section's heading (the report's title for its introduction). */
  readonly title: string;
  /** The section's words, indexed. */
  readonly text: string;
  /** Its first words, shown with a result. */
  readonly excerpt: string;
}

/** Longest excerpt shown with a search result (characters). */
const EXCERPT_LENGTH = 180;

/** Elements whose text is not the page's prose: scripts, chart drawings, charts' data tables, heading anchors. */
function skipped(element: Element): boolean {
  if (['script', 'style', 'svg', 'template'].includes(element.tagName)) return true;
  const classes = element.properties.className;
  return Array.isArray(classes) && (classes.includes('chart-data') || classes.includes('heading-anchor'));
}

/**
 * A report's content split at its `h2` headings (which carry ids once
 * anchorHeadings has run) into search documents: the text before the first
 * heading is the report's introduction, each section runs to the next `h2`.
 */
export function searchDocuments(slug: string, pageTitle: string, content: Root): SearchDocument[] {
  const sections: Array<{id: string | undefined; title: string; parts: string[]}> = [
    {id: undefined, title: pageTitle, parts: []},
  ];
  const collect = (node: ElementContent, parts: string[]): void => {
    if (node.type === 'text') parts.push(node.value);
    else if (node.type === 'element' && !skipped(node)) {
      const block = BLOCKS.has(node.tagName);
      if (block) parts.push(' ');
      for (const child of node.children) collect(child, parts);
      if (block) parts.push(' ');
    }
  };
  const walk = (nodes: readonly ElementContent[]): void => {
    for (const node of nodes) {
      if (node.type === 'element' && headingRank(node) === 2) {
        const title: string[] = [];
        collect(node, title);
        const id = typeof node.properties.id === 'string' ? node.properties.id : undefined;
        sections.push({id, title: squeeze(title.join('')), parts: []});
      } else if (node.type === 'element' && (node.tagName === 'section' || node.tagName === 'div') && !skipped(node)) {
        walk(node.children);
      } else collect(node, (sections.at(-1) as {parts: string[]}).parts);
    }
  };
  walk(content.children as ElementContent[]);
  return sections
    .map((section) => ({section, text: squeeze(section.parts.join(''))}))
    .filter(({section, text}) => text !== '' || section.id !== undefined)
    .map(({section, text}) => {
      const url = `${slug}/index.html${section.id ? `#${section.id}` : ''}`;
      return {id: url, url, page: pageTitle, title: section.title, text, excerpt: excerptOf(text)};
    });
}

/** Elements whose text is set apart from its neighbours' (words of two cells are two words). */
const BLOCKS = new Set([
  'p',
  'li',
  'td',
  'th',
  'tr',
  'div',
  'section',
  'figure',
  'figcaption',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'dt',
  'dd',
  'caption',
  'summary',
  'aside',
  'br',
]);

function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function excerptOf(text: string): string {
  if (text.length <= EXCERPT_LENGTH) return text;
  const cut = text.slice(0, EXCERPT_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${space > EXCERPT_LENGTH / 2 ? cut.slice(0, space) : cut}…`;
}
