import {largeExpressions, MAX_EXPRESSION_CHARACTERS} from './large-expressions.js';
import {VFile} from 'vfile';
import {VFileMessage} from 'vfile-message';
import {z} from 'zod';
import type {Diagnostics} from '../diagnostics/diagnostics.js';
import type {CompiledTemplate} from './compile-template.js';
import {frontmatterSchema, type Frontmatter} from './frontmatter.js';

/** A template parsed and compiled, ready to run; `undefined` parts mean it failed. */
export interface PreparedTemplate {
  readonly slug: string;
  readonly path: string;
  readonly compiled: CompiledTemplate;
  readonly frontmatter: Frontmatter;
}

/** A prepared template as the build cache keeps it. */
export const preparedTemplateSchema: z.ZodType<PreparedTemplate> = z.object({
  slug: z.string(),
  path: z.string(),
  compiled: z.object({
    code: z.string(),
    source: z.object({path: z.string(), text: z.string()}),
    declared: z.array(z.string()),
    development: z.boolean(),
  }),
  frontmatter: frontmatterSchema,
});

/**
 * Parse and compile one template (MDX syntax and frontmatter). Problems are
 * recorded in `diagnostics` with their line and column.
 */
export async function prepareTemplate(
  path: string,
  text: string,
  diagnostics: Diagnostics,
): Promise<PreparedTemplate | undefined> {
  const large = largeExpressions(text);
  if (large.length > 0) {
    for (const {offset, length} of large) {
      diagnostics.error(
        path,
        `Unexpected expression of ${Math.round(length / 1024)} KB in braces, expected at most ${MAX_EXPRESSION_CHARACTERS / 1024} KB: MDX compiles a large literal slowly (95 KB takes over a minute). Put the data in a file under data/ and name it in the spec (\`data: {url: 'data/rows.csv'}\`), or declare it once in an export block (\`export const rows = [...]\`) and write \`{rows}\``,
        placeOf(text, offset),
        'mdx-syntax',
      );
    }
    return undefined;
  }
  const file = new VFile({path, value: text});
  let compiled: CompiledTemplate;
  try {
    // Loaded on first use: a build whose workers compile never loads the MDX compiler here.
    const {compileTemplate} = await import('./compile-template.js');
    compiled = await compileTemplate(file);
  } catch (error) {
    if (!(error instanceof VFileMessage)) throw error;
    explainAcornError(error);
    error.ruleId = 'mdx-syntax';
    error.source = 'tradeoffs';
    diagnostics.adopt(path, error);
    return undefined;
  }
  for (const message of file.messages) diagnostics.adopt(path, message);
  const frontmatter = file.data.frontmatter;
  if (!frontmatter) return undefined;
  return {slug: slugOf(path), path, compiled, frontmatter};
}

/**
 * MDX reports a JavaScript syntax error inside braces or an export block as
 * "Could not parse expression with acorn", with acorn's own reason only in
 * the cause: put that reason and what was expected into the message.
 */
function explainAcornError(error: VFileMessage): void {
  const match = /^Could not parse (expression|import\/exports) with acorn$/.exec(error.reason);
  if (!match) return;
  const cause = error.cause instanceof Error ? error.cause.message : 'a syntax error';
  const expected =
    match[1] === 'expression'
      ? 'expected one complete JavaScript expression between `{` and `}` (an operator, bracket or string left open ends it early)'
      : 'expected complete `import`/`export` statements (a bracket or string left open, or a blank line inside one, ends the block early)';
  error.reason = `${cause} in ${match[1] === 'expression' ? 'the expression' : 'the export block'}, ${expected}`;
  error.message = error.reason;
}

/** Line and column (1-based) of an offset in a text. */
function placeOf(text: string, offset: number): {line: number; column: number} {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return {line: before.split('\n').length, column: offset - lineStart + 1};
}

/** `templates/deepseek-v3.mdx` → `deepseek-v3`. */
export function slugOf(path: string): string {
  const name = path.split('/').at(-1) ?? path;
  return name.replace(/\.mdx$/, '');
}
