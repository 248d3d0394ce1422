import {describe, expect, it} from 'vitest';
import type {z} from 'zod';
import {DATA_SCHEMAS} from '../../src/data/json-schema.js';
import {implausibleValues, judge} from '../../src/data/plausibility.js';
import {QUANTITIES} from '../../src/data/plausible-ranges.js';
import {definitionOf, unwrapped} from '../../src/data/schema-walk.js';
import {hardwareSchema} from '../../src/data/schemas/hardware.js';
import {quantityOf} from '../../src/data/schemas/quantity.js';
import {trainingScenarioSchema} from '../../src/data/schemas/scenario.js';

/** Every numeric field of a schema that holds no quantity, by path (`[]` for a list's items, `|` for a union's branches). */
function untagged(schema: z.core.$ZodType): string[] {
  const missing: string[] = [];
  const walk = (current: z.core.$ZodType, path: string): void => {
    if (quantityOf.get(current)) return;
    const inner = unwrapped(current);
    if (inner) return walk(inner, path);
    const def = definitionOf(current);
    switch (def.type) {
      case 'number':
        missing.push(path);
        return;
      case 'union':
        (def.options as z.core.$ZodType[]).forEach((option, index) => walk(option, `${path}|${index}`));
        return;
      case 'object':
        for (const [key, child] of Object.entries(def.shape as Record<string, z.core.$ZodType>))
          walk(child, path === '' ? key : `${path}.${key}`);
        return;
      case 'array':
        return walk(def.element as z.core.$ZodType, `${path}[]`);
      default:
        return;
    }
  };
  walk(schema, '');
  return missing;
}

const chip = {
  id: 'h100-sxm',
  name: 'NVIDIA H100 SXM',
  vendor: 'NVIDIA',
  peak_tflops: {bf16: 989, fp8: 1979, source: 'datasheet'},
  memory: {capacity_gb: 80, bandwidth_tb_per_s: 3.35, source: 'datasheet'},
  scale_up: {bandwidth_gb_per_s: 450, domain_gpus: 8, source: 'NVLink4'},
  scale_out: {bandwidth_gb_per_s: 50, source: '400G'},
  power: {tdp_w: 700, source: 'datasheet'},
};
const run = {
  id: 'run',
  name: 'A run',
  kind: 'training',
  model: 'm',
  cluster: {hardware: 'h100-sxm', gpus: 16384},
  workload: {tokens: 15.6e12, seq_len: 8192, global_batch_tokens: 16e6},
  precision: 'bf16',
  efficiency: {mfu: 0.38, attention: 'none', source: 'paper'},
};
const withField = <T extends object>(record: T, group: string, field: string, value: unknown): T =>
  ({...record, [group]: {...(record as Record<string, object>)[group], [field]: value}}) as T;

