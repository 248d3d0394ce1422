import type {Root} from 'mdast';
import type {VFile} from 'vfile';
import {z} from 'zod';
import {Diagnostics} from '../diagnostics/diagnostics.js';
import {validateAt} from '../data/validate.js';
import {parseYamlSource, yamlData} from '../data/yaml-source.js';

/** What a report template states about itself in its YAML frontmatter. */
export const frontmatterSchema = z.strictObject({
  title: z.string().min(1),
  /** One or two sentences for the index card. */
  summary: z.string().min(1),
  /** Who wrote the report, for its citation (BibTeX, CSL JSON and `citation_author`); none by default. */
  authors: z.array(z.string().min(1)).optional(),
  /** Position on the index (lower first; then by title). */
  order: z.number().int().default(100),
  /** Show this report's lead (what comes before its first section) on the home page, above the list: at most one report. */
  home: z.boolean().optional(),
  /** The number the index card shows for this report. */
  key_figure: z
    .strictObject({
      scenario: z.string().min(1),
      output: z.string().min(1),
      label: z.string().min(1),
      hardware: z.string().min(1).optional(),
    })
    .optional(),
});
export type Frontmatter = z.infer<typeof frontmatterSchema>;

/**
 * A remark plugin that reads the YAML frontmatter node (which
 * remark-frontmatter only parses into a node) and validates it; problems are
 * messages on the file at their line and column in the template.
 */
export function remarkReadFrontmatter() {
  return (tree: Root, file: VFile) => {
    const node = tree.children.find((child) => child.type === 'yaml');
    const diagnostics = new Diagnostics();
    const path = file.path;
    if (!node || node.type !== 'yaml' || !node.position) {
      diagnostics.error(
        path,
        'Missing frontmatter, expected a `---` block with `title` and `summary` at the top',
        {line: 1, column: 1},
        'frontmatter',
      );
    } else {
      // Pad with newlines so positions in the YAML are positions in the template.
      const padded = '\n'.repeat(node.position.start.line) + node.value;
      const source = parseYamlSource(path, padded, diagnostics);
      const data = source && yamlData(source, diagnostics);
      if (source && data) {
        const value = validateAt(frontmatterSchema, data.value ?? {}, source, [], diagnostics);
        if (value) file.data.frontmatter = value;
      }
    }
    for (const message of diagnostics.file(path).messages) {
      message.ruleId = 'frontmatter';
      file.messages.push(message);
    }
  };
}

declare module 'vfile' {
  interface DataMap {
    frontmatter: Frontmatter;
  }
}
