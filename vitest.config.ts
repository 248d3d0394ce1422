import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Reports must not depend on the machine's zone or locale.
    env: {TZ: 'UTC'},
  },
});
