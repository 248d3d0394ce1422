// The explorer's state in the address (src/client/explorer/state.ts): what a link holds, read back the same.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
  parsePath,
  readState,
  sameValue,
  withEdit,
  writeState,
  type ExplorerState,
} from '../../../src/client/explorer/state.js';

const segment = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/), fc.nat({max: 20}));
const value = fc.oneof(
  fc.double({noNaN: true, noDefaultInfinity: true}).map((number) => (Object.is(number, -0) ? 0 : number)),
  fc.string({maxLength: 20}),
  fc.boolean(),
  fc.constant(null),
  fc.record({low: fc.integer(), mode: fc.integer(), high: fc.integer()}),
  fc.array(fc.integer(), {maxLength: 4}),
);
const state: fc.Arbitrary<ExplorerState> = fc.record({
  scenario: fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}$/),
  point: fc.record(
    {hardware: fc.string({minLength: 1, maxLength: 12}), gpus: fc.stringMatching(/^[0-9]{1,5}$/)},
    {requiredKeys: []},
  ),
  edits: fc.array(fc.record({path: fc.array(segment, {minLength: 1, maxLength: 4}), value}), {maxLength: 6}),
});

describe('the state in the address', () => {
  it('reads back what it wrote, whatever the values (text, numbers, ranges, lists, null)', () => {
    fc.assert(
      fc.property(state, (written) => {
        const {state: read, ignored} = readState(writeState(written));
        expect(ignored).toEqual([]);
        expect(read.scenario).toBe(written.scenario);
        expect(read.point).toEqual(written.point);
        expect(read.edits.length).toBe(written.edits.length);
        read.edits.forEach((edit, index) => {
          expect(edit.path).toEqual(written.edits[index]?.path);
          expect(sameValue(edit.value, written.edits[index]?.value)).toBe(true);
        });
      }),
      {seed: 19, numRuns: 300},
    );
  });

  it('writes plain words and numbers as they are, and leaves braces and commas readable', () => {
    const query = writeState({
      scenario: 'deepseek-v3-pretraining',
      point: {hardware: 'h100-sxm'},
      edits: [
        {path: ['cluster', 'gpus'], value: 4096},
        {path: ['parallelism', 'schedule'], value: '1f1b'},
        {path: ['cost', 'usd_per_gpu_hour'], value: {low: 1.5, mode: 1.9, high: 3}},
        {path: ['name'], value: '123'},
      ],
    });
    expect(query).toBe(
      '?scenario=deepseek-v3-pretraining&at.hardware=h100-sxm&set.cluster.gpus=4096&set.parallelism.schedule=1f1b' +
        '&set.cost.usd_per_gpu_hour={%22low%22:1.5,%22mode%22:1.9,%22high%22:3}&set.name=%22123%22',
    );
  });

  it('ignores what it cannot use, and says which keys: prototype keys, odd paths, unknown keys', () => {
    const {state: read, ignored} = readState(
      '?scenario=x&set.__proto__.polluted=1&set.a..b=1&set.constructor=2&other=3&at.nope=4&set.ok=5',
    );
    expect(read.edits).toEqual([{path: ['ok'], value: 5}]);
    expect(ignored).toEqual(['set.__proto__.polluted', 'set.a..b', 'set.constructor', 'other', 'at.nope']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parsePath('sweep.techniques.0.name')).toEqual(['sweep', 'techniques', 0, 'name']);
  });

  it('keeps one edit per field: a group replaces the edits below it, and writing the original value drops the edit', () => {
    let edits = withEdit([], {path: ['parallelism', 'tp'], value: 8}, 1);
    edits = withEdit(edits, {path: ['cluster', 'gpus'], value: 4096}, 2048);
    expect(edits).toHaveLength(2);
    edits = withEdit(edits, {path: ['parallelism'], value: 'search'}, {tp: 1});
    expect(edits.map((edit) => edit.path.join('.'))).toEqual(['cluster.gpus', 'parallelism']);
    edits = withEdit(edits, {path: ['cluster', 'gpus'], value: 2048}, 2048);
    expect(edits.map((edit) => edit.path.join('.'))).toEqual(['parallelism']);
    expect(withEdit([], {path: ['energy'], value: null}, undefined)).toEqual([]);
  });
});
