import {appendFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {copyProject} from '../helpers/project.js';
import {FP16_CHIP_YAML, ON_FP16_CHIP_YAML} from '../helpers/training-fixtures.js';

describe('resolveIds on a chip without BF16', () => {
  let project: {root: string; cleanup: () => Promise<void>};
  beforeAll(async () => {
    project = await copyProject();
    await appendFile(path.join(project.root, 'data', 'hardware.yaml'), FP16_CHIP_YAML);
    await writeFile(path.join(project.root, 'data', 'scenarios', 'on-fp16-chip.yaml'), ON_FP16_CHIP_YAML);
  });
  afterAll(() => project.cleanup());

  it('accepts a predicted scenario: no stated MFU asks for a BF16 peak', async () => {
    const diagnostics = new Diagnostics();
    const catalog = await loadCheckedCatalog(project.root, diagnostics);
    const errors = diagnostics.files.flatMap((file) => file.messages.filter((message) => message.fatal === true));
    expect(errors.map((message) => message.reason)).toEqual([]);
    expect(catalog.scenarios.has('on-fp16-chip')).toBe(true);
  });
});
