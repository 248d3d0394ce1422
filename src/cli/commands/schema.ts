import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {DATA_SCHEMAS, jsonSchemaText, SCHEMA_DIR} from '../../data/json-schema.js';
import {Diagnostics, DiagnosticsError} from '../../diagnostics/diagnostics.js';
import type {CommandContext} from '../context.js';
import type {OptionsOf} from '../options.js';
import type {schemaCommandSpec} from './schema-options.js';

/** `tradeoffs schema [--check]`: write (or check) `schema/*.schema.json` of the project. */
export async function schemaCommand(context: CommandContext<OptionsOf<typeof schemaCommandSpec>>): Promise<number> {
  const changed = await writeSchemas(context.root, {dryRun: context.options.check});
  const folder = path.relative(process.cwd(), path.join(context.root, SCHEMA_DIR)) || SCHEMA_DIR;
  if (context.options.check) {
    if (changed.length === 0) {
      context.stdout(`${folder}/ is up to date (${DATA_SCHEMAS.length} schema(s))\n`);
      return 0;
    }
    const diagnostics = new Diagnostics();
    for (const file of changed)
      diagnostics.error(
        `${SCHEMA_DIR}/${file}`,
        'Out of date with the data schemas, expected the file `tradeoffs schema` writes: run it',
        undefined,
        'schema',
      );
    throw new DiagnosticsError(diagnostics);
  }
  context.stdout(
    changed.length === 0
      ? `${folder}/ is up to date (${DATA_SCHEMAS.length} schema(s))\n`
      : `Wrote ${changed.map((file) => `${folder}/${file}`).join(', ')}\n`,
  );
  return 0;
}

/**
 * Write every data file's JSON Schema into `<root>/schema/` where it is
 * missing or differs (with `dryRun`, only tell; with `missingOnly`, leave
 * existing files alone); resolves to the files that were (or would be) written.
 */
export async function writeSchemas(root: string, {dryRun = false, missingOnly = false} = {}): Promise<string[]> {
  const changed: string[] = [];
  for (const entry of DATA_SCHEMAS) {
    const file = path.join(root, SCHEMA_DIR, entry.file);
    const text = jsonSchemaText(entry);
    const current = await readFile(file, 'utf8').catch(() => undefined);
    if (current === text || (missingOnly && current !== undefined)) continue;
    changed.push(entry.file);
    if (!dryRun) {
      await mkdir(path.dirname(file), {recursive: true});
      await writeFile(file, text);
    }
  }
  return changed;
}
