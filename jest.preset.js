// Shared Jest settings: swc with the decorator metadata Nest's injection needs.
const path = require('node:path');
const root = __dirname;
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
    '^.+\\.m?js$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } }],
  },
  // A few dependencies ship ESM only; swc turns them into CommonJS for Jest (Node itself loads them via require(esm)).
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@onecard/(contracts|apdu|kernel|messaging|platform|testing)$': path.join(root, 'libs/$1/src/index.ts'),
    // The kernel's light entry points, for the outbox relay thread (it loads only what publishing needs).
    '^@onecard/kernel/logging$': path.join(root, 'libs/kernel/src/logging/index.ts'),
    '^@onecard/kernel/tokens$': path.join(root, 'libs/kernel/src/app/tokens.ts'),
  },
};
