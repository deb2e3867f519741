import {once} from 'node:events';
import {createServer} from 'node:net';

/** The one line a newcomer needs when the port is taken (no stack trace). */
export function portInUseMessage(port: number, host: string): string {
  return `port ${port} on ${host} is already in use: stop what listens there, or set PORT to another port (PORT=0 picks a free one)`;
}

export function isAddressInUse(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as {code?: unknown}).code === 'EADDRINUSE';
}

/**
 * Whether the port can be listened on now: checked at start-up before anything slow (database, sandboxes, the widget
 * build), so a taken port is said at once. The real listen later still handles a port taken in between.
 */
export async function portIsFree(port: number, host: string): Promise<boolean> {
  if (port === 0) return true;
  const probe = createServer();
  try {
    probe.listen(port, host);
    await once(probe, 'listening');
  } catch (err) {
    if (isAddressInUse(err)) return false;
    throw err;
  }
  await new Promise((resolve) => probe.close(resolve));
  return true;
}
