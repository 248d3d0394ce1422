/**
 * MDX compiles a braced expression (`spec={{…}}`, `{…}` in text) by trying
 * to parse it with acorn at every closing brace until one parse succeeds
 * (micromark-factory-mdx-expression), so a large literal takes time that
 * grows with its size times its braces: 22 KB of rows took 2 s, 95 KB 76 s,
 * 1.28 MB did not finish. The same data in an `export const` block, or in a
 * data file, is parsed once. Templates with such literals are stopped
 * before they are compiled, with a message saying where to put the data.
 */

/** The longest braced expression a template may hold, in characters (about 2 s to compile at 22 KB). */
export const MAX_EXPRESSION_CHARACTERS = 24 * 1024;

/** A braced expression too large to compile quickly: where it starts (offset of `{`) and its length. */
export interface LargeExpression {
  readonly offset: number;
  readonly length: number;
}

/**
 * The braced expressions of an MDX text longer than `limit` characters,
 * outside frontmatter, code (fenced or inline) and `import`/`export` blocks
 * (which MDX parses once). Braces are matched as JavaScript has them:
 * strings, template literals and comments do not count. Linear in the text.
 */
export function largeExpressions(text: string, limit = MAX_EXPRESSION_CHARACTERS): LargeExpression[] {
  const found: LargeExpression[] = [];
  let index = skipFrontmatter(text);
  let lineStart = true;
  while (index < text.length) {
    const character = text[index];
    if (lineStart) {
      const rest = text.slice(index, index + 8);
      if (/^(```|~~~)/.test(rest)) {
        index = endOfFence(text, index);
        continue;
      }
      if (/^(export|import)\s/.test(rest)) {
        index = endOfBlock(text, index);
        continue;
      }
    }
    lineStart = character === '\n';
    if (character === '`') {
      index = endOfInlineCode(text, index);
      continue;
    }
    if (character === '{') {
      const end = matchingBrace(text, index);
      if (end - index + 1 > limit) found.push({offset: index, length: end - index + 1});
      index = end + 1;
      continue;
    }
    index++;
  }
  return found;
}

/** Shared with test/helpers/template-prose.ts, which reads a template's prose the same way. */
export function skipFrontmatter(text: string): number {
  if (!text.startsWith('---\n') && !text.startsWith('---\r\n')) return 0;
  const end = text.indexOf('\n---', 3);
  return end === -1 ? 0 : end + 4;
}

/** Shared with test/helpers/template-prose.ts, which reads a template's prose the same way. */
export function endOfFence(text: string, start: number): number {
  const fence = text.slice(start, start + 3);
  const close = text.indexOf(`\n${fence}`, start + 3);
  if (close === -1) return text.length;
  const lineEnd = text.indexOf('\n', close + 1);
  return lineEnd === -1 ? text.length : lineEnd + 1;
}

/** An ESM block ends at a blank line (MDX: `import`/`export` paragraphs). */
export function endOfBlock(text: string, start: number): number {
  const blank = /\n[ \t]*\r?\n/g;
  blank.lastIndex = start;
  const match = blank.exec(text);
  return match ? match.index + 1 : text.length;
}

/** Shared with test/helpers/template-prose.ts, which reads a template's prose the same way. */
export function endOfInlineCode(text: string, start: number): number {
  let ticks = 0;
  while (text[start + ticks] === '`') ticks++;
  const close = text.indexOf('`'.repeat(ticks), start + ticks);
  return close === -1 ? start + ticks : close + ticks;
}

/** The offset of the `}` that closes the `{` at `start` (or the text's end), skipping strings, template literals and comments. */
export function matchingBrace(text: string, start: number): number {
  const stack: string[] = ['}'];
  let index = start + 1;
  while (index < text.length && stack.length > 0) {
    const character = text[index] as string;
    if (character === '"' || character === "'") {
      index = endOfString(text, index, character);
      continue;
    }
    if (character === '/' && text[index + 1] === '/') {
      const lineEnd = text.indexOf('\n', index);
      index = lineEnd === -1 ? text.length : lineEnd;
      continue;
    }
    if (character === '/' && text[index + 1] === '*') {
      const close = text.indexOf('*/', index + 2);
      index = close === -1 ? text.length : close + 2;
      continue;
    }
    if (character === '`') {
      // A template literal: its `${` opens an expression that its `}` closes.
      stack.push('`');
      index = inTemplateLiteral(text, index + 1, stack);
      continue;
    }
    if (character === '{') stack.push('}');
    else if (character === '}') {
      stack.pop();
      if (stack.length === 0) return index;
      if (stack.at(-1) === '`') {
        // Back inside a template literal after its `${…}`.
        index = inTemplateLiteral(text, index + 1, stack);
        continue;
      }
    }
    index++;
  }
  return Math.min(index, text.length - 1);
}

/** Read a template literal's text from `index` to its closing backtick (popped) or its next `${` (pushed); the offset after it. */
function inTemplateLiteral(text: string, index: number, stack: string[]): number {
  while (index < text.length) {
    if (text[index] === '\\') index += 2;
    else if (text[index] === '`') {
      stack.pop();
      return index + 1;
    } else if (text[index] === '$' && text[index + 1] === '{') {
      stack.push('}');
      return index + 2;
    } else index++;
  }
  return index;
}

/** The offset after a quoted string that starts at `start` (it ends at its quote or its line). */
export function endOfString(text: string, start: number, quote: string): number {
  let index = start + 1;
  while (index < text.length && text[index] !== quote && text[index] !== '\n') index += text[index] === '\\' ? 2 : 1;
  return index + 1;
}
