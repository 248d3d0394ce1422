import {fork, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import type {Catalog} from '../data/catalog.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import type {PreparedTemplate} from '../render/render-report.js';
import {DEFAULT_TEMPLATE_TIMEOUT_SECONDS} from '../project.js';
import {toolRoot} from '../tool/assets.js';
import {snapshotCatalog} from './catalog-snapshot.js';
import type {EstimateCacheOptions} from './estimate-cache.js';
import {createTemplateHost} from './template-host.js';
import {parseResponse, type WorkerJob, type WorkerRequest, type WorkerResponse} from './worker-protocol.js';

/**
 * The heap the template process may use (a default, far above what a build
 * needs: a 200-report build stays under a tenth of it), so that a template
 * that allocates without end stops there rather than taking the machine's
 * memory. TRADEOFFS_TEMPLATE_HEAP_MB changes it (64 or more).
 */
export const DEFAULT_TEMPLATE_HEAP_MB = 2048;

/** The template process's heap limit: TRADEOFFS_TEMPLATE_HEAP_MB when it is a whole number from 64 on, else the default. */
export function templateHeapMb(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.TRADEOFFS_TEMPLATE_HEAP_MB);
  return Number.isInteger(value) && value >= 64 ? value : DEFAULT_TEMPLATE_HEAP_MB;
}

export type CompileAnswer = Extract<WorkerResponse, {kind: 'compile'}>;
export type RenderAnswer = Extract<WorkerResponse, {kind: 'render'}>;
export type ModelErrorsAnswer = Extract<WorkerResponse, {kind: 'model-errors'}>;

/** Compiles and runs templates for a build, each job bounded in time and memory where it can be. */
export interface TemplateRunner {
  /** The data the templates run with (and where earlier builds' estimates are kept): before the first render. */
  setup(catalog: Catalog, sampling: SamplingOptions, estimates?: EstimateCacheOptions): void;
  compile(path: string, text: string): Promise<CompileAnswer>;
  render(template: PreparedTemplate): Promise<RenderAnswer>;
  /** The models' errors, from the calibrations the templates' estimates use (after setup). */
  modelErrors(): Promise<ModelErrorsAnswer>;
  /** End the template process, if any (pending jobs fail). */
  close(): Promise<void>;
}

export interface RunnerOptions {
  /** Stop a template that takes longer than this (milliseconds). */
  readonly timeoutMs?: number;
  /** Stop everything: pending jobs fail with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** The most the template process's young generation may grow to, per semi-space, in MB (heap-trim.ts); V8's own when absent. */
  readonly semiSpaceMb?: number | undefined;
}

/** Why a template's job never finished: the process running it was stopped, or ended. */
export class TemplateStopped extends Error {
  constructor(
    message: string,
    readonly reason: 'timeout' | 'memory' | 'exit' | 'aborted',
  ) {
    super(message);
    this.name = 'TemplateStopped';
  }
}

/**
 * The runner for a build: the template process when the tool is bundled
 * (dist/template-worker.js), else this thread (running from source, as unit
 * tests do: no bounds).
 */
export function createTemplateRunner(options: RunnerOptions = {}): TemplateRunner {
  const file = path.join(toolRoot(), 'dist', 'template-worker.js');
  return existsSync(file) ? processRunner(file, options) : localRunner();
}

/** Templates compiled and run in this thread, one job at a time. */
function localRunner(): TemplateRunner {
  const host = createTemplateHost();
  let nextId = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const run = (job: WorkerJob): Promise<WorkerResponse> => {
    const result = queue.then(() => host.work(job));
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    setup: (catalog, sampling, estimates) => host.setup(catalog, sampling, estimates),
    compile: async (file, text) => compiled(await run({id: nextId++, kind: 'compile', path: file, text})),
    render: async (template) => rendered(await run({id: nextId++, kind: 'render', template})),
    modelErrors: async () => answered(await run({id: nextId++, kind: 'model-errors'})),
    close: async () => undefined,
  };
}

/** Jobs sent ahead of the one running, so the process never waits for the build to send the next. */
const JOBS_AHEAD = 1;

