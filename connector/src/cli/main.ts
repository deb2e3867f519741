import {runCli} from './run-cli.js';

// `npm run connector -- <command> [options]`
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
