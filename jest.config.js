// `npm test` runs every project: unit specs beside the code, e2e suites per app.
const preset = require('./jest.preset');
module.exports = {
  projects: [
    { ...preset, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/**/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'] },
    { ...preset, displayName: 'e2e', testMatch: ['<rootDir>/apps/*/test/**/*.e2e-spec.ts', '<rootDir>/libs/*/test/**/*.e2e-spec.ts', '<rootDir>/tools/e2e/**/*.e2e-spec.ts'], testTimeout: 60000 },
  ],
};
