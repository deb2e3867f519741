import {execFile} from 'node:child_process';
import {parseSandboxArgs, type SandboxCli, type SandboxOption} from './sandbox-args.js';

const CLI = {
  command: 'npm run demo-sandbox',
  summary: 'Starts a thing.',
  options: {
    port: {type: 'string', default: '4010', value: 'port', help: 'port to listen on'},
    loud: {type: 'boolean', default: false, help: 'say more'},
  },
} satisfies SandboxCli<Record<string, SandboxOption>>;

describe('the sandboxes’ command line', () => {
  it('parses the options with their defaults', () => {
    expect(parseSandboxArgs([], CLI)).toEqual({kind: 'run', values: {port: '4010', loud: false}});
    expect(parseSandboxArgs(['--port', '1', '--loud'], CLI)).toEqual({kind: 'run', values: {port: '1', loud: true}});
  });

  it('answers --help and -h with every option, its value and its default', () => {
    for (const flag of ['--help', '-h']) {
      const parsed = parseSandboxArgs(['--port', '1', flag], CLI);
      expect(parsed).toEqual({
        kind: 'help',
        text:
          'usage: npm run demo-sandbox -- [options]\n\nStarts a thing.\n\noptions:\n' +
          '  --port <port>  port to listen on (default 4010)\n' +
          '  --loud         say more\n' +
          '  -h, --help     print this help and exit\n',
      });
    }
  });

  it('refuses an unknown option or a stray argument in one line', () => {
    for (const argv of [['--nope'], ['4010'], ['--port']]) {
      const parsed = parseSandboxArgs(argv, CLI);
      expect(parsed.kind).toBe('error');
      if (parsed.kind === 'error') {
        expect(parsed.line).toMatch(/^npm run demo-sandbox: .+ \(see npm run demo-sandbox -- --help\)$/);
        expect(parsed.line).not.toContain('\n');
      }
    }
  });
});

/** Runs a sandbox's main.ts as `npm run` does (through tsx) and resolves to its exit code and output. */
function runMain(file: string, args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', file, ...args], {timeout: 60_000}, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({code, stdout, stderr});
    });
  });
}

describe.each([
  [
    'sandbox/mailchimp/main.ts',
    'npm run sandbox',
    ['--port <port>', '--api-key <key-dc>', '--double-opt-in', '--seed <n>'],
  ],
  [
    'sandbox/shopify/main.ts',
    'npm run sandbox:shopify',
    ['--port <port>', '--products <n>', '--orders <n>', '--webhook-url <url>', '--no-throttle'],
  ],
])('%s', (file, command, someOptions) => {
  it('prints its options for --help and exits 0 without starting', async () => {
    const {code, stdout, stderr} = await runMain(file, ['--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^usage: ${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} -- \\[options\\]\n`));
    for (const option of [...someOptions, '-h, --help']) expect(stdout).toContain(`  ${option}`);
    expect(stdout).not.toContain('listening');
  });

  it('refuses an unknown option with one line and exit code 2', async () => {
    const {code, stdout, stderr} = await runMain(file, ['--nope']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${command}: Unknown option '--nope' (see ${command} -- --help)\n`);
  });
});
