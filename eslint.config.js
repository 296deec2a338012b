// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');

/** Modules that would make workflow code non-deterministic or do I/O. */
const workflowBannedImports = [
  'fs',
  'fs/promises',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'dns',
  'worker_threads',
  'sequelize',
  'pg',
  'puppeteer-core',
  'express',
  'winston',
  'nodemailer',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@langchain/openai',
  '@langchain/core',
].flatMap((name) => [name, `node:${name}`]);

/**
 * Layer rules (docs/architecture.md). Each folder lists the folders it must not reach; a rule with `types: true`
 * still lets `import type` through, because a type costs nothing at run time and is how a layer names what another
 * produces (workflows name their activities, the API a workflow's input). The regexes match relative
 * imports only, so a package such as `@opentelemetry/api` is never mistaken for the api folder.
 */
const folder = (name, rest = '') => `^(\\.\\./)+${name}${rest}(/|$)`;
const layer = (regex, message, types = false) => ({ regex, message, allowTypeImports: types });

const layerRules = {
  lib: [
    layer(
      folder('(activities|api|db|workers|workflows)'),
      'lib/ is the bottom layer: it imports nothing of activities, api, db, workers or workflows.',
    ),
  ],
  db: [
    layer(
      folder('(activities|api|workers|workflows)'),
      'db/ may import lib/ only: models and repositories know nothing of activities, the API, workers or workflows.',
    ),
  ],
  // A repository is given the database handle and queries its models; it names a model (or the handle) as a type only.
  'db/repositories': [
    layer(
      '^\\.\\.(/index)?$|^\\.\\./models/',
      'Repositories query the models of the handle they are given (`db.models`): import models and db/index as types only.',
      true,
    ),
  ],
  api: [
    layer(
      '^(\\.\\./)+activities(/(?!storage(/|$))|$)',
      'The API may use only the storage port of activities (activities/storage); move shared code to lib/ or a service.',
    ),
    layer(folder('workers'), 'The API does not import workers.'),
    layer(folder('db', '/models'), 'Routes and services reach data through repositories, never models.'),
    layer(
      '^(\\.\\./)+workflows/.+\\.workflow$',
      "The API takes a workflow's input types with `import type`; its messages and helpers come from their own modules.",
      true,
    ),
  ],
  activities: [
    layer(folder('(api|workers)'), 'Activities do not import the API or the workers.'),
    layer(
      '^(\\.\\./)+db(/(?!repositories/)|$)',
      'Activities reach the database through the repositories they are given, never models or the connection.',
    ),
    layer(folder('workflows'), 'Activities import only types from workflows/.', true),
  ],
  workflows: [
    layer(folder('(api|db|workers)'), 'Workflows import nothing of the API, the database or the workers.'),
    layer(folder('activities'), 'Workflows may only import activity types (`import type`).', true),
    layer(
      '^(\\.\\./)+lib/(config|logger)$',
      'Workflows do not read config or log through the logger: take values in the input, log with `log` from @temporalio/workflow.',
    ),
  ],
};

/**
 * One `no-restricted-imports` block per layer; `paths` adds module bans (the workflow determinism guard), `parent`
 * the rules of the enclosing layer (a later block replaces the rule's options rather than adding to them).
 */
const layerBlock = (name, paths = [], parent = []) => ({
  files: [`${name}/**/*.ts`],
  rules: { 'no-restricted-imports': ['error', { paths, patterns: [...parent, ...layerRules[name]] }] },
});

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'data/',
      'coverage/',
      'ui/vendor/',
      'eslint.config.js',
      'jest.config.js',
      // Broken on purpose: test/unit/layers.test.ts lints them under paths inside the layers.
      'test/fixtures/layers/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['ui/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: false },
      sourceType: 'module',
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        EventSource: 'readonly',
        location: 'readonly',
        history: 'readonly',
        URLSearchParams: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        FormData: 'readonly',
        navigator: 'readonly',
      },
    },
  },
  {
    files: ['scripts/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: false },
      sourceType: 'commonjs',
      globals: { require: 'readonly', process: 'readonly', console: 'readonly', __dirname: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read JSON bodies whose shape each assertion states.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  layerBlock('lib'),
  layerBlock('db'),
  layerBlock('db/repositories', [], layerRules.db),
  layerBlock('api'),
  layerBlock('activities'),
  {
    // Determinism guard: workflow code runs in a sandbox and is replayed.
    files: ['workflows/**/*.ts'],
    rules: {
      ...layerBlock('workflows', workflowBannedImports).rules,
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message:
            'Use workflow time via Date() only where the SDK makes it deterministic; prefer workflowInfo() or sleep().',
        },
        {
          selector: "MemberExpression[object.name='Math'][property.name='random']",
          message: 'Use uuid4() from @temporalio/workflow.',
        },
        {
          selector: "MemberExpression[object.name='process']",
          message: 'Workflows must not read the process environment.',
        },
        { selector: "CallExpression[callee.name='setTimeout']", message: 'Use sleep() from @temporalio/workflow.' },
      ],
    },
  },
  prettier,
);
