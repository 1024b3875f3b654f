import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The edges between units (ARCHITECTURE.md, "Folders and rules"): jobs write, subgraphs read, the
 * gateway composes. Every folder under subgraphs/ is a subgraph, so a new one is covered as soon as
 * it exists.
 */
const SUBGRAPH_NAMES = readdirSync(new URL('./subgraphs', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const EDGES = [
  ...SUBGRAPH_NAMES.map((name) => ({
    target: `./subgraphs/${name}`,
    from: './subgraphs',
    except: [`./${name}`],
    message: 'a subgraph imports no other subgraph: move what both need to lib/domain/ or lib/',
  })),
  {
    target: ['./jobs', './seeds', './simulator', './migrations', './lib', './schema'],
    from: './subgraphs',
    message:
      'jobs, seeds, the simulator, migrations and lib import no subgraph (lib/domain/ holds what they share)',
  },
  {
    target: ['./bin', './gateway', './test', './bench', './scripts'],
    from: './subgraphs',
    except: ['./index.ts'],
    message: 'outside subgraphs/, start subgraphs through their list (subgraphs/index.ts) only',
  },
  {
    target: './lib',
    from: ['./jobs', './gateway', './bin', './seeds', './simulator'],
    message: 'lib/ is the ground everyone stands on: it imports none of the units above it',
  },
];

/** A subgraph's own code reads and serves; only its tests may drive the jobs that feed it. */
const SUBGRAPH_SOURCE_EDGES = [
  ...EDGES,
  {
    target: './subgraphs',
    from: './jobs',
    message: 'a subgraph imports no job: what a writer and a reader share lives in lib/domain/',
  },
];

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', '.data/', 'coverage/', 'artifacts/', '**/__generated__/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.mts', '.js', '.json'] }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: EDGES }],
      'import-x/no-duplicates': 'error',
    },
  },
  {
    files: ['subgraphs/**'],
    ignores: ['**/__tests__/**'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { basePath: import.meta.dirname, zones: SUBGRAPH_SOURCE_EDGES },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
);
