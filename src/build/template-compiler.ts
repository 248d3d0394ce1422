import {Diagnostics, type StoredWarning} from '../diagnostics/diagnostics.js';
import {prepareTemplate} from '../render/prepare-template.js';
import type {PreparedTemplate} from '../render/render-report.js';
import {TEMPLATES_DIR} from '../project.js';
import {sha256} from '../tool/hash.js';
import type {InputReader} from './input-reader.js';
import type {WorkerPool} from './worker-pool.js';
import {adoptMessages, storeMessages, type StoredMessage} from './worker-protocol.js';

/** A compiled template with its hash and the compiler's warnings. */
export interface CompiledResult {
  readonly template: PreparedTemplate;
  readonly templateHash: string;
  readonly warnings: readonly StoredWarning[];
}

/** What compiling one template gave: the template (unless it failed), its messages, the hash of its text. */
interface CompileOutcome {
  readonly template: PreparedTemplate | undefined;
  readonly messages: StoredMessage[];
  readonly templateHash: string;
}

/**
 * Templates compiled by this process, by a hash of the tool, path and text:
 * the dev server's next build compiles only what changed. Never on disk:
 * compiled templates are code, and the build cache is input, untrusted (a
 * cache restored in CI could hold anything), so no code is run from it.
 */
const COMPILED_HERE = new Map<string, CompileOutcome>();

/**
 * Compiles templates, each once: from this process's memory when its text
 * and the tool are unchanged, else in a worker as soon as it is started (or
 * in this thread, without workers, when its result is asked for). Results
 * come back in the order asked, with their messages added to the build's
 * diagnostics then, so reports list them the same way however the work was
 * spread.
 */
export class TemplateCompiler {
  readonly #jobs = new Map<string, {text: Promise<string>; result: Promise<CompileOutcome>}>();

  constructor(
    private readonly reader: InputReader,
    private readonly fingerprint: string,
    private readonly pool: WorkerPool | undefined,
  ) {}

  /** Begin compiling `name` (a file in templates/). */
  start(name: string): void {
    if (this.#jobs.has(name)) return;
    const relative = `${TEMPLATES_DIR}/${name}`;
    const text = this.reader.readText(relative);
    const result = text.then(async (source): Promise<CompileOutcome> => {
      const templateHash = sha256(source);
      const key = sha256(`${this.fingerprint}\0${relative}\0${templateHash}`);
      const hit = COMPILED_HERE.get(key);
      if (hit) return hit;
      const compiled = this.pool ? await this.pool.compile(relative, source) : await compileHere(relative, source);
      const outcome = {...compiled, templateHash};
      if (compiled.template && !compiled.messages.some((message) => message.fatal)) COMPILED_HERE.set(key, outcome);
      return outcome;
    });
    // Read below, in order; a failure here must not surface as an unhandled rejection first.
    result.catch(() => undefined);
    this.#jobs.set(name, {text, result});
  }

  textOf(name: string): Promise<string> {
    this.start(name);
    return (this.#jobs.get(name) as {text: Promise<string>}).text;
  }

  async hashOf(name: string): Promise<string> {
    return sha256(await this.textOf(name));
  }

  /** The compiled templates, in the order of `names`; problems are added to `diagnostics`, failed templates left out. */
  async results(names: readonly string[], diagnostics: Diagnostics): Promise<CompiledResult[]> {
    const compiled: CompiledResult[] = [];
    for (const name of names) {
      this.start(name);
      const {template, messages, templateHash} = await (this.#jobs.get(name) as {result: Promise<CompileOutcome>})
        .result;
      adoptMessages(messages, diagnostics);
      if (template)
        compiled.push({
          template,
          templateHash,
          warnings: messages.filter((message) => !message.fatal).map(({fatal: _fatal, ...warning}) => warning),
        });
    }
    return compiled;
  }
}

/** Compile in this thread, with the same result as a worker gives. */
async function compileHere(
  relative: string,
  text: string,
): Promise<{template: PreparedTemplate | undefined; messages: StoredMessage[]}> {
  const own = new Diagnostics();
  const template = await prepareTemplate(relative, text, own);
  return {template, messages: storeMessages(own)};
}
