import type {Diagnostics, StoredWarning} from '../diagnostics/diagnostics.js';
import type {PreparedTemplate} from '../render/render-report.js';
import {TEMPLATES_DIR} from '../project.js';
import {sha256} from '../tool/hash.js';
import type {InputReader} from './input-reader.js';
import {TemplateStopped, type TemplateRunner} from './template-runner.js';
import {adoptMessages, type StoredMessage} from './worker-protocol.js';

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
 * Templates compiled in this build's process (by the template process,
 * sent back as text), by a hash of the tool, path and text, one per
 * template path (the latest): the dev server's next build compiles only
 * what changed. Only a process that builds again keeps them (a build to a
 * folder ends its process: at 200 reports they are some 10 MB it would
 * hold to its end, issue #18). Never on disk: compiled templates are code, and the build
 * cache is input, untrusted (a cache restored in CI could hold anything),
 * so no code is run from it.
 */
const COMPILED_HERE = new Map<string, {readonly key: string; readonly outcome: CompileOutcome}>();

/**
 * Most templates compiled ahead of the report that takes them. A cold build asks for every template at once
 * (they compile while the data loads, and between the reports' runs); each asked-for one waited with its text
 * in the template process's queue, and at 200 generated reports the build's process held 189 texts, 4.2 MB
 * (issue #18, heap snapshot). Sixteen: a site of up to 16 reports is compiled as before, all at once.
 */
const COMPILE_AHEAD = 16;

/**
 * Compiles templates, each once: from this process's memory when its text
 * and the tool are unchanged, else in the template process as soon as it
 * is started (template-runner.ts). Results come back in the order asked,
 * with their messages added to the build's diagnostics then, so reports
 * list them the same way however the work was spread.
 */
export class TemplateCompiler {
  readonly #texts = new Map<string, Promise<string>>();
  /** Compiles under way or done, not yet taken. */
  readonly #results = new Map<string, Promise<CompileOutcome>>();
  /** Templates asked for and not yet begun, in the order asked. */
  readonly #queued = new Set<string>();

  constructor(
    private readonly reader: InputReader,
    private readonly fingerprint: string,
    private readonly runner: TemplateRunner,
    /** Whether this process builds again (the dev server, `check`): its compiled templates are then kept for the next build. */
    private readonly buildsAgain = true,
  ) {}

  /**
   * Compile `name` (a file in templates/): at once while fewer than COMPILE_AHEAD compiled templates wait to
   * be taken (results), else once one is taken, in the order asked.
   */
  start(name: string): void {
    if (this.#results.has(name) || this.#queued.has(name)) return;
    this.#queued.add(name);
    this.#fill();
  }

  /** Begin compiling the templates asked for, oldest first, until COMPILE_AHEAD are under way. */
  #fill(): void {
    for (const name of this.#queued) {
      if (this.#results.size >= COMPILE_AHEAD) return;
      this.#begin(name);
    }
  }

  #begin(name: string): void {
    this.#queued.delete(name);
    const relative = `${TEMPLATES_DIR}/${name}`;
    const result = this.textOf(name).then(async (source): Promise<CompileOutcome> => {
      const templateHash = sha256(source);
      const key = sha256(`${this.fingerprint}\0${relative}\0${templateHash}`);
      const hit = COMPILED_HERE.get(relative);
      if (hit?.key === key) return hit.outcome;
      const compiled = await this.runner.compile(relative, source).catch((error: unknown) => {
        if (!(error instanceof TemplateStopped) || error.reason === 'aborted') throw error;
        return {template: undefined, messages: [stoppedMessage(relative, error)]};
      });
      const outcome = {template: compiled.template, messages: compiled.messages, templateHash};
      if (!this.buildsAgain) COMPILED_HERE.delete(relative);
      else if (compiled.template && !compiled.messages.some((message) => message.fatal))
        COMPILED_HERE.set(relative, {key, outcome});
      return outcome;
    });
    // Read below, in order; a failure here must not surface as an unhandled rejection first.
    result.catch(() => undefined);
    this.#results.set(name, result);
  }

  /** The template's text, read once; reading it compiles nothing (a report the cache holds is not compiled). */
  textOf(name: string): Promise<string> {
    let text = this.#texts.get(name);
    if (!text) {
      text = this.reader.readText(`${TEMPLATES_DIR}/${name}`);
      text.catch(() => undefined);
      this.#texts.set(name, text);
    }
    return text;
  }

  async hashOf(name: string): Promise<string> {
    return sha256(await this.textOf(name));
  }

  /**
   * The compiled templates, in the order of `names`; problems are added to
   * `diagnostics`, failed templates left out. Each result is handed out
   * once: the compiler keeps no compiled template after that.
   */
  async results(names: readonly string[], diagnostics: Diagnostics): Promise<CompiledResult[]> {
    const compiled: CompiledResult[] = [];
    for (const name of names) {
      // Asked for now: begun now, whatever waits.
      if (!this.#results.has(name)) this.#begin(name);
      const {template, messages, templateHash} = await (this.#results.get(name) as Promise<CompileOutcome>);
      this.#results.delete(name);
      this.#texts.delete(name);
      this.#fill();
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

/** A template whose process was stopped (too slow, out of memory, ended), as an error at the template. */
export function stoppedMessage(file: string, error: TemplateStopped): StoredMessage {
  return {file, reason: error.message, place: {line: 1, column: 1}, ruleId: 'template-error', fatal: true};
}
