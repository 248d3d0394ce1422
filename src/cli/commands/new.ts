import {existsSync} from 'node:fs';
import {readdir, readFile, unlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {parse, stringify} from 'yaml';
import {z} from 'zod';
import type {Catalog} from '../../data/catalog.js';
import {loadCheckedCatalog} from '../../check/check-catalog.js';
import {DATA_FILES, RESERVED_REPORT_NAMES, TEMPLATES_DIR} from '../../project.js';
import {Diagnostics, DiagnosticsError} from '../../diagnostics/diagnostics.js';
import {readScaffold} from '../../tool/assets.js';
import {SCHEMA_DIR, schemaModeline} from '../../data/json-schema.js';
import {writeSchemas} from './schema.js';
import type {CommandContext} from '../context.js';
import type {OptionsOf} from '../options.js';
import {UsageError} from '../usage.js';
import type {newCommandSpec} from './new-options.js';

/** A template's file name without `.mdx`, as build-site.ts accepts it (it becomes the page's address), and a valid scenario id. */
const NAME = /^[a-z0-9][a-z0-9.-]*$/;

/** Ids in the default data, for a project whose own data has no valid model or hardware. */
const FALLBACK = {model: 'llama-3.1-405b', hardware: ['h100-sxm', 'a100-sxm', 'b200-sxm']} as const;

/** A YAML document with an `id`, whatever else it holds (a scenario that may not validate). */
const withId = z.object({id: z.unknown()});

/** Where the command line's problems are reported. */
const COMMAND_LINE = '<command line>';

/**
 * `tradeoffs new <name>`: scaffold `templates/<name>.mdx` and
 * `data/scenarios/<name>.yaml` from assets/scaffold/, commented to teach the
 * format. Refuses a bad name or one already used; never overwrites a file.
 */
export async function newCommand(context: CommandContext<OptionsOf<typeof newCommandSpec>>): Promise<number> {
  const [name] = context.positionals;
  if (!name) throw new UsageError('new needs a name for the report, such as `tradeoffs new my-report`');
  const diagnostics = new Diagnostics();
  const templateFile = `${TEMPLATES_DIR}/${name}.mdx`;
  const scenarioFile = `${DATA_FILES.scenarios}/${name}.yaml`;

  checkName(name, diagnostics);
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  for (const folder of [TEMPLATES_DIR, DATA_FILES.scenarios]) {
    if (!existsSync(path.join(context.root, folder))) {
      diagnostics.error(
        COMMAND_LINE,
        `No \`${folder}/\` folder in ${context.root}, expected a project folder with data/ and templates/ (run in one, or give --root DIR)`,
        undefined,
        'io-error',
      );
    }
  }
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  await checkUnused(context.root, name, templateFile, scenarioFile, diagnostics);
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);

  // The project's own ids, so the scaffold passes `check` as made; its data's problems are `check`'s to report.
  const catalog = await loadCheckedCatalog(context.root, new Diagnostics());
  const values = placeholders(name, catalog);
  const template = fill(await readScaffold('report.mdx'), values);
  const scenario = fill(await readScaffold('scenario.yaml'), values);

  await writeNew(context.root, templateFile, template, diagnostics);
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  await writeNew(context.root, scenarioFile, scenario, diagnostics);
  if (diagnostics.hasErrors) {
    await unlink(path.join(context.root, templateFile)); // made a moment ago by this run: leave nothing half-made
    throw new DiagnosticsError(diagnostics);
  }

  // The scenario's first line points editors at the JSON Schema: a project without one gets it.
  const schemas = await writeSchemas(context.root, {missingOnly: true});

  const root = path.relative(process.cwd(), context.root);
  const rootOption = root ? ` --root ${root}` : '';
  const shown = (file: string) => (root ? path.join(root, file) : file);
  const reports = shown(`reports/${name}/index.html`);
  context.stdout(
    [
      `Created ${shown(templateFile)}: the report (frontmatter, prose, key figures, a chart)`,
      `Created ${shown(scenarioFile)}: its scenario (${values.model} on ${values.hardware}, with a sweep)`,
      ...(schemas.length > 0
        ? [
            `Created ${shown(SCHEMA_DIR)}/: the JSON Schema of the data files, for editors (\`tradeoffs schema\` updates it)`,
          ]
        : []),
      '',
      'Next steps: the comments in both files explain every field and component.',
      `  tradeoffs dev${rootOption}     preview the report while you edit`,
      `  tradeoffs check${rootOption}   validate data and templates after an edit`,
      `  tradeoffs build${rootOption}   build the site; this report goes to ${reports}`,
      '',
    ].join('\n'),
  );
  return 0;
}

