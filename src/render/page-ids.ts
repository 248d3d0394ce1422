import type {Point} from 'unist';
import {TemplateError} from './template-error.js';

/** The id of every page's main element (page-layout.ts), which its skip link targets. */
export const MAIN_ID = 'content';

/**
 * Why an id a template gives an element (`<Figure id>`, `<Chart id>`, `id=`
 * on any element) is the page's own, or `undefined` when the template may
 * use it: the page's main element, the bibliography and its entries
 * (resolve-page.ts), and the ids of figures the tool numbers (`figure-3`,
 * `figure-3-description`). Two elements with one id break links to both.
 */
export function reservedIdReason(id: string): string | undefined {
  if (id === MAIN_ID) return "the page's main content (the skip link's target)";
  if (id === 'sources' || id.startsWith('source-')) return "the page's bibliography";
  if (/^figure-\d+(-description)?$/.test(id)) return 'a figure the tool numbers';
  return undefined;
}

/**
 * Claim an id a template gives an element, at `place`: an error when the
 * page uses it itself, or when the template gave it to another element
 * before (naming where).
 */
export function claimId(claimed: Map<string, Point | undefined>, id: string, place: Point | undefined): void {
  const reserved = reservedIdReason(id);
  if (reserved) throw new TemplateError(`The id \`${id}\` is taken by ${reserved}, expected another id`, place);
  if (claimed.has(id)) {
    const first = claimed.get(id);
    throw new TemplateError(
      `Duplicate id \`${id}\`${first ? ` (first at ${first.line}:${first.column})` : ''}, expected each id once on a page`,
      place,
    );
  }
  claimed.set(id, place);
}
