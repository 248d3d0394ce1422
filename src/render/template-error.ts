import type {Point} from 'unist';
import type {RuleId} from '../diagnostics/diagnostics.js';

/** An error raised while evaluating a template, with the place in the template it concerns when known. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly place: Point | undefined,
    readonly ruleId: RuleId = 'template-error',
    options?: {cause?: unknown},
  ) {
    super(message, options);
    this.name = 'TemplateError';
  }
}
