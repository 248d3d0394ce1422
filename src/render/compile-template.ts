import {compile} from '@mdx-js/mdx';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import {SourceMapGenerator} from 'source-map-js';
import type {VFile} from 'vfile';
import {remarkReadFrontmatter} from './frontmatter.js';
import {remarkPlaceExpressions} from './place-expressions.js';
import {remarkTemplateEsm} from './template-esm.js';

/** A compiled template: the function body to run, and its map back to the MDX source. */
export interface CompiledTemplate {
  readonly code: string;
  readonly sourceMap: SourceMapJson | undefined;
  /** The names the template declares itself (in `export` blocks): they hide the scope's names of the same name. */
  readonly declared: readonly string[];
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
 * `@mdx-js/mdx`, plus remark-gfm and remark-frontmatter) to a function body.
 * Development mode passes each element's line and column to the JSX runtime,
 * and the source map lets an error thrown while evaluating be placed in the
 * MDX source; every expression in braces also carries its own place
 * (place-expressions.ts). Syntax errors are thrown as positioned VFileMessages.
 */
export async function compileTemplate(file: VFile): Promise<CompiledTemplate> {
  const output = await compile(file, {
    outputFormat: 'function-body',
    development: true,
    // source-map-js implements the `source-map` generator API that MDX expects.
    SourceMapGenerator: SourceMapGenerator as never,
    remarkPlugins: [remarkFrontmatter, remarkReadFrontmatter, remarkGfm, remarkTemplateEsm, remarkPlaceExpressions],
    // Without these, hast gets React-style names and GFM alignment becomes broken CSS (DESIGN §10).
    elementAttributeNameCase: 'html',
    stylePropertyNameCase: 'css',
  });
  return {code: String(output.value), sourceMap: output.map as SourceMapJson | undefined, declared: file.data.declared ?? []};
}
