/** Jest: TypeScript through ts-jest (transpile only; `npm run typecheck` type-checks everything). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  // Docker-backed tests share one engine on a 2-core machine: keep parallelism modest.
  maxWorkers: process.env.CI ? 2 : '50%',
};
