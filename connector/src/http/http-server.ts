import {once} from 'node:events';
import {createServer, type RequestListener, type Server} from 'node:http';
import type {Config} from '../config/config.js';

/**
 * What one client may hold of the server. Node's own defaults (headers within 60 s, the request within 300 s, no
 * connection cap, timeouts checked every 30 s) let a few hundred slow clients keep sockets and buffered bodies for
 * minutes; these bound them. Shopify answers within 5 s and Mailchimp within 10 s, so no genuine delivery is slow.
 */
export interface HttpServerLimits {
  /** The request's headers must have arrived within this (HTTP_HEADERS_TIMEOUT_MS); else 408 and the socket closes. */
  headersTimeoutMs: number;
  /** The whole request, body included, must have arrived within this (HTTP_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** Sockets open at once (HTTP_MAX_CONNECTIONS); a connection beyond it is closed as soon as it is accepted. */
  maxConnections: number;
  /** How often the timeouts are checked (Node's default is 30 s, which would let a slow client overstay by that much). */
  checkIntervalMs?: number;
}

const DEFAULT_CHECK_INTERVAL_MS = 1000;

export function httpServerLimits(
  config: Pick<Config, 'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS' | 'HTTP_MAX_CONNECTIONS'>,
): HttpServerLimits {
  return {
    headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    maxConnections: config.HTTP_MAX_CONNECTIONS,
  };
}

/** The connector's HTTP server (what `npm start` listens with): the app behind the limits, listening once resolved. */
export async function startHttpServer(
  app: RequestListener,
  options: {port: number; host: string; limits: HttpServerLimits},
): Promise<Server> {
  const {limits} = options;
  const server = createServer(
    {
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(
        10,
        limits.checkIntervalMs ?? Math.min(DEFAULT_CHECK_INTERVAL_MS, limits.headersTimeoutMs),
      ),
    },
    app,
  );
  server.maxConnections = limits.maxConnections;
  server.listen(options.port, options.host);
  await once(server, 'listening');
  return server;
}
