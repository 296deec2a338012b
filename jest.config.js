/** @type {import('jest').Config} */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] };
const common = {
  testEnvironment: 'node',
  transform,
  // n2words ships ES modules only; the rest of node_modules is CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!n2words/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // Integration tests wait on real workflows; unit tests finish far below this.
  testTimeout: 120000,
  // Test files run in worker processes that are replaced once they hold this much: in one
  // process (--runInBand) every file's module registry (Temporal SDK, Sequelize, LangChain)
  // stays reachable and the whole run ran out of heap after ~150 files.
  workerIdleMemoryLimit: '1GB',
  // Two files at a time: integration files mostly wait on workflows, and each has its own task queues and workspace
  // (test/support/harness.ts), so they share the one Temporal dev server and PostgreSQL safely. CI's machine has two
  // cores; jest's default there (cores − 1) would run one file at a time and take over 35 minutes.
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    // `npm run dev` itself, from fresh clones (as root, in a 0700 folder, and as a non-root user).
    { ...common, displayName: 'devstack', testMatch: ['<rootDir>/test/devstack/**/*.test.ts'] },
  ],
};
