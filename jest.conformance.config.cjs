/**
 * The OpenAPI conformance run: after the main run (npm test runs `jest` then this), it checks every request the test
 * sandboxes recorded in artifacts/sandbox-requests/ against the description (test/conformance/). Same transform as the
 * main run; no globalSetup, which would empty the recordings it is about to check.
 */
const base = require('./jest.config.cjs');

module.exports = {
  ...base,
  globalSetup: undefined,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: ['<rootDir>/test/conformance/**/*.test.ts'],
};
