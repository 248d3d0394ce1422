import type {Point} from 'unist';
import {z} from 'zod';
import type {RuleId} from '../../diagnostics/diagnostics.js';
import {nearestId} from '../../diagnostics/nearest-id.js';
import type {Child} from '../jsx-runtime.js';
import {TemplateError} from '../template-error.js';

// Each component states its props as a zod schema, and each schema its own
// message ("Expected `title` on <Callout> to be text"): a wrong prop is a
// build error at the element, with the first problem in the order the
// schema lists its props.

/**
 * `value` (a component's props, or one of them) checked against `schema`:
 * the parsed value, or a TemplateError at `place` with the first problem's message.
 */
export function readProps<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  place: Point | undefined,
  ruleId?: RuleId,
): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new TemplateError(result.error.issues[0]?.message ?? 'Unexpected props', place, ruleId);
}

/** Text, or a problem with `message`. */
export const text = (message: string) => z.string({error: message});

/** Whatever the template nests in the element: the JSX runtime has checked it already. */
export const childrenSchema = z.custom<Child>().optional();

/**
 * The sweep point a component names: any of `hardware`, `precision`,
 * `technique` (text), `gpus`, `concurrency` (numbers).
 */
export function pointSchema(component: string) {
  const expected = (name: string, what: string) => `Expected \`${name}\` on <${component}> to be ${what}`;
  return z.object({
    hardware: text(expected('hardware', 'text')).optional(),
    precision: text(expected('precision', 'text')).optional(),
    technique: text(expected('technique', 'text')).optional(),
    gpus: z.number({error: expected('gpus', 'a number')}).optional(),
    concurrency: z.number({error: expected('concurrency', 'a number')}).optional(),
  });
}

/**
 * An output of a scenario kind, by name; anything else is an unknown output,
 * with the nearest name when one is close (`gpuHour` → `gpuHours`).
 */
export function outputNameSchema(outputs: Readonly<Record<string, unknown>>, component: string, kind: string) {
  return z.custom<string>((name) => typeof name === 'string' && Object.hasOwn(outputs, name), {
    error: (issue) => {
      const known = Object.keys(outputs);
      const suggestion = typeof issue.input === 'string' ? nearestId(issue.input, known) : undefined;
      const expected = suggestion
        ? `did you mean \`${suggestion}\`?`
        : `expected one of ${known.map((name) => `\`${name}\``).join(', ')}`;
      return `Unknown output \`${String(issue.input)}\` on <${component}> for a ${kind} scenario, ${expected}`;
    },
  });
}
