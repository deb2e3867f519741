import {once} from 'node:events';
import {createServer, type AddressInfo} from 'node:net';

/** A loopback port free right now, for a process the caller starts itself (a connector child process). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const {port} = server.address() as AddressInfo;
  server.close();
  return port;
}
