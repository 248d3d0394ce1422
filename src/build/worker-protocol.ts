import type {RenderedChart} from '../charts/chart-output.js';
import type {Diagnostics, Place, RuleId} from '../diagnostics/diagnostics.js';
import type {PreparedTemplate} from '../render/render-report.js';

/** What the main thread asks a build worker to do. */
export type WorkerRequest =
  | {readonly id: number; readonly kind: 'compile'; readonly path: string; readonly text: string}
  | {readonly id: number; readonly kind: 'chart'; readonly spec: unknown};

/** A worker's answer, by request id. */
export type WorkerResponse =
  | {
      readonly id: number;
      readonly kind: 'compile';
      readonly template: PreparedTemplate | undefined;
      readonly messages: StoredMessage[];
    }
  | {readonly id: number; readonly kind: 'chart'; readonly chart: RenderedChart}
  | {
      readonly id: number;
      readonly kind: 'error';
      readonly name: string;
      readonly message: string;
      readonly stack: string | undefined;
    };

/** A diagnostic as it crosses between threads: errors and warnings alike. */
export interface StoredMessage {
  readonly file: string;
  readonly reason: string;
  readonly place?: Place;
  readonly ruleId: RuleId;
  readonly fatal: boolean;
}

export function storeMessages(diagnostics: Diagnostics): StoredMessage[] {
  return diagnostics.files.flatMap((file) =>
    file.messages.map((message) => ({
      file: file.path,
      reason: message.reason,
      place: message.place ?? undefined,
      ruleId: message.ruleId as RuleId,
      fatal: message.fatal === true,
    })),
  );
}

export function adoptMessages(messages: readonly StoredMessage[], diagnostics: Diagnostics): void {
  for (const message of messages) {
    if (message.fatal) diagnostics.error(message.file, message.reason, message.place, message.ruleId);
    else diagnostics.warn(message.file, message.reason, message.place, message.ruleId);
  }
}
