import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {DATA_SCHEMAS, jsonSchemaText, SCHEMA_DIR, withModeline} from '../../data/json-schema.js';
import {DATA_FILES} from '../../project.js';
import {Diagnostics, DiagnosticsError} from '../../diagnostics/diagnostics.js';
import type {CommandContext} from '../context.js';
import type {OptionsOf} from '../options.js';
import type {schemaCommandSpec} from './schema-options.js';

/**
 * `tradeoffs schema [--check]`: write (or check) `schema/*.schema.json` of
 * the project, and give every data file without one the modeline naming its schema.
 */
export async function schemaCommand(context: CommandContext<OptionsOf<typeof schemaCommandSpec>>): Promise<number> {
  const dryRun = context.options.check;
  const changed = await writeSchemas(context.root, {dryRun});
  const lined = await addModelines(context.root, {dryRun});
  const shown = (file: string) => path.relative(process.cwd(), path.join(context.root, file)) || file;
  if (changed.length === 0 && lined.length === 0) {
    context.stdout(
      `${shown(SCHEMA_DIR)}/ is up to date (${DATA_SCHEMAS.length} schema(s)), and every data file names its schema\n`,
    );
    return 0;
  }
  if (dryRun) {
    const diagnostics = new Diagnostics();
    for (const file of changed)
      diagnostics.error(
        `${SCHEMA_DIR}/${file}`,
        'Out of date with the data schemas, expected the file `tradeoffs schema` writes: run it',
        undefined,
        'schema',
      );
    for (const file of lined)
      diagnostics.error(
        file,
        'Missing the first line that names its JSON Schema (`# yaml-language-server: $schema=…`), which `tradeoffs schema` adds',
        {line: 1, column: 1},
        'schema',
      );
    throw new DiagnosticsError(diagnostics);
  }
  if (changed.length > 0) context.stdout(`Wrote ${changed.map((file) => shown(`${SCHEMA_DIR}/${file}`)).join(', ')}\n`);
  if (lined.length > 0) context.stdout(`Added the schema line to ${lined.map(shown).join(', ')}\n`);
  return 0;
}

/**
 * Give every data file of the project that names no schema on its first
 * line the modeline naming its own (with `dryRun`, only tell); resolves to
 * those files, relative to the root.
 */
export async function addModelines(root: string, {dryRun = false} = {}): Promise<string[]> {
  const scenarios = await readdir(path.join(root, DATA_FILES.scenarios)).catch(() => [] as string[]);
  const files = [
    DATA_FILES.hardware,
    DATA_FILES.models,
    DATA_FILES.references,
    DATA_FILES.sources,
    ...scenarios
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => `${DATA_FILES.scenarios}/${name}`),
  ];
  const changed: string[] = [];
  for (const file of files) {
    const text = await readFile(path.join(root, file), 'utf8').catch(() => undefined);
    const next = text === undefined ? undefined : withModeline(file, text);
    if (next === undefined) continue;
    changed.push(file);
    if (!dryRun) await writeFile(path.join(root, file), next);
  }
  return changed;
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
