// Lint is mostly about boundaries: which project may import which (Nx project tags).
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');

module.exports = [
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.nx/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@nx': nx, '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/*/src/**', '../../apps/**'], message: 'Import another project through its @onecard/* alias, never by path.' }] },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Libraries never import apps; an app never imports another app.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:apdu', 'type:kernel', 'type:messaging', 'type:platform', 'type:testing'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [], bannedExternalImports: ['@nestjs/*', 'typeorm', 'nats', 'fastify'] },
            { sourceTag: 'type:apdu', onlyDependOnLibsWithTags: [], bannedExternalImports: ['@nestjs/*', 'typeorm', 'nats', 'fastify', 'class-validator'] },
            // One way only: kernel ← messaging ← platform (no library reaches back up).
            { sourceTag: 'type:kernel', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: ['typeorm', 'nats', 'pg'] },
            { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: ['type:contracts', 'type:kernel'], bannedExternalImports: ['@nestjs/platform-fastify', '@nestjs/swagger'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts', 'type:kernel', 'type:messaging'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:kernel', 'type:messaging', 'type:platform'] },
            { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:contracts', 'type:apdu', 'type:kernel', 'type:messaging', 'type:platform', 'type:testing', 'type:app'] },
          ],
        },
      ],
    },
  },
  {
    // Only tests may use the testing library.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@onecard/testing', message: '@onecard/testing is for tests only.' }],
          patterns: [{ group: ['**/apps/*/src/**', '../../apps/**'], message: 'Import another project through its @onecard/* alias, never by path.' }],
        },
      ],
    },
  },
];
