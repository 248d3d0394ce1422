import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {editDistance, nearestId, unknownIdReason} from '../../src/diagnostics/nearest-id.js';

/** The hardware ids of data/hardware.yaml, in file order (not sorted). */
const HARDWARE_IDS = ['a100-sxm', 'h100-sxm', 'h800-sxm', 'h200-sxm', 'h20', 'b200-sxm', 'mi300x'];

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('flaw', 'lawn')).toBe(2);
    expect(editDistance('h100-smx', 'h100-sxm')).toBe(2); // a transposition is two edits
    expect(editDistance('h100', 'h100-sxm')).toBe(4);
    expect(editDistance('h100', 'h200')).toBe(1);
    expect(editDistance('mi300x', 'mi325x')).toBe(2);
  });

  it('is zero for equal strings and the other length for an empty one', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('h100-sxm', 'h100-sxm')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abcd', '')).toBe(4);
  });

  it('is a metric bounded by the lengths (property)', () => {
    const word = fc.string({unit: fc.constantFrom('a', 'b', 'c', '-', '1'), maxLength: 8});
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        const ab = editDistance(a, b);
        expect(editDistance(a, a)).toBe(0);
        expect(editDistance(b, a)).toBe(ab);
        expect(ab === 0).toBe(a === b);
        expect(ab).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
        expect(ab).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(editDistance(a, c)).toBeLessThanOrEqual(ab + editDistance(b, c));
      }),
    );
  });
});

describe('nearestId', () => {
  it('suggests the id a typo was meant to be', () => {
    expect(nearestId('h100-smx', HARDWARE_IDS)).toBe('h100-sxm');
    expect(nearestId('h100-sm', HARDWARE_IDS)).toBe('h100-sxm');
    expect(nearestId('mi300', HARDWARE_IDS)).toBe('mi300x');
    expect(nearestId('mi325x', HARDWARE_IDS)).toBe('mi300x');
    expect(nearestId('deepsek-v3', ['deepseek-v3', 'llama-3.1-405b', 'gpt-3-175b'])).toBe('deepseek-v3');
    expect(nearestId('llama-3.1-450b', ['deepseek-v3', 'llama-3.1-405b', 'gpt-3-175b'])).toBe('llama-3.1-405b');
  });

  it('suggests the full id for a prefix of it (h100 → h100-sxm), and the reverse', () => {
    expect(nearestId('h100', HARDWARE_IDS)).toBe('h100-sxm');
    expect(nearestId('b200', HARDWARE_IDS)).toBe('b200-sxm');
    expect(nearestId('h100-sxm5', HARDWARE_IDS)).toBe('h100-sxm');
  });

  it('prefers a prefix match over a closer edit', () => {
    // `h101` is one edit away, `h100-sxm-nvl` is eight, but `h100` is a prefix of it.
    expect(editDistance('h100', 'h101')).toBe(1);
    expect(nearestId('h100', ['h101', 'h100-sxm-nvl'])).toBe('h100-sxm-nvl');
  });

  it('accepts any iterable of known ids, and its order does not matter', () => {
    const reversed = [...HARDWARE_IDS].reverse();
    expect(nearestId('h100-smx', new Set(HARDWARE_IDS))).toBe('h100-sxm');
    expect(nearestId('h100-smx', new Map(HARDWARE_IDS.map((id) => [id, id])).keys())).toBe('h100-sxm');
    expect(nearestId('h100', reversed)).toBe('h100-sxm');
  });

  it('breaks ties between equally close ids alphabetically', () => {
    expect(nearestId('h300-sxm', ['h800-sxm', 'h200-sxm', 'h100-sxm'])).toBe('h100-sxm');
  });

  it('suggests nothing for an id far from every known one', () => {
    expect(nearestId('tpu-v5p', HARDWARE_IDS)).toBeUndefined();
    expect(nearestId('gaudi3', HARDWARE_IDS)).toBeUndefined();
    expect(nearestId('trainium2-ultra', HARDWARE_IDS)).toBeUndefined();
  });

  it('suggests nothing when nothing is known', () => {
    expect(nearestId('h100', [])).toBeUndefined();
  });

  it('accepts up to half the length in edits, and at least two', () => {
    // Length 8: up to 4 edits.
    expect(nearestId('abcdwxyz', ['abcd1234'])).toBe('abcd1234');
    expect(nearestId('abcvwxyz', ['abc12345'])).toBeUndefined();
    // Short ids: two edits are still accepted (the floor of the threshold).
    expect(nearestId('bra', ['bar'])).toBe('bar');
    expect(nearestId('abc', ['xyz'])).toBeUndefined();
  });

  it('suggests h200-sxm, not h20, for h200', () => {
    expect(nearestId('h200', HARDWARE_IDS)).toBe('h200-sxm');
  });
});

describe('unknownIdReason', () => {
  it('suggests the nearest id for a typo', () => {
    expect(unknownIdReason('hardware', 'h100-smx', HARDWARE_IDS)).toBe(
      'Unknown hardware id `h100-smx`, did you mean `h100-sxm`?',
    );
    expect(unknownIdReason('model', 'deepsek-v3', ['deepseek-v3', 'gpt-3-175b'])).toBe(
      'Unknown model id `deepsek-v3`, did you mean `deepseek-v3`?',
    );
  });

  it('suggests the full id for a prefix', () => {
    expect(unknownIdReason('hardware', 'h100', HARDWARE_IDS)).toBe(
      'Unknown hardware id `h100`, did you mean `h100-sxm`?',
    );
  });

  it('lists the known ids, sorted, when nothing is close', () => {
    expect(unknownIdReason('hardware', 'tpu-v5p', HARDWARE_IDS)).toBe(
      'Unknown hardware id `tpu-v5p`, expected one of `a100-sxm`, `b200-sxm`, `h100-sxm`, `h20`, `h200-sxm`, `h800-sxm`, `mi300x`',
    );
    expect(unknownIdReason('scenario', 'nope', new Set(['zeta-run', 'alpha-run']).values())).toBe(
      'Unknown scenario id `nope`, expected one of `alpha-run`, `zeta-run`',
    );
  });

  it('says none are defined when there are no known ids', () => {
    expect(unknownIdReason('scenario', 'anything', [])).toBe(
      'Unknown scenario id `anything`, and no scenario is defined',
    );
  });
});
