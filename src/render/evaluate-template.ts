import type {Root} from 'hast';
import {SourceMapConsumer} from 'source-map-js';
import type {Point} from 'unist';
import {unknownIdReason} from '../diagnostics/nearest-id.js';
import type {CompiledTemplate} from './compile-template.js';
import {createHastRuntime, type Component} from './jsx-runtime.js';
import {EXPRESSION_HELPER} from './place-expressions.js';
import {isFrozenWrite} from './read-only.js';
import {TemplateError} from './template-error.js';

/** MDX's own message for a tag (`<Nope>`, or the `nope` of `<nope.x>`) that is neither imported nor passed (development mode). */
const MISSING_COMPONENT = /^Expected (?:component|object) `([^`]+)` to be defined[\s\S]*?at `(\d+):(\d+)/;

/** Lines `new AsyncFunction(body)` puts before the body (`async function anonymous(\n) {\n`). */
const FUNCTION_HEADER_LINES = 2;

/**
 * Run a compiled template and return its content as a hast tree. `scope`
 * holds the names a template may use without importing them (the catalog and
 * estimate helpers); `components` the tags it may use. An error thrown while
 * evaluating is rethrown as a TemplateError placed in the MDX source.
 */
export async function evaluateTemplate(
  compiled: CompiledTemplate,
  scope: Readonly<Record<string, unknown>>,
  components: Readonly<Record<string, Component>>,
  onId?: (id: string, place: Point | undefined) => void,
): Promise<Root> {
  const runtime = createHastRuntime(onId);
  // What an expression threw, as the error that stops the template, with the place of its expression: placed
  // more exactly once the template has stopped, where the error's stack says it was thrown (placeOfError).
  const thrownAt = new WeakMap<TemplateError, {thrown: unknown; place: Point}>();
  // Every expression in braces goes through this (place-expressions.ts): what it throws, and a child it gives that cannot be shown, are placed at it.
  const expression = (value: unknown, line: number, column: number, isChild: boolean, deferred: boolean) => {
    const place = {line, column};
    let result: unknown;
    try {
      result = deferred ? (value as () => unknown)() : value;
    } catch (error) {
      if (error instanceof TemplateError && error.place) throw error;
      const stopped = templateError(error, place);
      thrownAt.set(stopped, {thrown: error, place});
      throw stopped;
    }
    return isChild ? runtime.child(result, place) : result;
  };
  const withHelper = {...scope, [EXPRESSION_HELPER]: expression};
  const body = injectScope(
    compiled.code,
    Object.keys(withHelper).filter((name) => !compiled.declared.includes(name)),
  );
  try {
    const module = await run(body, {...runtime, scope: withHelper, baseUrl: import.meta.url});
    // Awaited: MDX makes the content asynchronous when an expression in braces awaits.
    const content = await (module.default as (props: unknown) => unknown)({components});
    return asRoot(content);
  } catch (error) {
    const thrown = error instanceof TemplateError ? thrownAt.get(error) : undefined;
    if (thrown) throw templateError(thrown.thrown, (await placeOfError(thrown.thrown, compiled)) ?? thrown.place);
    if (error instanceof TemplateError && error.place) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const missing = MISSING_COMPONENT.exec(message);
    if (missing) {
      const [, name = '', line, column] = missing;
      const reason = unknownIdReason('component', name, Object.keys(components)).replace(' id ', ' ');
      throw new TemplateError(reason, {line: Number(line), column: Number(column)}, 'template-error');
    }
    throw templateError(error, await placeOfError(error, compiled));
  }
}

/** An error thrown while evaluating, as a TemplateError at `place`. */
function templateError(error: unknown, place: Point | undefined): TemplateError {
  const message = isFrozenWrite(error)
    ? `${(error as Error).message}: what the scope gives (the catalog's records, estimates) is read-only, shared by every report; change a copy (\`[...list].reverse()\`, \`{...record}\`)`
    : error instanceof Error
      ? error.message
      : `The template threw ${describeThrown(error)}`;
  const ruleId = error instanceof TemplateError ? error.ruleId : 'template-error';
  return new TemplateError(message, place, ruleId, {cause: error});
}

/** A thrown value that is not an Error, for a message. */
function describeThrown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (
    value === null ||
    value === undefined ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  )
    return `\`${String(value)}\``;
  return `a ${typeof value === 'object' ? 'value' : typeof value} that is not an Error`;
}

/**
 * Declare the scope's names at the top of the function body, on the line MDX
 * already uses to read its runtime from `arguments[0]`, so no line moves and
 * the source map stays right.
 */
function injectScope(code: string, names: readonly string[]): string {
  const marker = '= arguments[0];';
  const at = code.indexOf(marker);
  if (at === -1 || names.length === 0) return code;
  const end = at + marker.length;
  return `${code.slice(0, end)} const {${names.join(', ')}} = arguments[0].scope;${code.slice(end)}`;
}

/** What MDX's `run` does with a function body, without loading the MDX compiler into this thread. */
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
  body: string,
) => (options: unknown) => Promise<Record<string, unknown>>;

function run(body: string, options: unknown): Promise<Record<string, unknown>> {
  return new AsyncFunction(body)(options);
}

/**
 * Map the first stack frame inside the template's function back to its MDX
 * line and column, with the template's source map (made now: only an error
 * needs it, compile-template.ts).
 */
async function placeOfError(error: unknown, compiled: CompiledTemplate): Promise<Point | undefined> {
  if (!(error instanceof Error) || !error.stack) return undefined;
  const frame = /<anonymous>:(\d+):(\d+)/.exec(error.stack);
  if (!frame) return undefined;
  // Loaded on first use: the process that runs templates has compiled them, so this loads nothing new.
  const sourceMap = await (await import('./compile-template.js')).sourceMapOf(compiled);
  if (!sourceMap) return undefined;
  const line = Number(frame[1]) - FUNCTION_HEADER_LINES;
  const column = Number(frame[2]) - 1;
  const consumer = new SourceMapConsumer(sourceMap as never);
  for (const bias of [SourceMapConsumer.GREATEST_LOWER_BOUND, SourceMapConsumer.LEAST_UPPER_BOUND]) {
    const original = consumer.originalPositionFor({line, column, bias});
    if (original.line !== null && original.line !== undefined) {
      return {line: original.line, column: (original.column ?? 0) + 1};
    }
  }
  return undefined;
}

function asRoot(content: unknown): Root {
  if (content && typeof content === 'object' && (content as Root).type === 'root') return content as Root;
  return {type: 'root', children: content ? [content as Root['children'][number]] : []};
}
