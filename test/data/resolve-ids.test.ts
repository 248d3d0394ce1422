import {appendFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {copyProject} from '../helpers/project.js';

// A V100-like chip: FP16 tensor cores and no BF16 (NVIDIA V100 datasheet: 125 TFLOP/s FP16). The README says
// such a chip can be described and trains in FP16, its FP16 peak the denominator of its MFU.
const FP16_CHIP = `
- id: fp16-chip
  name: FP16-only GPU
  vendor: Example
  peak_tflops: {fp16: 125, source: "example"}
  memory: {capacity_gb: 32, bandwidth_tb_per_s: 0.9, source: "example"}
  scale_up: {bandwidth_gb_per_s: 150, domain_gpus: 8, source: "example"}
  scale_out: {bandwidth_gb_per_s: 12.5, source: "example"}
  power: {tdp_w: 300, source: "example"}
`;

const PREDICTED = `id: on-fp16-chip
name: A predicted run on an FP16-only chip
kind: training
model: megatron-gpt-1.7b
cluster: {hardware: fp16-chip, gpus: 64}
workload: {tokens: 1e11, seq_len: 2048, global_batch_tokens: 1048576}
precision: fp16
parallelism: search
`;

describe('resolveIds on a chip without BF16', () => {
  let project: {root: string; cleanup: () => Promise<void>};
  beforeAll(async () => {
    project = await copyProject();
    await appendFile(path.join(project.root, 'data', 'hardware.yaml'), FP16_CHIP);
    await writeFile(path.join(project.root, 'data', 'scenarios', 'on-fp16-chip.yaml'), PREDICTED);
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
