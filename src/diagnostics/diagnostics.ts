import {VFile} from 'vfile';
import {VFileMessage} from 'vfile-message';
import type {Point, Position} from 'unist';
import {z} from 'zod';

/** Where a problem is: a whole span, or a single point. */
export type Place = Position | Point | undefined;

/** Categories of problems; they appear as the rule id in reports. */
export const RULE_IDS = [
  'yaml-syntax',
  'schema',
  'unknown-id',
  'duplicate-id',
  'invalid-value',
  'implausible-value',
  'parameter-count',
  'extends',
  'same-setup',
  'memory-fit',
  'figure-mismatch',
  'frontmatter',
  'mdx-syntax',
  'template-error',
  'chart-error',
  'io-error',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** The name every message carries as its source, as unified tools do. */
export const MESSAGE_SOURCE = 'tradeoffs';

/**
 * Collects positioned problems across every file of a run, so a command can
 * report all of them at once (one VFile per file, one VFileMessage per problem).
 */
export class Diagnostics {
  readonly #files = new Map<string, VFile>();
  /** Messages already added, by file, place, rule and text: a problem met twice (a field several records inherit) is reported once. */
  readonly #seen = new Map<string, VFileMessage>();

  /** The VFile for `path` (relative to the project root), created on first use. */
  file(path: string): VFile {
    let file = this.#files.get(path);
    if (!file) {
      file = new VFile({path});
      this.#files.set(path, file);
    }
    return file;
  }

  error(path: string, reason: string, place: Place, ruleId: RuleId, cause?: unknown): VFileMessage {
    return this.#add(path, reason, place, ruleId, true, cause);
  }

  warn(path: string, reason: string, place: Place, ruleId: RuleId): VFileMessage {
    return this.#add(path, reason, place, ruleId, false);
  }

  /** Adopt a message made elsewhere (for example by the MDX compiler). */
  adopt(path: string, message: VFileMessage): void {
    const file = this.file(path);
    message.file = path;
    if (message.fatal === undefined || message.fatal === null) message.fatal = true;
    file.messages.push(message);
  }

  get files(): VFile[] {
    return [...this.#files.values()];
  }

  get errorCount(): number {
    return this.files.reduce((n, file) => n + file.messages.filter((m) => m.fatal === true).length, 0);
  }

  get warningCount(): number {
    return this.files.reduce((n, file) => n + file.messages.filter((m) => m.fatal !== true).length, 0);
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  #add(path: string, reason: string, place: Place, ruleId: RuleId, fatal: boolean, cause?: unknown): VFileMessage {
    const key = JSON.stringify([path, place ?? null, ruleId, fatal, reason]);
    const seen = this.#seen.get(key);
    if (seen) return seen;
    const file = this.file(path);
    const message = new VFileMessage(reason, {
      place,
      ruleId,
      source: MESSAGE_SOURCE,
      cause: cause instanceof Error ? cause : undefined,
    });
    message.file = path;
    message.fatal = fatal;
    file.messages.push(message);
    this.#seen.set(key, message);
    return message;
  }
}

/** Thrown to stop a run whose diagnostics hold at least one error. */
export class DiagnosticsError extends Error {
  constructor(readonly diagnostics: Diagnostics) {
    super(`${diagnostics.errorCount} error(s)`);
    this.name = 'DiagnosticsError';
  }
}

/** A problem found inside the estimation core or a template helper, before its place is known. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly ruleId: RuleId = 'invalid-value',
  ) {
    super(message);
    this.name = 'InputError';
  }
}

const pointSchema = z.object({line: z.number(), column: z.number(), offset: z.number().optional()});

/** A warning as JSON, kept with cached work and in the manifest, so a build that reuses the work reports it again. */
export const storedWarningSchema = z.object({
  file: z.string(),
  reason: z.string(),
  // As JSON keeps it: an undefined place is left out.
  place: z.union([z.object({start: pointSchema, end: pointSchema}), pointSchema]).optional(),
  ruleId: z.enum(RULE_IDS),
});
export type StoredWarning = Readonly<z.infer<typeof storedWarningSchema>>;

/** The warnings of a run, in file order, as JSON. */
export function storeWarnings(diagnostics: Diagnostics): StoredWarning[] {
  return diagnostics.files.flatMap((file) =>
    file.messages
      .filter((message) => message.fatal !== true)
      .map((message) => ({
        file: file.path,
        reason: message.reason,
        place: message.place ?? undefined,
        ruleId: message.ruleId as RuleId,
      })),
  );
}

/** Report stored warnings again. */
export function replayWarnings(warnings: readonly StoredWarning[], diagnostics: Diagnostics): void {
  for (const warning of warnings) diagnostics.warn(warning.file, warning.reason, warning.place, warning.ruleId);
}
