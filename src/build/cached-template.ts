import {z} from 'zod';
import {storedWarningSchema} from '../diagnostics/diagnostics.js';
import {preparedTemplateSchema} from '../render/prepare-template.js';

/** A template compiled as the cache keeps it: MDX's output, the frontmatter, and the compiler's warnings. */
export const cachedTemplateSchema = z.object({
  template: preparedTemplateSchema,
  warnings: z.array(storedWarningSchema),
});
export type CachedTemplate = z.infer<typeof cachedTemplateSchema>;
