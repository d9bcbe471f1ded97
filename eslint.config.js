// Lint rules: typescript-eslint's recommended set plus the project's determinism rule — models
// (sim/, policies/, workloads/) must not read ambient randomness or wall-clock time.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['sim/kernel/**', 'sim/host/**', 'sim/guest/**', 'sim/abi/**', 'policies/**', 'workloads/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use a named stream of the run RNG.' },
        { object: 'Date', property: 'now', message: 'Models use simulated time only.' },
        { object: 'performance', property: 'now', message: 'Models use simulated time only.' },
      ],
    },
  },
);
