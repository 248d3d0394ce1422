import {z} from 'zod';
import {modelErrorSchema} from '../data/catalog-json.js';
import type {UsageKey} from '../data/catalog-usage.js';
import {RULE_IDS, type Diagnostics, type Place, type RuleId} from '../diagnostics/diagnostics.js';
import type {ModelError} from '../estimate/calibration/model-error.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import type {EvaluatedPage, PreparedTemplate} from '../render/render-report.js';
import type {CatalogSnapshot} from './catalog-snapshot.js';
import type {EstimateCacheOptions} from './estimate-cache.js';

/**
 * What the build asks the template process (template-worker.ts) to do, and
 * its answers. Messages cross by Node's advanced IPC serialisation (the
 * structured clone algorithm): Maps, Sets and shared references arrive as
 * they were sent, so a chart request still points at its figure in the page.
 */
export type WorkerRequest =
  /** The data the templates run with; sent before the first render, and again to a restarted process. */
  | {
      readonly kind: 'setup';
      readonly catalog: CatalogSnapshot;
      readonly sampling: SamplingOptions;
      /** Where estimates of earlier builds are kept (estimate-cache.ts), when the build has a cache. */
      readonly estimates?: EstimateCacheOptions | undefined;
    }
  | {readonly id: number; readonly kind: 'compile'; readonly path: string; readonly text: string}
  | {readonly id: number; readonly kind: 'render'; readonly template: PreparedTemplate}
  /** The training and serving models' errors, as the templates' estimates use them (computed once per build). */
  | {readonly id: number; readonly kind: 'model-errors'};

/** A request that gets an answer (all but `setup`). */
export type WorkerJob = Extract<WorkerRequest, {id: number}>;

/** The process's answer to a job, by its id. */
export type WorkerResponse =
  | {
      readonly id: number;
      readonly kind: 'compile';
      readonly template?: PreparedTemplate | undefined;
      readonly messages: StoredMessage[];
    }
  | {
      readonly id: number;
      readonly kind: 'render';
      /** The page, unless the template failed (its errors are in `messages`). */
      readonly page?: EvaluatedPage | undefined;
      readonly messages: StoredMessage[];
      /** The records the template read, for the report's usage. */
      readonly used: UsageKey[];
    }
  | {
      readonly id: number;
      readonly kind: 'model-errors';
      readonly training?: ModelError | undefined;
      readonly serving?: ModelError | undefined;
    }
  | {
      readonly id: number;
      readonly kind: 'error';
      readonly name: string;
      readonly message: string;
      readonly stack?: string | undefined;
    };

/** A diagnostic as it crosses between processes: errors and warnings alike, with the cause of an error. */
export interface StoredMessage {
  readonly file: string;
  readonly reason: string;
  readonly place?: Place;
  readonly ruleId: RuleId;
  readonly fatal: boolean;
  /** What caused an error (an Error, as structured clone keeps it), for `--verbose`. */
  readonly cause?: unknown;
}

export function storeMessages(diagnostics: Diagnostics): StoredMessage[] {
  return diagnostics.files.flatMap((file) =>
    file.messages.map((message) => ({
      file: file.path,
      reason: message.reason,
      place: message.place ?? undefined,
      ruleId: message.ruleId as RuleId,
      fatal: message.fatal === true,
      ...(message.cause === undefined ? {} : {cause: cloneableCause(message.cause)}),
    })),
  );
}

export function adoptMessages(messages: readonly StoredMessage[], diagnostics: Diagnostics): void {
  for (const message of messages) {
    if (message.fatal) diagnostics.error(message.file, message.reason, message.place, message.ruleId, message.cause);
    else diagnostics.warn(message.file, message.reason, message.place, message.ruleId);
  }
}

/** A cause as structured clone can carry it: an Error's name, message and stack (and its own cause), else its text. */
function cloneableCause(cause: unknown): unknown {
  if (!(cause instanceof Error)) return typeof cause === 'string' ? cause : String(cause);
  const copy = new Error(cause.message);
  copy.name = cause.name;
  copy.stack = cause.stack;
  if (cause.cause !== undefined) copy.cause = cloneableCause(cause.cause);
  return copy;
}

/** An object as structured clone gives it (a page, a compiled template), kept as it crossed: checked further where it is used. */
const objectOf = <T extends object>() =>
  z.custom<T>((value) => typeof value === 'object' && value !== null, 'expected an object');
/** A model error, kept as it crossed. */
const modelError = z.custom<ModelError>((value) => modelErrorSchema.safeParse(value).success, 'expected a model error');

const storedMessageSchema = z.object({
  file: z.string(),
  reason: z.string(),
  place: z.custom<Place>((value) => value === undefined || (typeof value === 'object' && value !== null)).optional(),
  ruleId: z.enum(RULE_IDS),
  fatal: z.boolean(),
  cause: z.unknown().optional(),
});

/**
 * The answers the build takes from the template process, checked as they
 * cross (a template's code runs there and could post messages of its own):
 * the envelope and every field the build reads, the page and the compiled
 * template as objects (the build's own checks read them further).
 */
const responseSchema = z.discriminatedUnion('kind', [
  z.object({
    id: z.number(),
    kind: z.literal('compile'),
    template: objectOf<PreparedTemplate>().optional(),
    messages: z.array(storedMessageSchema),
  }),
  z.object({
    id: z.number(),
    kind: z.literal('render'),
    page: objectOf<EvaluatedPage>().optional(),
    messages: z.array(storedMessageSchema),
    used: z.array(z.custom<UsageKey>((value) => typeof value === 'string')),
  }),
  z.object({
    id: z.number(),
    kind: z.literal('model-errors'),
    training: modelError.optional(),
    serving: modelError.optional(),
  }),
  z.object({
    id: z.number(),
    kind: z.literal('error'),
    name: z.string(),
    message: z.string(),
    stack: z.string().optional(),
  }),
]);

/**
 * A message from the template process as an answer, or undefined when it is not one. The page and the
 * template in it are the objects that crossed (not copies), so a chart request still points into its page.
 */
export function parseResponse(message: unknown): WorkerResponse | undefined {
  const parsed = responseSchema.safeParse(message);
  return parsed.success ? parsed.data : undefined;
}
