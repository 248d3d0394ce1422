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
    // Parsed JSON is input (a manifest, a shard, a cache entry): check it with a zod schema, never assert its type.
    files: ['src/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['TSAsExpression', 'TSTypeAssertion'].map((assertion) => ({
          selector: `${assertion} > CallExpression[callee.object.name="JSON"][callee.property.name="parse"]`,
          message:
            'JSON.parse(...) as T trusts input: check it with a zod schema (parseJsonAt or parseJsonQuietly in src/data/json-file.ts).',
        })),
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', '*.js', '*.cjs'],
    languageOptions: {globals: {process: 'readonly', console: 'readonly', Buffer: 'readonly', module: 'writable'}},
  },
);
