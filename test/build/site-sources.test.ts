import {describe, expect, it} from 'vitest';
import {environmentDate} from '../../src/build/build-output.js';
import {environmentCommit} from '../../src/build/site-sources.js';
import {provenanceOf} from '../../src/render/site-info.js';

describe('environmentCommit', () => {
  it('takes SOURCE_COMMIT, else GITHUB_SHA, and nothing that is not a plain name', () => {
    expect(environmentCommit({SOURCE_COMMIT: 'abc', GITHUB_SHA: 'def'})).toBe('abc');
    expect(environmentCommit({GITHUB_SHA: ' 0123456789abcdef0123456789abcdef01234567 '})).toBe(
      '0123456789abcdef0123456789abcdef01234567',
    );
    expect(environmentCommit({})).toBeNull();
    expect(environmentCommit({SOURCE_COMMIT: '<script>'})).toBeNull();
    expect(environmentCommit({SOURCE_COMMIT: ''})).toBeNull();
  });
});

describe("the site's dates", () => {
  it("knows the build's date only from SOURCE_DATE_EPOCH, never the clock", () => {
    expect(environmentDate({SOURCE_DATE_EPOCH: '1764979200'})?.toISOString()).toBe('2025-12-06T00:00:00.000Z');
    expect(environmentDate({})).toBeNull();
    expect(environmentDate({SOURCE_DATE_EPOCH: 'soon'})).toBeNull();
  });

  it("says the data's date as the data's, and a build date only when it has one", () => {
    expect(provenanceOf({builtOn: null, dataAsOf: '2026-05-18'})).toBe('Data as of 2026-05-18');
    expect(provenanceOf({builtOn: '2026-12-05', dataAsOf: '2026-05-18'})).toBe(
      'Built 2026-12-05 from data as of 2026-05-18',
    );
    expect(provenanceOf({builtOn: null, dataAsOf: null})).toBeNull();
  });
});
