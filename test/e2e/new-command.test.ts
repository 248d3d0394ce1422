import {existsSync} from 'node:fs';
import {readdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {copyProject, hashTree, REPO_ROOT, runCli} from '../helpers/project.js';

const TEMPLATE = 'templates/my-report.mdx';
const SCENARIO = 'data/scenarios/my-report.yaml';

describe('tradeoffs new', () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  beforeAll(async () => {
    project = await copyProject();
  });
  afterAll(() => project.cleanup());

  const read = (file: string) => readFile(path.join(project.root, file), 'utf8');

  it('scaffolds a commented template and scenario, and says what to do next', async () => {
    const result = runCli(['new', 'my-report'], project.root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Created ${TEMPLATE}`);
    expect(result.stdout).toContain(`Created ${SCENARIO}`);
    expect(result.stdout).toMatch(/tradeoffs dev\b/);
    expect(result.stdout).toMatch(/tradeoffs build\b.*reports\/my-report\/index\.html/);

    const scenario = await read(SCENARIO);
    // Editors with a YAML language server complete and check the fields: the project gets the schema.
    expect(scenario.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/scenario.schema.json');
    expect(result.stdout).toContain('Created schema/: the JSON Schema of the data files');
    expect(existsSync(path.join(project.root, 'schema/scenario.schema.json'))).toBe(true);
    expect(scenario).toMatch(/^id: my-report$/m);
    expect(scenario).toMatch(/^kind: training$/m);
    // The project's first model and chip, so the scaffold refers to ids that exist.
    expect(scenario).toMatch(/^model: deepseek-v3$/m);
    expect(scenario).toMatch(/^ {2}hardware: a100-sxm$/m);
    expect(scenario).toMatch(/\{low: [\d.e]+, mode: [\d.e]+, high: [\d.e]+\}/);
    // The sweep: the project's first three chips with a BF16 peak, the peak its stated MFU is over (the V100s,
    // FP16 only, are passed over: with them the scaffold failed its own check).
    expect(scenario).toMatch(/^ {2}hardware: \[a100-sxm, a100-sxm-40gb, h100-sxm\]$/m);
    // Every field is explained by a comment on the line above it.
    const lines = scenario.split('\n');
    lines.forEach((line, index) => {
      if (/^ *[a-z_]+:/.test(line)) expect(lines[index - 1], `no comment above \`${line}\``).toMatch(/^ *#/);
    });
    expect(scenario).not.toMatch(/\{\{\w+\}\}/);

    const template = await read(TEMPLATE);
    expect(template).toMatch(
      /^---\n[\s\S]*^title: My report$[\s\S]*^key_figure: \{scenario: my-report, output: wallClockDays/m,
    );
    for (const piece of [
      '<KeyFigures',
      '<Estimate',
      '<Metric',
      '<Chart',
      'sweep(SCENARIO)',
      '<Assumptions />',
      '<Cite id="deepseek-v3-report" />',
      '{/*',
    ]) {
      expect(template).toContain(piece);
    }
    expect(template).not.toMatch(/\{\{\w+\}\}/);
  });

  it('passes check as made', async () => {
    const result = runCli(['check'], project.root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The bundled reports and the new one.
    const bundled = (await readdir(path.join(REPO_ROOT, 'templates'))).filter((name) => name.endsWith('.mdx'));
    expect(result.stdout).toMatch(new RegExp(`^Checked ${bundled.length + 1} report\\(s\\): no errors`));
  });

  it('builds into a page with its chart and its key figure on the index', async () => {
    const result = runCli(['build'], project.root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const page = path.join(project.root, 'reports', 'my-report', 'index.html');
    expect(existsSync(page)).toBe(true);
    const html = await readFile(page, 'utf8');
    expect(html).toMatch(/<h1[^>]*>[\s\S]*My report/);
    expect(html).toMatch(
      /<figure class="chart" id="days-by-chip"[^>]*>\s*<div class="chart-svg"[^>]*><svg[\s\S]*?<\/svg>/,
    );
    expect(html).toContain('NVIDIA H100 SXM');
    expect(html).toMatch(/class="key-figure-value">(<span class="nowrap">)?[^<]*days/);
    expect(html).toContain('DeepSeek-V3 Technical Report');
    const index = await readFile(path.join(project.root, 'reports', 'index.html'), 'utf8');
    expect(index).toContain('my-report/index.html');
  });

  it('refuses a name already used, naming the existing files, and changes nothing', async () => {
    await writeFile(path.join(project.root, TEMPLATE), `${await read(TEMPLATE)}\nEdited by hand.\n`);
    const before = await hashTree(project.root);
    const result = runCli(['new', 'my-report'], project.root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^<command line>\n/);
    expect(result.stderr).toMatch(
      /error\s+`templates\/my-report\.mdx` already exists, expected a name no template or scenario uses: nothing was written\s+duplicate-id/,
    );
    expect(result.stderr).toContain('`data/scenarios/my-report.yaml` already exists');
    expect(result.stderr).toMatch(/✖ 2 errors/);
    expect(result.stdout).toBe('');
    expect(await hashTree(project.root)).toBe(before);
    expect(await read(TEMPLATE)).toContain('Edited by hand.');
  });

  it('refuses a scenario id another file already uses', async () => {
    await writeFile(path.join(project.root, 'data/scenarios/zz-other.yaml'), 'id: taken\n');
    try {
      const result = runCli(['new', 'taken'], project.root);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Scenario id `taken` is already used in `data/scenarios/zz-other.yaml`');
      expect(existsSync(path.join(project.root, 'templates/taken.mdx'))).toBe(false);
      expect(existsSync(path.join(project.root, 'data/scenarios/taken.yaml'))).toBe(false);
    } finally {
      await rm(path.join(project.root, 'data/scenarios/zz-other.yaml'));
    }
  });

  it('refuses a name that is not a valid page address, suggesting one', async () => {
    const templates = await readdir(path.join(project.root, 'templates'));
    for (const [name, expected] of [
      [
        'My Report',
        /Unexpected report name `My Report`, expected lower-case letters, digits, "\." and "-".*such as `my-report`/,
      ],
      [
        'my-report.mdx',
        /Unexpected file extension in the name `my-report\.mdx`, expected the bare name \(`tradeoffs new my-report`\)/,
      ],
      ['../escape', /Unexpected report name `\.\.\/escape`/],
      ['fonts', /expected a name the site does not use for its own files/],
    ] as const) {
      const result = runCli(['new', name], project.root);
      expect([1, 2], name).toContain(result.code);
      expect(result.stderr).toMatch(expected);
      expect(result.stdout).toBe('');
    }
    expect(await readdir(path.join(project.root, 'templates'))).toEqual(templates);
    expect(existsSync(path.join(project.root, '..', 'escape.mdx'))).toBe(false);
  });

  it('exits 2 with a hint to its help when the name is missing', () => {
    const result = runCli(['new'], project.root);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('new needs a name for the report');
    expect(result.stderr).toContain('Run `tradeoffs help new` for its options.');
  });

  it('writes into --root and says so in the next steps', async () => {
    const result = runCli(['new', 'second', '--root', project.root], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(existsSync(path.join(project.root, 'templates/second.mdx'))).toBe(true);
    expect(existsSync(path.join(project.root, 'data/scenarios/second.yaml'))).toBe(true);
    expect(existsSync(path.join(REPO_ROOT, 'templates/second.mdx'))).toBe(false);
    expect(result.stdout).toContain(`tradeoffs build --root ${path.relative(REPO_ROOT, project.root)}`);
  });

  it('refuses a folder that is not a project', () => {
    const result = runCli(['new', 'my-report', '--root', path.join(project.root, 'data')], project.root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /No `templates\/` folder in .*, expected a project folder with data\/ and templates\//,
    );
  });
});
