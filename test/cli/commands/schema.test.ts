// `tradeoffs schema` (src/cli/commands/schema.ts) over a throw-away project: the schemas, and the data files' modelines.
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {schemaCommand} from '../../../src/cli/commands/schema.js';
import {DATA_SCHEMAS, schemaModeline} from '../../../src/data/json-schema.js';
import {DiagnosticsError} from '../../../src/diagnostics/diagnostics.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tradeoffs-schema-'));
  await mkdir(path.join(root, 'data', 'scenarios'), {recursive: true});
  await writeFile(path.join(root, 'data', 'hardware.yaml'), '# Chips.\r\n- id: a\r\n');
  await writeFile(path.join(root, 'data', 'models.yaml'), `${schemaModeline('data/models.yaml')}\n[]\n`);
  await writeFile(path.join(root, 'data', 'scenarios', 'b.yaml'), 'id: b\n');
  await writeFile(path.join(root, 'data', 'scenarios', 'notes.txt'), 'not data\n');
});
afterEach(() => rm(root, {recursive: true, force: true}));

/** Run the command in the project; resolves to what it printed, or the messages it refused with. */
async function schema(check: boolean): Promise<{code: number; stdout: string; errors: string[]}> {
  let stdout = '';
  const context = {
    root,
    positionals: [],
    options: {check},
    verbose: false,
    stdout: (text: string) => void (stdout += text),
    status: () => undefined,
    isTerminal: false,
    report: () => undefined,
  };
  try {
    return {code: await schemaCommand(context), stdout, errors: []};
  } catch (error) {
    if (!(error instanceof DiagnosticsError)) throw error;
    return {
      code: 1,
      stdout,
      errors: error.diagnostics.files.flatMap((file) =>
        file.messages.map((message) => `${file.path}: ${message.reason}`),
      ),
    };
  }
}

const read = (file: string) => readFile(path.join(root, file), 'utf8');

describe('tradeoffs schema', () => {
  it('with --check writes nothing, and names each missing schema and each data file without its modeline', async () => {
    const checked = await schema(true);
    expect(checked.code).toBe(1);
    expect(checked.errors).toEqual([
      ...DATA_SCHEMAS.map((entry) =>
        expect.stringMatching(new RegExp(`^schema/${entry.file.replaceAll('.', '\\.')}: Out of date`)),
      ),
      expect.stringMatching(/^data\/hardware\.yaml: Missing the first line that names its JSON Schema/),
      expect.stringMatching(/^data\/scenarios\/b\.yaml: Missing the first line/),
    ]);
    expect(await read('data/hardware.yaml')).toBe('# Chips.\r\n- id: a\r\n');
  });

  it('writes the schemas and adds the modeline where it is missing, then is up to date', async () => {
    const written = await schema(false);
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/^Wrote .*schema\/hardware\.schema\.json/);
    expect(written.stdout).toMatch(/\nAdded the schema line to .*data\/hardware\.yaml, .*data\/scenarios\/b\.yaml\n$/);
    expect(await read('data/hardware.yaml')).toBe(`${schemaModeline('data/hardware.yaml')}\r\n# Chips.\r\n- id: a\r\n`);
    expect(await read('data/scenarios/b.yaml')).toBe(`${schemaModeline('data/scenarios/b.yaml')}\nid: b\n`);
    expect(await read('data/models.yaml')).toBe(`${schemaModeline('data/models.yaml')}\n[]\n`);
    expect(await read('data/scenarios/notes.txt')).toBe('not data\n');
    const again = await schema(true);
    expect(again).toMatchObject({code: 0, errors: []});
    expect(again.stdout).toMatch(/schema\/ is up to date \(\d+ schema\(s\)\), and every data file names its schema\n$/);
  });
});
