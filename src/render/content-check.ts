import type {Element, Root, RootContent} from 'hast';
import {normalizeName, refusedAttribute, refusedElement} from './html-rules.js';

/**
 * Check rendered content against the rules a fresh render follows
 * (html-rules.ts), for content that did not come from this run's templates:
 * a report read from the build cache or a shard, or a chart's SVG from the
 * cache. Returns the problems found (at most `limit`), each naming where in
 * the tree it is; none means the content is what a render could have made.
 *
 * Beyond the template rules: no inline `style` (a render turns `text-align`
 * into a class), no doctype, and `<script>` only as the data block an
 * interactive chart carries (`type="application/json"`, no `<` in it, as
 * chart.ts writes it). Raw HTML is only a chart's SVG, checked tag by tag.
 */
export function checkContent(root: Root, limit = 5): string[] {
  const problems: string[] = [];
  const walk = (node: Root | RootContent, where: string): void => {
    if (problems.length >= limit) return;
    if (node.type === 'doctype') problems.push(`${where}: a doctype, expected none inside a page`);
    if (node.type === 'raw') for (const problem of checkSvgMarkup(node.value)) problems.push(`${where}: ${problem}`);
    if (node.type === 'element') {
      const problem = elementProblem(node);
      if (problem) problems.push(`${where} <${node.tagName}>: ${problem}`);
    }
    if ('children' in node)
      node.children.forEach((child, index) =>
        walk(child, `${where}/${child.type === 'element' ? child.tagName : child.type}[${index}]`),
      );
  };
  walk(root, 'content');
  return problems.slice(0, limit);
}

function elementProblem(element: Element): string | undefined {
  const {tagName, properties} = element;
  if (tagName === 'script' && isDataBlock(element)) return undefined;
  const refused = refusedElement(tagName);
  if (refused) return refused;
  for (const [name, value] of Object.entries(properties)) {
    if (normalizeName(name) === 'style' && value !== undefined && value !== null)
      return 'an inline `style`, which a render never writes';
    const problem = refusedAttribute(tagName, name, value);
    if (problem) return problem;
  }
  return undefined;
}

/** An interactive chart's spec, as chart.ts writes it: JSON that is never run, with every `<` escaped. */
function isDataBlock(element: Element): boolean {
  const keys = Object.keys(element.properties);
  return (
    element.properties.type === 'application/json' &&
    keys.every((key) => key === 'type' || key === 'className') &&
    element.children.every((child) => child.type === 'text' && !child.value.includes('<'))
  );
}

/** One tag: its name, its attributes, and where it ends. */
const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/y;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/**
 * Problems in a chart's SVG markup (as Vega writes it: elements, attributes
 * and escaped text), checked tag by tag with the same rules: a tag the
 * rules refuse (<script>, <style>, <foreignObject>…), an event handler, a
 * URL that would run script, or markup that is not a tag at all (a comment,
 * CDATA, a processing instruction), which a renderer never writes.
 */
export function checkSvgMarkup(markup: string): string[] {
  const problems: string[] = [];
  if (!/^<svg[\s>]/.test(markup)) problems.push('raw markup that is not an <svg> element');
  let at = markup.indexOf('<');
  while (at !== -1 && problems.length < 5) {
    TAG.lastIndex = at;
    const tag = TAG.exec(markup);
    if (!tag) {
      problems.push(`markup that is not an SVG tag: ${JSON.stringify(markup.slice(at, at + 20))}`);
      break;
    }
    const [, closing, name = '', attributes = ''] = tag;
    if (!closing) {
      const refused = name.toLowerCase() === 'foreignobject' ? 'embeds HTML in an SVG' : refusedElement(name);
      if (refused) problems.push(`<${name}> in a chart's SVG: ${refused}`);
      for (const [, attribute = '', ...values] of attributes.matchAll(ATTRIBUTE)) {
        const value = decodeReferences(values.find((each) => each !== undefined) ?? '');
        const problem =
          normalizeName(attribute) === 'style'
            ? `an inline \`style\` on <${name}>`
            : refusedAttribute(name, attribute, value);
        if (problem) problems.push(`in a chart's SVG: ${problem}`);
      }
    }
    at = markup.indexOf('<', TAG.lastIndex);
  }
  return problems;
}

/**
 * An attribute value as a browser reads it: character references decoded
 * (`&#106;avascript:` is `javascript:`). An unknown named reference is kept
 * as `&?`, which no safe URL scheme starts with.
 */
function decodeReferences(value: string): string {
  const named: Record<string, string> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    colon: ':',
    tab: '\t',
    newline: '\n',
  };
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (_whole, reference: string) => {
    if (reference.startsWith('#')) {
      const code =
        reference[1] === 'x' || reference[1] === 'X' ? parseInt(reference.slice(2), 16) : Number(reference.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
    }
    return named[reference.toLowerCase()] ?? '&?';
  });
}
