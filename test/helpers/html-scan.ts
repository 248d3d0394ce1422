/**
 * A small HTML tokenizer, enough to tell markup from text in the site's own
 * output the way a browser's parser would (WHATWG §13.2.5, simplified): tags
 * with double-, single- or unquoted attributes, comments, the doctype, and
 * the raw text of <script> and <style> up to their end tag. A `<` that starts
 * none of these is text, as in a browser. Used to prove that no string from the
 * data became markup: text and attribute values may hold `<script>` once
 * escaped or quoted, and only tags count.
 */

export interface Tag {
  readonly name: string;
  /** Attribute names (lower case) and values, entities decoded for `&quot;`, `&#x22;` and the like. */
  readonly attributes: ReadonlyArray<readonly [string, string]>;
  /** For <script> and <style>: the raw text up to the end tag. */
  readonly rawText?: string;
  /** Offset of the `<` in the document. */
  readonly offset: number;
}

const NAME = /[A-Za-z][^\t\n\f\r />]*/y;
const SPACE = /[\t\n\f\r ]*/y;
const ATTRIBUTE_NAME = /[^\t\n\f\r />][^\t\n\f\r /=>]*/y;
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript']);

function decode(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|quot|apos|lt|gt|amp);?/gi, (match, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
    return ({quot: '"', apos: "'", lt: '<', gt: '>', amp: '&'} as Record<string, string>)[lower] ?? match;
  });
}

/** The start tags of an HTML (or SVG) document, in order. */
export function startTags(html: string): Tag[] {
  const tags: Tag[] = [];
  let at = 0;
  const read = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at;
    const match = pattern.exec(html);
    if (!match) return undefined;
    at = pattern.lastIndex;
    return match[0];
  };
  while (at < html.length) {
    const open = html.indexOf('<', at);
    if (open === -1) break;
    at = open + 1;
    if (html.startsWith('!--', at)) {
      const end = html.indexOf('-->', at + 3);
      at = end === -1 ? html.length : end + 3;
      continue;
    }
    if (html[at] === '!' || html[at] === '?') {
      const end = html.indexOf('>', at);
      at = end === -1 ? html.length : end + 1;
      continue;
    }
    const closing = html[at] === '/';
    if (closing) at++;
    const name = read(NAME)?.toLowerCase();
    if (!name) continue; // a `<` that is text
    const attributes: Array<[string, string]> = [];
    for (;;) {
      read(SPACE);
      if (at >= html.length) break;
      if (html[at] === '>') {
        at++;
        break;
      }
      if (html[at] === '/') {
        at++;
        continue;
      }
      const attribute = read(ATTRIBUTE_NAME)!.toLowerCase();
      read(SPACE);
      let value = '';
      if (html[at] === '=') {
        at++;
        read(SPACE);
        const quote = html[at];
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, at + 1);
          value = html.slice(at + 1, end === -1 ? html.length : end);
          at = end === -1 ? html.length : end + 1;
        } else {
          value = read(/[^\t\n\f\r >]*/y) ?? '';
        }
      }
      attributes.push([attribute, decode(value)]);
    }
    if (closing) continue;
    let rawText: string | undefined;
    if (RAW_TEXT.has(name)) {
      const end = html.toLowerCase().indexOf(`</${name}`, at);
      rawText = html.slice(at, end === -1 ? html.length : end);
      at = end === -1 ? html.length : end;
    }
    tags.push({name, attributes, rawText, offset: open});
  }
  return tags;
}

/** Elements that run code or load content: none may come from the data. */
const ACTIVE = new Set([
  'script',
  'img',
  'iframe',
  'object',
  'embed',
  'frame',
  'frameset',
  'applet',
  'base',
  'form',
  'input',
  'button',
  'video',
  'audio',
  'source',
  'image',
  'foreignobject',
  'use',
  'animate',
  'set',
  'handler',
  'listener',
  'portal',
]);

/**
 * What in a document could run code or load something the site did not put
 * there: an element that runs or loads (beyond `allowed`), an event-handler
 * attribute, a javascript:/data:/vbscript: link, a <meta http-equiv="refresh">.
 * Each finding names the tag and its offset.
 */
export function activeContent(html: string, allowed: (tag: Tag) => boolean = () => false): string[] {
  const findings: string[] = [];
  for (const tag of startTags(html)) {
    const where = `<${tag.name}> at offset ${tag.offset}`;
    if (ACTIVE.has(tag.name) && !allowed(tag)) findings.push(`${where}: element ${tag.name}`);
    for (const [name, value] of tag.attributes) {
      if (/^on/.test(name)) findings.push(`${where}: event handler ${name}="${value}"`);
      if (
        ['href', 'src', 'xlink:href', 'action', 'formaction', 'poster', 'data'].includes(name) &&
        /^\s*(javascript|vbscript|data):/i.test(value) &&
        !(name === 'href' && value === 'data:,')
      ) {
        findings.push(`${where}: ${name}="${value}"`);
      }
      if (name === 'http-equiv' && /refresh/i.test(value)) findings.push(`${where}: meta refresh`);
    }
  }
  return findings;
}
