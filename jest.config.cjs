/** Jest runs TypeScript through swc (no type-check; `npm run typecheck` does that) as CommonJS. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', {jsc: {parser: {syntax: 'typescript'}, target: 'es2022'}, module: {type: 'commonjs'}}],
  },
  // Sources import siblings with the `.js` suffix Node's ESM resolver needs; Jest resolves the `.ts` file.
  moduleNameMapper: {'^(\\.{1,2}/.*)\\.js$': '$1'},
  testMatch: ['<rootDir>/{connector,sandbox,storefront-widget,test}/**/*.test.ts'],
  testTimeout: 30000,
  // Tests share the machine's Postgres/Redis and bind loopback ports; two workers match the 2-core machine.
  maxWorkers: 2,
};
