import {z} from 'zod';
import {idSchema} from './common.js';
import {measured} from './quantity.js';

/** A work the reports cite (`<Cite id="…">`): a paper, a report, a datasheet, a web page. */
export const sourceRecordSchema = z.strictObject({
  id: idSchema,
  title: z.string().min(1),
  authors: z.string().min(1).optional(),
  year: measured('year', z.number().int().gte(1800).lte(2100)).optional(),
  /** Journal, conference, publisher or site. */
  venue: z.string().min(1).optional(),
  url: z.url({protocol: /^https?$/, error: 'expected an http(s) URL'}).optional(),
  note: z.string().optional(),
});
export type SourceRecord = z.infer<typeof sourceRecordSchema>;
