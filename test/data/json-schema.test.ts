import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {Ajv} from 'ajv';
import {parse} from 'yaml';
import {describe, expect, it} from 'vitest';
import {DATA_SCHEMAS, jsonSchemaText, schemaForFile, schemaModeline, SCHEMA_DIR} from '../../src/data/json-schema.js';
import {REPO_ROOT} from '../helpers/project.js';

const dataFiles = [
  'data/hardware.yaml',
  'data/models.yaml',
  'data/references.yaml',
  'data/sources.yaml',
  ...readdirSync(path.join(REPO_ROOT, 'data/scenarios'))
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => `data/scenarios/${name}`),
];

const validators = new Map<string, ReturnType<Ajv['compile']>>();
function validator(file: string) {
  const entry = schemaForFile(file);
  if (!entry) throw new Error(`no schema for ${file}`);
  let validate = validators.get(entry.file);
  if (!validate) {
    validate = new Ajv({strict: false, allErrors: true}).compile(JSON.parse(jsonSchemaText(entry)) as object);
    validators.set(entry.file, validate);
  }
  return validate;
}

describe('JSON Schema of the data files', () => {
  it.each(DATA_SCHEMAS.map((entry) => entry.file))('schema/%s is what `tradeoffs schema` writes (no drift)', (file) => {
    const entry = DATA_SCHEMAS.find((each) => each.file === file);
    const committed = readFileSync(path.join(REPO_ROOT, SCHEMA_DIR, file), 'utf8');
    // On a mismatch, run `npx tradeoffs schema` (or `node dist/cli.js schema`) and commit schema/.
    expect(committed).toBe(jsonSchemaText(entry as (typeof DATA_SCHEMAS)[number]));
  });

  it.each(dataFiles)('%s names its schema on its first line and validates against it', (file) => {
    const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    expect(text.split('\n')[0]).toBe(schemaModeline(file));
    const validate = validator(file);
    expect(validate(parse(text)), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('rejects what the zod schemas reject: an unknown field, a wrong kind, a negative number', () => {
    const scenario = parse(readFileSync(path.join(REPO_ROOT, 'data/scenarios/deepseek-v3-pretraining.yaml'), 'utf8'));
    const validate = validator('data/scenarios/x.yaml');
    expect(validate({...scenario, gpu: 3})).toBe(false);
    expect(validate({...scenario, kind: 'trainning'})).toBe(false);
    expect(validate({...scenario, cluster: {...scenario.cluster, gpus: -1}})).toBe(false);
    // Any continuous number may be a range.
    expect(validate({...scenario, workload: {...scenario.workload, tokens: {low: 1e12, mode: 2e12, high: 3e12}}})).toBe(
      true,
    );
  });

  it('takes a variant (`extends:`) with only what it changes, and still asks a whole scenario for every field', () => {
    const validate = validator('data/scenarios/x.yaml');
    expect(validate({id: 'v', extends: 'deepseek-v3-pretraining', cluster: {gpus: 1024}})).toBe(true);
    expect(validate({id: 'v', extends: 3})).toBe(false);
    expect(validate({id: 'v', cluster: {gpus: 1024}})).toBe(false);
  });

  it('gives modelines relative to the data file', () => {
    expect(schemaModeline('data/scenarios/a.yaml')).toBe(
      '# yaml-language-server: $schema=../../schema/scenario.schema.json',
    );
    expect(schemaModeline('data/hardware.yaml')).toBe('# yaml-language-server: $schema=../schema/hardware.schema.json');
    expect(schemaModeline('data/other.csv')).toBeUndefined();
  });
});
