/**
 * Where the CLI looks for the connector when neither --url nor CONNECTOR_URL says: the address the service itself
 * listens on, from the same HOST and PORT (config.ts: 127.0.0.1 and 3000 by default), so that `PORT=8080 npm start`
 * and `PORT=8080 npm run connector -- status` find each other without more settings.
 */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 3000;

/** A host the service binds to but nobody can connect to ("all interfaces") is reached on loopback. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

export function defaultConnectorUrl(env: Readonly<Record<string, string | undefined>>): string {
  const port = Number(env.PORT);
  // PORT=0 (any free port) or a value the service would refuse gives nothing to connect to: keep the default.
  const usablePort =
    env.PORT !== undefined && Number.isInteger(port) && port > 0 && port <= 65535 ? port : DEFAULT_PORT;
  const rawHost = env.HOST?.trim() || DEFAULT_HOST;
  const host = WILDCARD_HOSTS.has(rawHost) ? DEFAULT_HOST : rawHost;
  // An IPv6 literal needs brackets in a URL.
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${urlHost}:${usablePort}`;
}

/** --url first, then CONNECTOR_URL, then HOST/PORT as the service reads them. */
export function connectorUrl(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>> = {},
): string {
  return explicit ?? env.CONNECTOR_URL ?? defaultConnectorUrl(env);
}
