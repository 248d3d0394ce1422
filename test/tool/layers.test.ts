import {spawnSync} from 'node:child_process';
import {copyFile, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {REPO_ROOT} from '../helpers/project.js';

/**
 * The layer rules of .dependency-cruiser.cjs, run by `npm run lint`, checked
 * on a small project of their own: an import the wrong way fails, the right
 * way passes. (The real tree is checked by the lint itself.)
 */
let project: string;

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'tradeoffs-layers-'));
  await copyFile(path.join(REPO_ROOT, 'tsconfig.json'), path.join(project, 'tsconfig.json'));
});
afterAll(async () => {
  await rm(project, {recursive: true, force: true});
});

async function cruise(files: Record<string, string>): Promise<{code: number | null; output: string}> {
  await rm(path.join(project, 'src'), {recursive: true, force: true});
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(project, name)), {recursive: true});
    await writeFile(path.join(project, name), text);
  }
  const result = spawnSync(
    process.execPath,
    [
      path.join(REPO_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      'src',
      '--config',
      path.join(REPO_ROOT, '.dependency-cruiser.cjs'),
      '--output-type',
      'err',
    ],
    {cwd: project, encoding: 'utf8'},
  );
  return {code: result.status, output: result.stdout + result.stderr};
}

describe('the layer rules', () => {
  it('let a later stage import an earlier one (estimate → data)', async () => {
    const result = await cruise({
      'src/data/catalog.ts': 'export const catalog = 1;\n',
      'src/estimate/use.ts': "import {catalog} from '../data/catalog.js';\nexport const use = catalog;\n",
    });
    expect(result.code, result.output).toBe(0);
  });

  it('fail an earlier stage importing a later one, even for a type (data → estimate)', async () => {
    const result = await cruise({
      'src/estimate/layout.ts': 'export interface Layout {readonly tp: number}\n',
      'src/data/check.ts': "import type {Layout} from '../estimate/layout.js';\nexport type Checked = Layout;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/layer-data: src\/data\/check\.ts → src\/estimate\/layout\.ts/);
  });

  it('fail output importing build (output comes first)', async () => {
    const result = await cruise({
      'src/build/options.ts': 'export type Options = {readonly root: string};\n',
      'src/output/write.ts': "import type {Options} from '../build/options.js';\nexport type Written = Options;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('layer-output');
  });

  it('fail a cycle inside one folder', async () => {
    const result = await cruise({
      'src/render/a.ts': "import {b} from './b.js';\nexport const a = () => b;\n",
      'src/render/b.ts': "import {a} from './a.js';\nexport const b = () => a;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('no-circular');
  });

  it('fail the estimation core reading files', async () => {
    const result = await cruise({
      'src/estimate/read.ts': "import {readFileSync} from 'node:fs';\nexport const read = readFileSync;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('pure-core');
  });

  it('let the explorer import the pure stages it runs in the browser (estimate, check)', async () => {
    const result = await cruise({
      'src/estimate/core.ts': 'export const core = 1;\n',
      'src/check/check.ts': "import {core} from '../estimate/core.js';\nexport const check = core;\n",
      'src/client/explorer/page.ts': "import {check} from '../../check/check.js';\nexport const page = check;\n",
    });
    expect(result.code, result.output).toBe(0);
  });

  it('fail the explorer importing a later stage or what reads files (however far down), and the other browser scripts importing the core', async () => {
    const result = await cruise({
      'src/build/site.ts': 'export const site = 1;\n',
      'src/data/load.ts': "import {readFileSync} from 'node:fs';\nexport const load = readFileSync;\n",
      'src/estimate/core.ts': 'export const core = 1;\n',
      'src/client/explorer/page.ts': "import {site} from '../../build/site.js';\nexport const page = site;\n",
      'src/client/explorer/read.ts': "import {load} from '../../data/load.js';\nexport const read = load;\n",
      'src/client/hydrate.ts': "import {core} from '../estimate/core.js';\nexport const hydrate = core;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/explorer-pure-stages: src\/client\/explorer\/page\.ts → src\/build\/site\.ts/);
    expect(result.output).toMatch(/explorer-no-node: src\/client\/explorer\/read\.ts → fs/);
    expect(result.output).toMatch(/client-alone: src\/client\/hydrate\.ts → src\/estimate\/core\.ts/);
    expect(result.output).not.toMatch(/client-alone: src\/client\/explorer/);
  });
});
