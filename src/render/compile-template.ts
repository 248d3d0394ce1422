import {compile} from '@mdx-js/mdx';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import {SourceMapGenerator} from 'source-map-js';
import {VFile} from 'vfile';
import {VFileMessage} from 'vfile-message';
import {remarkReadFrontmatter} from './frontmatter.js';
import {remarkInlineInParagraph} from './inline-in-paragraph.js';
import {remarkPlaceComponents} from './place-components.js';
import {remarkPlaceExpressions} from './place-expressions.js';
import {remarkTemplateEsm} from './template-esm.js';

/** A compiled template: the function body to run, and the MDX source it was compiled from. */
export interface CompiledTemplate {
  readonly code: string;
  /** The template's path and text: an error thrown while it runs is placed by compiling it again with a source map (sourceMapOf). */
  readonly source: TemplateSource;
  /** The names the template declares itself (in `export` blocks): they hide the scope's names of the same name. */
  readonly declared: readonly string[];
  /** Compiled in development mode (each element's place passed to the JSX runtime): only to place an error (inDevelopment). */
  readonly development: boolean;
}

export interface TemplateSource {
  readonly path: string;
  readonly text: string;
}

export interface SourceMapJson {
  version: number;
  sources: string[];
  names: string[];
  mappings: string;
  file?: string;
}

/**
 * Compile an MDX template through unified (remark-parse and remark-mdx inside
 * `@mdx-js/mdx`, plus remark-gfm and remark-frontmatter) to a function body,
 * in production mode: its JSX calls carry no place (a third less code than
 * development mode, issue #18). What places a diagnostic is in the code
 * anyway: every expression in braces carries its own place
 * (place-expressions.ts), every component tag its own (place-components.ts);
 * an error thrown at an element written in lower case or a component that
 * is not defined is placed by running the template again compiled in
 * development mode (inDevelopment), which passes each element's line and
 * column to the JSX runtime. An expression or inline component alone on a
 * line of a paragraph stays in it (inline-in-paragraph.ts). Syntax errors
 * are thrown as positioned VFileMessages.
 */
export async function compileTemplate(file: VFile, development = false): Promise<CompiledTemplate> {
  // Read first: compiling puts the code in the file's value.
  const source = {path: file.path, text: String(file.value)};
  const output = await compileMdx(file, development, false).catch((error: unknown) =>
    Promise.reject(placed(error, file)),
  );
  return {
    code: String(output.value),
    source,
    declared: file.data.declared ?? [],
    development,
  };
}

/**
 * The template compiled again in development mode, to run it once more
 * when its run stopped at an error (render-report.ts); itself when it
 * already is; `undefined` when the source no longer compiles.
 */
export async function inDevelopment(compiled: CompiledTemplate): Promise<CompiledTemplate | undefined> {
  if (compiled.development) return compiled;
  return compileTemplate(new VFile({path: compiled.source.path, value: compiled.source.text}), true).catch(
    () => undefined,
  );
}

/**
 * The map from a compiled template's code back to its MDX source, by compiling
 * the source again with one: the same code, so an error's stack frame in it
 * can be placed in the template. `undefined` when the code came out different
 * (it never should: compiling is deterministic) or the source no longer compiles.
 */
export async function sourceMapOf(compiled: CompiledTemplate): Promise<SourceMapJson | undefined> {
  const file = new VFile({path: compiled.source.path, value: compiled.source.text});
  const output = await compileMdx(file, compiled.development, true).catch(() => undefined);
  return output && String(output.value) === compiled.code ? (output.map as SourceMapJson | undefined) : undefined;
}

function compileMdx(file: VFile, development: boolean, withSourceMap: boolean) {
  return compile(file, {
    outputFormat: 'function-body',
    development,
    // source-map-js implements the `source-map` generator API that MDX expects.
    SourceMapGenerator: withSourceMap ? (SourceMapGenerator as never) : undefined,
    remarkPlugins: [
      remarkFrontmatter,
      remarkReadFrontmatter,
      remarkGfm,
      remarkTemplateEsm,
      remarkInlineInParagraph,
      remarkPlaceExpressions,
      remarkPlaceComponents,
    ],
    // Without these, hast gets React-style names and GFM alignment becomes broken CSS (found when the pipeline was first wired up).
    elementAttributeNameCase: 'html',
    stylePropertyNameCase: 'css',
  });
}

/**
 * A syntax error as a message with a place. Some have none: a JSX tag left
 * open at the end of the file (its opening tag is only in the text of the
 * message), or the parser's own plain Errors for constructs closed in the
 * wrong order. They are placed at the first position their text names, else
 * at the end of the file.
 */
function placed(error: unknown, file: VFile): unknown {
  if (error instanceof VFileMessage && error.place) return error;
  // The Markdown parser's own (`Cannot close `x` (1:2-3:4): a different token … is open`); any other Error is a bug, not the text's.
  if (
    !(error instanceof VFileMessage) &&
    !(error instanceof Error && /^Cannot close `[^`]*` \(\d+:\d+/.test(error.message))
  )
    return error;
  const message =
    error instanceof VFileMessage
      ? error
      : new VFileMessage(error.message, {cause: error, ruleId: 'mdx-syntax', source: 'tradeoffs'});
  const named = /\((\d+):(\d+)(?:-(\d+):(\d+))?\)/.exec(message.reason);
  const lines = String(file.value).split(/\r\n|\r|\n/);
  const start = named
    ? {line: Number(named[1]), column: Number(named[2])}
    : {line: lines.length, column: (lines.at(-1) ?? '').length + 1};
  const end = named?.[3] ? {line: Number(named[3]), column: Number(named[4])} : start;
  message.place = {start, end};
  message.line = start.line;
  message.column = start.column;
  return message;
}
