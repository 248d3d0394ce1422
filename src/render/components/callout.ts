import {h} from 'hastscript';
import {z} from 'zod';
import type {Point} from 'unist';
import type {Props} from '../jsx-runtime.js';
import {childrenSchema, readProps, text} from './props.js';

const KINDS = ['note', 'key', 'warning'] as const;

const calloutProps = z.object({
  kind: z
    .enum(KINDS, {
      error: (issue) => `Unknown callout kind \`${String(issue.input)}\`, expected one of ${KINDS.join(', ')}`,
    })
    .nullish(),
  title: text('Expected `title` on <Callout> to be text').optional(),
  children: childrenSchema,
});

/** `<Callout kind="note|key|warning" title="…">…</Callout>`: an aside set off from the text. */
export function Callout(props: Props, place: Point | undefined) {
  const {kind, title, children} = readProps(calloutProps, props, place);
  return h(`aside.callout.callout-${kind ?? 'note'}`, {role: 'note'}, [
    title ? h('p.callout-title', title) : undefined,
    children,
  ] as never);
}