interface Pending {
  readonly job: WorkerJob;
  readonly resolve: (response: WorkerResponse) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Templates compiled and run in a child process, started on the first job.
 * The process does one job at a time, in the order sent; the job at the head
 * of the line is timed from when it starts. A job that runs past the time
 * limit is stopped with the process; a process that ends or runs out of
 * memory fails the job it was running. Either way the next job starts a new
 * process (given the data again), so one bad template fails alone.
 */
function processRunner(file: string, options: RunnerOptions): TemplateRunner {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TEMPLATE_TIMEOUT_SECONDS * 1000;
  const heapMb = templateHeapMb();
  const semiSpace = options.semiSpaceMb === undefined ? [] : [`--max-semi-space-size=${options.semiSpaceMb}`];
  let setupMessage: WorkerRequest | undefined;
  let child: ChildProcess | undefined;
  let stopping: TemplateStopped | undefined;
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  const waiting: Pending[] = [];
  const sent: Pending[] = [];
  let nextId = 0;
  let closed = false;

  const startTimer = () => {
    clearTimeout(timer);
    const head = sent[0];
    if (!head) return;
    timer = setTimeout(() => {
      stopping = new TemplateStopped(
        `The template did not finish within ${formatSeconds(timeoutMs)} and was stopped: a loop that never ends? (If it needs longer, raise the limit with --template-timeout <seconds>.)`,
        'timeout',
      );
      child?.kill('SIGKILL');
    }, timeoutMs);
  };

  const start = (): ChildProcess => {
    const started = fork(file, [], {
      execArgv: [`--max-old-space-size=${heapMb}`, ...semiSpace],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    stderr = '';
    started.stderr?.setEncoding('utf8');
    // Kept short: enough to tell an exhausted heap from another end.
    started.stderr?.on('data', (text: string) => (stderr = (stderr + text).slice(-4096)));
    started.on('message', (message: unknown) => {
      // Only an answer (checked: worker-protocol.ts), to the job at the head of the line (a template could send messages of its own).
      if (started !== child) return;
      const response = parseResponse(message);
      const headId = sent[0]?.job.id;
      if (response === undefined) {
        // Under the head job's id but not an answer's shape: that job fails rather than waiting for its time limit.
        if (typeof message !== 'object' || message === null || !('id' in message) || message.id !== headId) return;
        sent.shift()?.reject(new Error('the template process answered with a message that is not an answer'));
      } else {
        if (response.id !== headId) return;
        sent.shift()?.resolve(response);
      }
      startTimer();
      pump();
    });
    started.on('close', (code, signal) => {
      if (started !== child) return;
      child = undefined;
      clearTimeout(timer);
      const head = sent.shift();
      // The jobs sent behind it go to the next process.
      waiting.unshift(...sent.splice(0));
      const reason = stopping ?? endedReason(code, signal, stderr, heapMb);
      stopping = undefined;
      head?.reject(reason);
      pump();
    });
    // A process that cannot start (or a message that cannot be sent) ends up in 'close' too.
    started.on('error', () => undefined);
    if (setupMessage) started.send(setupMessage);
    return started;
  };

  const pump = () => {
    if (closed) return;
    while (waiting.length > 0 && sent.length <= JOBS_AHEAD) {
      // A template to run goes before one only to compile: the build is waiting on it.
      const index = Math.max(
        0,
        waiting.findIndex((pending) => pending.job.kind === 'render'),
      );
      const [pending] = waiting.splice(index, 1) as [Pending];
      child ??= start();
      sent.push(pending);
      if (sent.length === 1) startTimer();
      child.send(pending.job);
    }
  };

  const run = (job: WorkerJob): Promise<WorkerResponse> =>
    new Promise<WorkerResponse>((resolve, reject) => {
      if (closed || options.signal?.aborted) {
        reject(abortReason(options.signal));
        return;
      }
      waiting.push({job, resolve, reject});
      pump();
    });

  const stopAll = (error: Error) => {
    closed = true;
    clearTimeout(timer);
    for (const pending of [...sent.splice(0), ...waiting.splice(0)]) pending.reject(error);
    const ending = child;
    child = undefined;
    if (!ending || ending.exitCode !== null || ending.signalCode !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      ending.once('close', () => resolve());
      ending.kill('SIGKILL');
    });
  };
  options.signal?.addEventListener('abort', () => void stopAll(abortReason(options.signal)), {once: true});

  return {
    setup: (catalog, sampling, estimates) => {
      setupMessage = {kind: 'setup', catalog: snapshotCatalog(catalog), sampling, estimates};
      child?.send(setupMessage);
    },
    compile: async (templatePath, text) =>
      compiled(await run({id: nextId++, kind: 'compile', path: templatePath, text})),
    render: async (template) => rendered(await run({id: nextId++, kind: 'render', template})),
    modelErrors: async () => answered(await run({id: nextId++, kind: 'model-errors'})),
    close: () => stopAll(new TemplateStopped('The build ended before the template ran', 'aborted')),
  };
}

/** Why the process ended while running a template, from its exit and what it printed. */
function endedReason(
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
  heapMb: number,
): TemplateStopped {
  if (/heap out of memory|Allocation failed|Reached heap limit|Array buffer allocation failed/i.test(stderr))
    return new TemplateStopped(
      `The template ran out of memory (the process running templates may use ${heapMb.toLocaleString('en-US')} MB) and was stopped: does it build a very large array or string? Compute less, or aggregate first`,
      'memory',
    );
  const how = signal ? `was killed (${signal})` : `ended (exit code ${code ?? 'unknown'})`;
  return new TemplateStopped(
    `The process running the template ${how} before the template finished: a template may not end the build (\`process.exit\`), nor throw outside its expressions`,
    'exit',
  );
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new TemplateStopped('The build was stopped', 'aborted');
}

/** A failure of the tool in the process, rethrown here. */
function toolError(response: Extract<WorkerResponse, {kind: 'error'}>): Error {
  const error = new Error(response.message);
  error.name = response.name;
  if (response.stack) error.stack = response.stack;
  return error;
}

function compiled(response: WorkerResponse): CompileAnswer {
  if (response.kind === 'compile') return response;
  throw response.kind === 'error' ? toolError(response) : new Error(`unexpected answer: ${response.kind}`);
}

function rendered(response: WorkerResponse): RenderAnswer {
  if (response.kind === 'render') return response;
  throw response.kind === 'error' ? toolError(response) : new Error(`unexpected answer: ${response.kind}`);
}

function answered(response: WorkerResponse): ModelErrorsAnswer {
  if (response.kind === 'model-errors') return response;
  throw response.kind === 'error' ? toolError(response) : new Error(`unexpected answer: ${response.kind}`);
}

function formatSeconds(milliseconds: number): string {
  const seconds = milliseconds / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
