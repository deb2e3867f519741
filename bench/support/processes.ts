import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';

/** A server process of a benchmark, and its base URL once it listens. */
export interface BenchProcess {
  child: ChildProcess;
  base: string;
  stop(): Promise<void>;
}

/**
 * Spawns `node [nodeArgs] --import tsx <entry>` and resolves once its stdout names the port it listens on: the
 * connector's "connector listening" log line (PORT=0), or the bare server's `listening <port>`.
 */
export async function spawnServer(
  entry: string,
  env: Record<string, string>,
  options: {nodeArgs?: string[]; label?: string} = {},
): Promise<BenchProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', entry], {
    env: {...process.env, ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const label = options.label ?? entry;
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${label}] ${chunk.toString()}`));
  const base = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n').slice(0, -1)) {
        const url = /"url":"(http:\/\/[^"]+)"/.exec(line)?.[1];
        const port = /^listening (\d+)$/.exec(line)?.[1];
        if ((url && line.includes('connector listening')) || port) {
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve(url ?? `http://127.0.0.1:${port}`);
          return;
        }
        if (/"level":(50|60)/.test(line)) process.stderr.write(`[${label}] ${line}\n`);
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${label} exited (${code}) before listening`)));
  });
  return {
    child,
    base,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
