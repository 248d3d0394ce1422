// Lint: typescript-eslint's recommended rules over the sources, tests, benchmarks and scripts.
// Layering (which folder may import which) is dependency-cruiser's job: .dependency-cruiser.cjs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {ignores: ['dist/', 'reports/', 'coverage/', '.tradeoffs/', 'node_modules/', 'test/fixtures/', 'test/golden/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {ecmaVersion: 2023, sourceType: 'module'},
    rules: {
      // Unused names are an error; a leading underscore marks one kept on purpose.
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', {null: 'ignore'}],
    },
  },
  {
    files: ['scripts/**/*.mjs', '*.js', '*.cjs'],
    languageOptions: {globals: {process: 'readonly', console: 'readonly', Buffer: 'readonly', module: 'writable'}},
  },
);
