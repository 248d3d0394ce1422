import {describe, expect, it} from 'vitest';
import {environmentCommit} from '../../src/build/site-sources.js';

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
