/** Jest runs TypeScript through swc (no type-check; `npm run typecheck` does that) as CommonJS. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {jsc: {parser: {syntax: 'typescript'}, target: 'es2022'}, module: {type: 'commonjs'}},
    ],
  },
  // Sources import siblings with the `.js` suffix Node's ESM resolver needs; Jest resolves the `.ts` file.
  moduleNameMapper: {'^(\\.{1,2}/.*)\\.js$': '$1'},
  testMatch: ['<rootDir>/{connector,sandbox,storefront-widget,test}/**/*.test.ts'],
  // The OpenAPI conformance check runs afterwards on what this run recorded (jest.conformance.config.cjs).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/conformance/'],
  // Empties artifacts/sandbox-requests/ so that the conformance run sees this run's requests only.
  globalSetup: '<rootDir>/test/support/global-setup.cjs',
  testTimeout: 30000,
  // Tests share the machine's Postgres/Redis and bind loopback ports; two workers match the 2-core machine.
  maxWorkers: 2,
};
