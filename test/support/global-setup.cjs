/**
 * Jest globalSetup of the main run: empties artifacts/sandbox-requests/, where every test sandbox leaves the requests
 * it received (test/support/sandbox.ts), so that the conformance run that follows checks this run's requests only.
 */
const {rmSync} = require('node:fs');
const {join} = require('node:path');

module.exports = async function clearRecordedSandboxRequests() {
  rmSync(join(process.cwd(), 'artifacts', 'sandbox-requests'), {recursive: true, force: true});
};
