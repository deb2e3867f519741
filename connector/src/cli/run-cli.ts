import {parseArgs} from 'node:util';
import type {CliCommand, CliIo} from './cli-command.js';
import {COMMANDS} from './commands/index.js';
import {defaultConnectorUrl} from './connector-url.js';

/** Parses `<command> [options]`, runs the command from the table and returns the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly CliCommand[] = COMMANDS,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`unknown command: ${name}\n\n${helpText(commands)}`);
    return 2;
  }
  let values;
  try {
    ({values} = parseArgs({args: [...rest], options: command.options, strict: true, allowPositionals: false}));
  } catch (error) {
    io.stderr.write(
      `${command.name}: ${error instanceof Error ? error.message : String(error)}\nusage: ${command.usage}\n`,
    );
    return 2;
  }
  return command.run(values, io);
}

function helpText(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}\n      ${c.usage}`);
  return (
    `usage: npm run connector -- <command> [options]\n\ncommands:\n${lines.join('\n')}\n\n` +
    `The connector is at --url, else CONNECTOR_URL, else http://HOST:PORT as the service reads them ` +
    `(default ${defaultConnectorUrl({})}); the admin token is --token, else ADMIN_TOKEN.\n`
  );
}
