import {describe, expect, it} from 'vitest';
import {SERVING_CONSTANT_LIST, SERVING_CONSTANT_VALUES} from '../../../src/estimate/inference/serving-constants.js';

/** The registry of the serving model's constants: every number says where it comes from and how sure it is. */
describe('the serving constants', () => {
  it('each have a value inside their range, a unit, a description and a source', () => {
    for (const constant of SERVING_CONSTANT_LIST) {
      expect(constant.range.low).toBeLessThanOrEqual(constant.value);
      expect(constant.value).toBeLessThanOrEqual(constant.range.high);
      if (constant.status === 'fitted') expect(constant.fitInterval).toBeDefined();
      expect(constant.unit.length).toBeGreaterThan(0);
      expect(constant.description.length).toBeGreaterThan(20);
      expect(constant.source.length).toBeGreaterThan(20);
    }
  });

  it('say what they are: an assumption is marked [?], a sourced number cites an author, a third party or a derivation, a fitted one says so', () => {
    for (const constant of SERVING_CONSTANT_LIST) {
      if (constant.status === 'assumed') expect(constant.source).toMatch(/^\[\?\] assumed/);
      if (constant.status === 'sourced') expect(constant.source).toMatch(/^\[(A|T|T\*|D)\]/);
      if (constant.status === 'fitted') expect(constant.source).toMatch(/^Fitted to the serving references/);
    }
  });

  it('have unique ids, and their values are the registry’s', () => {
    const ids = SERVING_CONSTANT_LIST.map((constant) => constant.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const constant of SERVING_CONSTANT_LIST)
      expect(SERVING_CONSTANT_VALUES[constant.id as keyof typeof SERVING_CONSTANT_VALUES]).toBe(constant.value);
  });
});
