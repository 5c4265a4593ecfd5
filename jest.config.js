// `npm test` runs every project: unit specs beside the code, e2e suites per app.
const preset = require('./jest.preset');
module.exports = {
  // Global on purpose: jest-circus reads the timeout from the global config only (a project's
  // own `testTimeout` is ignored). e2e tests boot real apps, several at once in some suites.
  testTimeout: 30_000,
  projects: [
    { ...preset, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/**/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'] },
    { ...preset, displayName: 'e2e', testMatch: ['<rootDir>/apps/*/test/**/*.e2e-spec.ts', '<rootDir>/libs/*/test/**/*.e2e-spec.ts', '<rootDir>/tools/e2e/**/*.e2e-spec.ts'] },
  ],
};
