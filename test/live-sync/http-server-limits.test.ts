import {once} from 'node:events';
import type {Server} from 'node:http';
import {connect, type AddressInfo, type Socket} from 'node:net';
import {loadConfig} from '../../connector/src/config/config.js';
import {httpServerLimits, startHttpServer} from '../../connector/src/http/http-server.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';

/**
 * The HTTP server `npm start` runs (connector/src/main.ts → startHttpServer) bounds what slow or numerous clients can
 * hold: headers must arrive within HTTP_HEADERS_TIMEOUT_MS, the whole request within HTTP_REQUEST_TIMEOUT_MS, and
 * at most HTTP_MAX_CONNECTIONS sockets are open at once.
 */

const portOf = (server: Server) => (server.address() as AddressInfo).port;

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Resolves with what the server sent and how long after `since` it closed the socket (or rejects after `waitMs`). */
async function closedBy(socket: Socket, since: number, waitMs: number): Promise<{afterMs: number; received: string}> {
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      once(socket, 'close'),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the server kept the slow connection open for ${waitMs} ms`)),
          waitMs,
        );
      }),
    ]);
    return {afterMs: Date.now() - since, received};
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
}

async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

describe('HTTP server limits', () => {
  let t: TestConnector;
  beforeAll(async () => {
    t = await startTestConnector();
  });
  afterAll(() => t.close());

  it('come from the configuration, with defaults, and are set on the real server', async () => {
    const defaults = httpServerLimits(loadConfig({}));
    expect(defaults).toEqual({headersTimeoutMs: 15_000, requestTimeoutMs: 30_000, maxConnections: 512});
    const configured = httpServerLimits(
      loadConfig({HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '20000', HTTP_MAX_CONNECTIONS: '64'}),
    );
    expect(configured).toEqual({headersTimeoutMs: 5000, requestTimeoutMs: 20_000, maxConnections: 64});
    expect(() => loadConfig({HTTP_MAX_CONNECTIONS: '0'})).toThrow(/HTTP_MAX_CONNECTIONS/);
    expect(() => loadConfig({HTTP_HEADERS_TIMEOUT_MS: '40000', HTTP_REQUEST_TIMEOUT_MS: '30000'})).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS/,
    );

    const server = await startHttpServer(t.connector.app, {port: 0, host: '127.0.0.1', limits: defaults});
    try {
      expect(server.headersTimeout).toBe(15_000);
      expect(server.requestTimeout).toBe(30_000);
      expect(server.maxConnections).toBe(512);
      const res = await fetch(`http://127.0.0.1:${portOf(server)}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      await stop(server);
    }
  });

  describe('with short limits', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = await startHttpServer(t.connector.app, {
        port: 0,
        host: '127.0.0.1',
        limits: {headersTimeoutMs: 400, requestTimeoutMs: 800, maxConnections: 3, checkIntervalMs: 100},
      });
      port = portOf(server);
    });
    afterAll(() => stop(server));

    it('cuts a client that sends its headers one line at a time (slow loris)', async () => {
      const socket = await open(port);
      const started = Date.now();
      socket.write(`POST /webhooks/shopify HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
      const drip = setInterval(() => socket.writable && socket.write(`X-Drip-${Date.now()}: 1\r\n`), 100);
      try {
        const {afterMs, received} = await closedBy(socket, started, 3000);
        expect(afterMs).toBeLessThan(2000);
        expect(received).toMatch(/^HTTP\/1\.1 408 /);
      } finally {
        clearInterval(drip);
      }
    });

    it('cuts a webhook body that trickles in', async () => {
      const socket = await open(port);
      const started = Date.now();
      socket.write(
        `POST /webhooks/shopify HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\n` +
          `X-Shopify-Shop-Domain: ${TEST_SHOP}\r\nX-Shopify-Topic: orders/create\r\nX-Shopify-Hmac-Sha256: eA==\r\n\r\n`,
      );
      const drip = setInterval(() => socket.writable && socket.write('{'), 100);
      try {
        const {afterMs} = await closedBy(socket, started, 3000);
        expect(afterMs).toBeLessThan(2000);
      } finally {
        clearInterval(drip);
      }
    });

    it('refuses connections beyond the cap', async () => {
      const held = [await open(port), await open(port), await open(port)];
      try {
        // Give the server a moment to count them.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const extra = await open(port);
        const {afterMs, received} = await closedBy(extra, Date.now(), 1000);
        expect(afterMs).toBeLessThan(1000);
        expect(received).toBe('');
      } finally {
        for (const socket of held) socket.destroy();
      }
    });
  });
});
