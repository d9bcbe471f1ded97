// Lint rules: typescript-eslint's recommended set; the project's determinism rule (models —
// sim/, policies/, workloads/ — must not read ambient randomness or wall-clock time); and the
// layers of docs/architecture.md as import zones: a folder may import only the folders below it,
// and no import circle may form. A zone is a list of folders a layer may import; every other
// project folder is forbidden to it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// Every folder that takes part in the layering. A file outside them (vitest.config.ts, this file)
// is not restricted.
const FOLDERS = [
  'sim/kernel',
  'sim/options',
  'sim/spec',
  'sim/results',
  'sim/abi',
  'sim/guest',
  'sim/host',
  'sim/experiment',
  'sim/runner',
  'sim/cli',
  'sim/validation',
  'policies/shared',
  'policies/balloon',
  'policies/cpu',
  'policies/time',
  'workloads',
  'reports',
  'bench',
  'test',
];

// What each layer may import besides itself (the picture in docs/architecture.md). Layers left
// out (sim/cli, sim/validation, bench, test) sit on top and may import anything below them.
const POLICY = ['policies/shared', 'sim/options', 'sim/kernel'];
const MAY_IMPORT = {
  'sim/kernel': [],
  'sim/options': ['sim/kernel'],
  'sim/spec': ['sim/options', 'sim/kernel'],
  'sim/results': ['sim/spec', 'sim/options', 'sim/kernel'],
  'policies/shared': ['sim/options', 'sim/kernel'],
  'policies/balloon': POLICY,
  'policies/cpu': POLICY,
  'policies/time': POLICY,
  workloads: ['sim/options', 'sim/kernel'],
  'sim/abi': ['sim/results', 'sim/spec', 'sim/options', 'sim/kernel'],
  'sim/guest': ['sim/abi', 'workloads', 'sim/spec', 'sim/options', 'sim/kernel'],
  'sim/host': [
    'sim/guest',
    'sim/abi',
    'policies/shared',
    'policies/balloon',
    'policies/cpu',
    'policies/time',
    'workloads',
    'sim/results',
    'sim/spec',
    'sim/options',
    'sim/kernel',
  ],
  // The loader meets every registry, but never the host model it configures.
  'sim/experiment': FOLDERS.filter(
    (f) => !['sim/host', 'sim/runner', 'sim/cli', 'sim/validation', 'reports', 'bench', 'test'].includes(f),
  ),
  'sim/runner': ['sim/experiment', 'sim/host', 'sim/results', 'sim/spec', 'sim/options', 'sim/kernel'],
  reports: ['sim/results'],
};

const zones = Object.entries(MAY_IMPORT).map(([target, allowed]) => ({
  target,
  from: FOLDERS.filter((f) => f !== target && !allowed.includes(f)),
  message: `${target} may import only ${[target, ...allowed].join(', ')} (docs/architecture.md, "Layers").`,
}));
// Production code never reaches into the tests or the benchmarks.
zones.push({
  target: FOLDERS.filter((f) => f !== 'test' && f !== 'bench'),
  from: ['test', 'bench'],
  message: 'Only tests and benchmarks import test/ or bench/.',
});

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
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // The cycle rule parses every imported file: it must know TypeScript files and their parser.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      // An import the resolver cannot follow would escape the zones above unseen.
      'import-x/no-unresolved': 'error',
      'import-x/no-cycle': 'error',
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
