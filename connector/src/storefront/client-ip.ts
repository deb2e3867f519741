import {isIP} from 'node:net';
import type {Request} from 'express';

/**
 * The client's IP address as the storefront endpoints record it (consent evidence) and rate limit it: `req.ip`
 * (which takes `X-Forwarded-For` from a proxy on loopback, `trust proxy`) only when it is an IP address
 * (node:net isIP); anything else a forwarded header may carry (a name, a script, `999.1.2.3`) is never stored, and
 * the socket's own address stands in for it. Undefined only when neither is an address (a closed socket).
 */
export function clientIp(req: Request): string | undefined {
  const forwarded = req.ip;
  if (forwarded && isIP(forwarded) !== 0) return forwarded;
  const socket = req.socket.remoteAddress;
  return socket && isIP(socket) !== 0 ? socket : undefined;
}
