import type {Element, ElementContent, Root} from 'hast';

/**
 * A number as the site prints it: a sign or currency, digits with grouping
 * and decimals, a range (`2.3–3.1`), a count or SI suffix, a percent or a
 * times sign: `2.6M`, `$5.69M`, `−139k`, `38.9%`, `2.3–3.1M`, `×1.32`.
 */
const NUMBER = String.raw`(?:[-−+±×÷~≈]\s?)?[$€£]?\d[\d,]*(?:\.\d+)?(?:\s?[–-]\s?[$€£]?\d[\d,]*(?:\.\d+)?)?[kKMBTGPE]?%?`;

/**
 * A unit after a space, as the estimates and templates write them
 * (format-quantity.ts): SI-prefixed FLOP, bytes, watt-hours, seconds,
 * grams; GPU-hours and other compound units; counted things. Hyphenated
 * and slashed units (`GPU-h`, `tokens/s`) are where browsers break lines.
 */
const UNIT = String.raw`(?:[kMGTPEZYµm]?(?:FLOP\/s|FLOPs|FLOP|B\/s|b\/s|Wh|W|B|s|g)|GPU-hours?|GPU-h|GPU-days?|GPU-years?|H100-equivalents?|GPUs?|days?|hours?|minutes?|seconds?|weeks?|months?|years?|tokens\/s|tokens?|tCO2e?|kgCO2e|g\/kWh|\$\/GPU-h|USD|params|parameters)(?![\w/-])`;

const NUMBER_AND_UNIT = new RegExp(`(?<![\\w.,])${NUMBER} ${UNIT}`, 'g');

/** Elements whose text is not prose: code, preformatted text, scripts, and what is already kept whole. */
const SKIPPED = new Set(['code', 'pre', 'script', 'style', 'svg', 'math', 'textarea', 'title']);

/**
 * Keep every number and its unit on one line ("2.6M GPU-h", never "2.6M
 * GPU-" and "h"): each such run of text is wrapped in `<span
 * class="nowrap">` (`white-space: nowrap` in the stylesheet). Numbers the
 * components print (`<Estimate>`, `<Metric>`) are kept whole already; this
 * covers the same numbers written in prose, captions and tables.
 */
export function keepUnitsTogether(tree: Root | Element): void {
  const visit = (node: Root | Element): void => {
    const children: ElementContent[] = [];
    let changed = false;
    for (const child of node.children as ElementContent[]) {
      if (child.type === 'text') {
        const parts = splitText(child.value);
        if (parts.length > 1 || typeof parts[0] !== 'string') {
          changed = true;
          for (const part of parts) children.push(typeof part === 'string' ? {type: 'text', value: part} : part);
          continue;
        }
      } else if (child.type === 'element' && !SKIPPED.has(child.tagName) && !isKeptWhole(child)) {
        visit(child);
      }
      children.push(child);
    }
    if (changed) node.children = children as typeof node.children;
  };
  visit(tree);
}

/** A text as plain runs and nowrap spans around each number with its unit. */
function splitText(text: string): Array<string | Element> {
  const parts: Array<string | Element> = [];
  let last = 0;
  for (const match of text.matchAll(NUMBER_AND_UNIT)) {
    const start = match.index;
    if (start > last) parts.push(text.slice(last, start));
    parts.push({
      type: 'element',
      tagName: 'span',
      properties: {className: ['nowrap']},
      children: [{type: 'text', value: match[0]}],
    });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts.length === 0 ? [text] : parts;
}

function isKeptWhole(element: Element): boolean {
  const classes = element.properties.className;
  return (
    Array.isArray(classes) && (classes.includes('nowrap') || classes.includes('estimate') || classes.includes('metric'))
  );
}