describe('plausible ranges', () => {
  it('give every numeric field of every data file a quantity', () => {
    for (const entry of DATA_SCHEMAS) expect(untagged(entry.schema), entry.file).toEqual([]);
  });

  it('are ordered: possible contains usual, and every slip names what was written', () => {
    for (const [name, quantity] of Object.entries(QUANTITIES)) {
      const [possibleLow, possibleHigh] = quantity.possible;
      const [usualLow, usualHigh] = quantity.usual;
      expect(possibleLow <= usualLow && usualLow < usualHigh && usualHigh <= possibleHigh, name).toBe(true);
      for (const slip of 'slips' in quantity ? quantity.slips : []) expect(slip.wrote, name).not.toBe('');
    }
  });

  it('accept the bundled kinds of values without a message', () => {
    expect(implausibleValues(hardwareSchema, chip)).toEqual([]);
    expect(implausibleValues(trainingScenarioSchema, run)).toEqual([]);
  });

  it('refuse an impossible value as an error at its field, naming the unit slip (bytes for GB)', () => {
    expect(implausibleValues(hardwareSchema, withField(chip, 'memory', 'capacity_gb', 80e9))).toEqual([
      {
        path: ['memory', 'capacity_gb'],
        severity: 'error',
        message:
          '`memory.capacity_gb`: 8e10 GB is impossible for a memory per accelerator, expected 0.001 to 10,000 GB; did you write bytes (80 GB)?',
      },
    ]);
    const [bandwidth] = implausibleValues(hardwareSchema, withField(chip, 'memory', 'bandwidth_tb_per_s', 3.35e12));
    expect(bandwidth).toMatchObject({severity: 'error', path: ['memory', 'bandwidth_tb_per_s']});
    expect(bandwidth?.message).toMatch(
      /3\.35e12 TB\/s is impossible .*did you write bytes per second \(3\.35 TB\/s\)\?/,
    );
  });

  it('warn of a possible but unusual value, naming the slip (GB/s for TB/s, cents for USD, kW for W)', () => {
    const [bandwidth] = implausibleValues(hardwareSchema, withField(chip, 'memory', 'bandwidth_tb_per_s', 3350));
    expect(bandwidth).toMatchObject({severity: 'warning'});
    expect(bandwidth?.message).toMatch(/3,350 TB\/s is unusual .*did you write GB\/s \(3\.35 TB\/s\)\?/);
    expect(judge(QUANTITIES.usd_per_gpu_hour, 299)?.reason).toMatch(/did you write cents \(2\.99 USD\)/);
    expect(judge(QUANTITIES.tdp_w, 0.7)?.reason).toMatch(/did you write kilowatts \(700 W\)/);
    expect(judge(QUANTITIES.training_tokens, 14.8)).toMatchObject({severity: 'warning'});
    expect(judge(QUANTITIES.training_tokens, 1e308)).toMatchObject({severity: 'error'});
  });

  it('check an uncertain number at its low and high ends, and a normal at mean ± 3 sd, once per field', () => {
    const range = implausibleValues(
      trainingScenarioSchema,
      withField(run, 'workload', 'tokens', {low: 1e13, mode: 2e13, high: 1e21}),
    );
    expect(range.map(({path, severity}) => [path.join('.'), severity])).toEqual([['workload.tokens.high', 'error']]);
    const normal = implausibleValues(trainingScenarioSchema, {
      ...run,
      cost: {usd_per_gpu_hour: {dist: 'normal', mean: 200, sd: 10}, source: 'x'},
    });
    expect(normal).toHaveLength(1);
    expect(normal[0]?.message).toMatch(/^`cost\.usd_per_gpu_hour\.mean` \(mean − 3 sd\): 170 USD is unusual/);
  });

  it('make a run shorter than one global batch or one sequence an error at `workload.tokens`', () => {
    const short = trainingScenarioSchema.safeParse(withField(run, 'workload', 'tokens', 14.8));
    expect(short.success).toBe(false);
    expect(short.error?.issues.map(({path, message}) => [path.join('.'), message])).toEqual([
      [
        'workload.tokens',
        'a run of 14.8 tokens is shorter than one global batch (`global_batch_tokens`: 1.6e7), expected at least 1.6e7 tokens; did you write trillions (1.48e13 tokens) or billions (1.48e10 tokens)?',
      ],
    ]);
    const noBatch = {...run, workload: {tokens: {low: 100, mode: 1e12, high: 2e12}, seq_len: 8192}};
    expect(trainingScenarioSchema.safeParse(noBatch).error?.issues[0]?.message).toMatch(
      /^a run of 100 tokens is shorter than one sequence \(`seq_len`: 8,192\)/,
    );
    const batch = trainingScenarioSchema.safeParse(withField(run, 'workload', 'global_batch_tokens', 4096));
    expect(batch.error?.issues.map(({path}) => path.join('.'))).toEqual(['workload.global_batch_tokens']);
  });

  it('make an achievable rate above the peak an error at its field', () => {
    const fast = {...chip, achievable_tflops: {bf16: 1200, source: 'MAMF'}};
    expect(hardwareSchema.safeParse(fast).error?.issues.map(({path}) => path.join('.'))).toEqual([
      'achievable_tflops.bf16',
    ]);
  });
});
