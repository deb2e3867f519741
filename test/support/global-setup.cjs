/**
 * Jest globalSetup of the main run: empties artifacts/sandbox-requests/, where every test sandbox leaves the requests
 * it received (test/support/sandbox.ts), so that the conformance run that follows checks this run's requests only;
 * and empties artifacts/screenshots/, where the browser tests save a screenshot of each widget state.
 */
const {mkdirSync, rmSync} = require('node:fs');
const {join} = require('node:path');

module.exports = async function clearArtifacts() {
  rmSync(join(process.cwd(), 'artifacts', 'sandbox-requests'), {recursive: true, force: true});
  const screenshots = join(process.cwd(), 'artifacts', 'screenshots');
  rmSync(screenshots, {recursive: true, force: true});
  mkdirSync(screenshots, {recursive: true});
};
