import {spawn, type ChildProcess} from 'node:child_process';

/**
 * Starts `npm start`'s entry point as its own process on a port the OS picks (PORT=0), and resolves its base URL from
 * its own "connector listening" log line: a port found free beforehand can be taken by another test's server before
 * the child binds it, and the test would then talk to that server.
 */
export function startConnectorProcess(env: Record<string, string>): {
  child: ChildProcess;
  base: Promise<string>;
  /** Everything the process wrote to stdout so far (its JSON log lines and the start banner). */
  output: () => string;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'connector/src/main.ts'], {
    env: {...process.env, ...env, PORT: '0', LOG_LEVEL: 'info'},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[connector] ${chunk.toString()}`));
  const base = new Promise<string>((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n').slice(0, -1)) {
        const url = /"url":"(http:\/\/[^"]+)"/.exec(line)?.[1];
        if (url && line.includes('connector listening')) {
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve(url);
          return;
        }
        if (/"level":(50|60)/.test(line)) process.stderr.write(`[connector] ${line}\n`);
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the connector exited (${code}) before listening`)));
  });
  base.catch(() => undefined);
  return {child, base, output: () => output};
}