function checkName(name: string, diagnostics: Diagnostics): void {
  const extension = /\.(mdx|ya?ml)$/.exec(name);
  if (extension && NAME.test(name)) {
    const stem = name.slice(0, -extension[0].length);
    diagnostics.error(
      COMMAND_LINE,
      `Unexpected file extension in the name \`${name}\`, expected the bare name (\`tradeoffs new ${stem}\`): it names both the template and the scenario`,
      undefined,
      'invalid-value',
    );
  } else if (!NAME.test(name)) {
    const suggestion = name
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/^[^a-z0-9]+|-+$/g, '');
    const hint = suggestion && NAME.test(suggestion) ? `, such as \`${suggestion}\`` : '';
    diagnostics.error(
      COMMAND_LINE,
      `Unexpected report name \`${name}\`, expected lower-case letters, digits, "." and "-", starting with a letter or digit${hint} (it becomes the page's address and the scenario id)`,
      undefined,
      'invalid-value',
    );
  } else if (RESERVED_REPORT_NAMES.has(name)) {
    diagnostics.error(
      COMMAND_LINE,
      `Unexpected report name \`${name}\`, expected a name the site does not use for its own files and ids (${[...RESERVED_REPORT_NAMES].join(', ')})`,
      undefined,
      'invalid-value',
    );
  }
}

/** The name must be new: no template file, no scenario file, no scenario id of that name. */
async function checkUnused(
  root: string,
  name: string,
  templateFile: string,
  scenarioFile: string,
  diagnostics: Diagnostics,
): Promise<void> {
  for (const file of [templateFile, scenarioFile, `${DATA_FILES.scenarios}/${name}.yml`]) {
    if (existsSync(path.join(root, file))) {
      diagnostics.error(
        COMMAND_LINE,
        `\`${file}\` already exists, expected a name no template or scenario uses: nothing was written`,
        undefined,
        'duplicate-id',
      );
    }
  }
  // Read every scenario's id itself, so a file that does not validate still counts.
  const files = (await readdir(path.join(root, DATA_FILES.scenarios))).filter((file) => /\.ya?ml$/.test(file)).sort();
  for (const file of files) {
    const relative = `${DATA_FILES.scenarios}/${file}`;
    if (relative === scenarioFile) continue;
    let document: unknown;
    try {
      document = parse(await readFile(path.join(root, relative), 'utf8'));
    } catch {
      continue; // unreadable or broken YAML: `check` reports it
    }
    if (withId.safeParse(document).data?.id === name) {
      diagnostics.error(
        COMMAND_LINE,
        `Scenario id \`${name}\` is already used in \`${relative}\`, expected a name no template or scenario uses: nothing was written`,
        undefined,
        'duplicate-id',
      );
    }
  }
}

interface Placeholders extends Record<string, string> {
  model: string;
  hardware: string;
}

/** The values of the scaffold's `{{placeholders}}`: ids from the project's own data where it has them. */
function placeholders(name: string, catalog: Catalog): Placeholders {
  const models = [...catalog.models.keys()];
  // The scaffold states an MFU over the BF16 peak: its chips must have one (not a V100's FP16 alone).
  const hardware = [...catalog.hardware.values()]
    .filter((chip) => chip.peak_tflops.bf16 !== undefined)
    .map((chip) => chip.id);
  const fromProject = models.length > 0 && hardware.length > 0;
  const model = models[0] ?? FALLBACK.model;
  const sweep = hardware.length > 0 ? hardware.slice(0, 3) : [...FALLBACK.hardware];
  const title = `${name.charAt(0).toUpperCase()}${name.slice(1).replace(/-/g, ' ')}`;
  const source = [...catalog.sources.keys()][0];
  return {
    name,
    name_yaml: yamlScalar(name),
    title,
    title_yaml: yamlScalar(title),
    model,
    hardware: sweep[0] as string,
    model_yaml: yamlScalar(model),
    hardware_yaml: yamlScalar(sweep[0] as string),
    sweep_hardware_yaml: sweep.map(yamlScalar).join(', '),
    schema_modeline: schemaModeline(`${DATA_FILES.scenarios}/${name}.yaml`) ?? '',
    ids_note: fromProject
      ? "This is just the first in the project's data: change it to the one you mean."
      : "The project's data has none yet: this id is from the tool's default data; change it to one of yours.",
    cite: source
      ? `Published work gives such figures their context <Cite id="${source}" />: cite the works your numbers come from.`
      : '{/* This project has no data/sources.yaml yet: add the works you cite there, then cite them here. */}',
  };
}

/** A YAML scalar for `text`, quoted only where YAML would read it as something else (a number, a boolean). */
function yamlScalar(text: string): string {
  return stringify(text).trimEnd();
}

/** Replace every `{{key}}`; an unknown key is a bug in the scaffold, not the user's problem. */
function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`scaffold placeholder ${match} has no value`);
    return value;
  });
}

/** Write a file that must not exist yet (`wx`): an existing file is an error, never overwritten. */
async function writeNew(root: string, file: string, text: string, diagnostics: Diagnostics): Promise<void> {
  try {
    await writeFile(path.join(root, file), text, {flag: 'wx'});
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EEXIST'
        ? `\`${file}\` already exists, expected a name no template or scenario uses`
        : `Cannot write \`${file}\`: ${code ?? String(error)}`;
    diagnostics.error(
      COMMAND_LINE,
      `${reason}: nothing was written`,
      undefined,
      code === 'EEXIST' ? 'duplicate-id' : 'io-error',
    );
  }
}
