import {z} from 'zod';
import {DATA_FILES} from '../project.js';
import {hardwareSchema} from './schemas/hardware.js';
import {modelSchema} from './schemas/model.js';
import {referenceRunSchema} from './schemas/reference.js';
import {scenarioSchema} from './schemas/scenario.js';
import {sourceRecordSchema} from './schemas/source.js';

/**
 * JSON Schema for the data files, generated from the zod schemas that
 * validate them (zod 4's `toJSONSchema`, the input side: what a file may
 * say before defaults and ranges are applied), so an editor with a YAML
 * language server completes and checks fields as one types. `tradeoffs
 * schema` writes them to `schema/`; the data files point at them with a
 * `# yaml-language-server: $schema=…` modeline. Draft 7, which editors'
 * YAML servers read. Checks zod makes in code (a date that exists, low ≤
 * mode ≤ high, ids that resolve) are `tradeoffs check`'s.
 */

/** The folder of the schema files, relative to a project's root. */
export const SCHEMA_DIR = 'schema';

export interface DataSchema {
  /** The schema's file name in `schema/`. */
  readonly file: string;
  /** What it describes, in the schema's title. */
  readonly title: string;
  /** The data file (or folder of files) it is for. */
  readonly data: string;
  readonly schema: z.ZodType;
  /**
   * A file of this kind may vary another with `extends:` (src/data/extends.ts), writing only what
   * differs: such a file is checked whole only after the merge, by `tradeoffs check`.
   */
  readonly extendable?: boolean;
}

/** One schema per kind of data file. */
export const DATA_SCHEMAS: readonly DataSchema[] = [
  {file: 'hardware.schema.json', title: 'Accelerators', data: DATA_FILES.hardware, schema: z.array(hardwareSchema)},
  {file: 'models.schema.json', title: 'Model architectures', data: DATA_FILES.models, schema: z.array(modelSchema)},
  {
    file: 'scenario.schema.json',
    title: 'A scenario',
    data: DATA_FILES.scenarios,
    schema: scenarioSchema,
    extendable: true,
  },
  {
    file: 'references.schema.json',
    title: 'Published training runs',
    data: DATA_FILES.references,
    schema: z.array(referenceRunSchema),
  },
  {file: 'sources.schema.json', title: 'Cited works', data: DATA_FILES.sources, schema: z.array(sourceRecordSchema)},
];

/** The JSON Schema of one kind of data file, as text (stable: the same zod schemas give the same bytes). */
export function jsonSchemaText(entry: DataSchema): string {
  const generated = z.toJSONSchema(entry.schema, {
    io: 'input',
    target: 'draft-7',
    unrepresentable: 'any',
    reused: 'ref',
  }) as Record<string, unknown>;
  const {$schema, definitions, ...rest} = generated;
  const document = {
    $schema,
    title: `tradeoffs: ${entry.title} (${entry.data})`,
    description:
      'Generated from the zod schemas of tradeoffs (src/data/schemas/) by `tradeoffs schema`; do not edit. `tradeoffs check` validates the rest (ids, ranges, layouts).',
    ...(definitions === undefined ? {} : {definitions}),
    ...(entry.extendable ? {if: {required: ['extends']}, then: VARIANT_SCHEMA, else: rest} : rest),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A variant (`extends:`): its own id, name and description, and any field of its parent's it changes. */
const VARIANT_SCHEMA = {
  type: 'object',
  required: ['id', 'extends'],
  properties: {
    id: {type: 'string'},
    extends: {
      type: 'string',
      description: "The scenario this one varies: its fields are this one's unless written here.",
    },
    name: {type: 'string'},
    description: {type: 'string'},
  },
};

/**
 * The modeline that points a data file at its schema, relative to the file
 * (`data/scenarios/x.yaml` → `# yaml-language-server: $schema=../../schema/scenario.schema.json`);
 * `undefined` for a file that is not a data file.
 */
export function schemaModeline(dataFile: string): string | undefined {
  const entry = schemaForFile(dataFile);
  if (!entry) return undefined;
  const depth = dataFile.split('/').length - 1;
  return `# yaml-language-server: $schema=${'../'.repeat(depth)}${SCHEMA_DIR}/${entry.file}`;
}

/** The schema of a data file by its path (`data/scenarios/x.yaml` → the scenario schema), if it is one. */
export function schemaForFile(dataFile: string): DataSchema | undefined {
  return DATA_SCHEMAS.find(
    (entry) =>
      entry.data === dataFile || (entry.data === DATA_FILES.scenarios && dataFile.startsWith(`${entry.data}/`)),
  );
}
