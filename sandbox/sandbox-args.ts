import {parseArgs, type ParseArgsConfig} from 'node:util';

/**
 * The command line of both sandboxes (`npm run sandbox`, `npm run sandbox:shopify`): node:util's parseArgs plus a
 * one-line description per option, from which `--help` is written, so the help cannot forget an option. Pure: the
 * caller prints and exits (main.ts), tests call it with any argv.
 */
export interface SandboxOption {
  type: 'string' | 'boolean';
  default?: string | boolean;
  /** What the value is, shown as `--port <value>`. */
  value?: string;
  help: string;
}

export interface SandboxCli<O extends Record<string, SandboxOption>> {
  /** e.g. `npm run sandbox` */
  command: string;
  /** One or two sentences on what the command starts. */
  summary: string;
  options: O;
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type Values<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{options: O; strict: true; allowPositionals: false}>
>['values'];

export type SandboxArgs<O extends Record<string, SandboxOption>> =
  | {kind: 'run'; values: Values<O>}
  | {kind: 'help'; text: string}
  /** One line for stderr; the process exits 2. */
  | {kind: 'error'; line: string};

export function parseSandboxArgs<const O extends Record<string, SandboxOption>>(
  argv: readonly string[],
  cli: SandboxCli<O>,
): SandboxArgs<O> {
  if (argv.includes('--help') || argv.includes('-h')) return {kind: 'help', text: sandboxHelp(cli)};
  try {
    const {values} = parseArgs({args: [...argv], options: cli.options, strict: true, allowPositionals: false});
    return {kind: 'run', values: values as Values<O>};
  } catch (error) {
    // parseArgs's messages are one sentence each; the hint to --help follows it on the same line.
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return {kind: 'error', line: `${cli.command}: ${message} (see ${cli.command} -- --help)`};
  }
}

export function sandboxHelp(cli: SandboxCli<Record<string, SandboxOption>>): string {
  const rows: Array<[string, string]> = Object.entries(cli.options).map(([name, o]) => [
    o.type === 'string' ? `--${name} <${o.value ?? 'value'}>` : `--${name}`,
    o.default !== undefined && o.default !== false ? `${o.help} (default ${String(o.default)})` : o.help,
  ]);
  rows.push(['-h, --help', 'print this help and exit']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const lines = rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`);
  return `usage: ${cli.command} -- [options]\n\n${cli.summary}\n\noptions:\n${lines.join('\n')}\n`;
}
