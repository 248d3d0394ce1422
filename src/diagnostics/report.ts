import {reporter} from 'vfile-reporter';
import type {Diagnostics} from './diagnostics.js';

export interface ReportOptions {
  /** Show causes (stack traces), notes and URLs. */
  verbose?: boolean;
  /** Use ANSI colours (default: false, so output is the same in CI and tests). */
  color?: boolean;
}

/**
 * Format every message of a run the way `vfile-reporter` does, which is the
 * one format every problem the tool reports comes out in. Causes (stack
 * traces) are shown only with `verbose`.
 */
export function formatDiagnostics(diagnostics: Diagnostics, options: ReportOptions = {}): string {
  const files = diagnostics.files.filter((file) => file.messages.length > 0);
  if (files.length === 0) return '';
  if (!options.verbose) {
    for (const file of files) {
      for (const message of file.messages) {
        message.cause = undefined;
        message.stack = '';
      }
    }
  }
  return reporter(files, {color: options.color ?? false, verbose: options.verbose ?? false, quiet: true});
}
