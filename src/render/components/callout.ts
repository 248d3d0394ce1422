import {h} from 'hastscript';
import type {Point} from 'unist';
import type {Child, Props} from '../jsx-runtime.js';
import {TemplateError} from '../template-error.js';

const KINDS = ['note', 'key', 'warning'] as const;

/** `<Callout kind="note|key|warning" title="…">…</Callout>`: an aside set off from the text. */
export function Callout(props: Props, place: Point | undefined) {
  const kind = props.kind ?? 'note';
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    throw new TemplateError(`Unknown callout kind \`${String(kind)}\`, expected one of ${KINDS.join(', ')}`, place);
  }
  const title = props.title;
  if (title !== undefined && typeof title !== 'string')
    throw new TemplateError('Expected `title` on <Callout> to be text', place);
  return h(`aside.callout.callout-${kind}`, {role: kind === 'warning' ? 'note' : 'note'}, [
    title ? h('p.callout-title', title) : undefined,
    props.children as Child,
  ] as never);
}
