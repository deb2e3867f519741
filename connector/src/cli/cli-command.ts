import type {ParseArgsConfig} from 'node:util';

/** Where a command writes: the terminal in main.ts, buffers in tests. */
export interface CliIo {
  stdout: {write(text: string): unknown};
  stderr: {write(text: string): unknown};
  /** The environment, for defaults such as ADMIN_TOKEN (passed in by main.ts; tests pass their own). */
  env?: Readonly<Record<string, string | undefined>>;
}

export type CliOptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** One `npm run connector -- <name> …` command. Each lives in its own file under commands/ and is listed in commands/index.ts. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Resolves to the process exit code. */
  run(values: CliOptionValues, io: CliIo): Promise<number>;
}
