import {once} from 'node:events';
import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
} from 'node:http';
import type {AddressInfo} from 'node:net';
import express from 'express';
import {pino} from 'pino';
import {shopifyWebhookRouter} from '../../connector/src/ingest/shopify-webhook-routes.js';
import {ShopifyWebhookVerifier} from '../../connector/src/ingest/shopify-webhook-verifier.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';

/**
 * A request that cannot be authenticated is answered from its headers alone: the body is never read, so a client
 * without credentials cannot make the connector buffer megabytes (or hold a slot while it trickles them in).
 * Each request here declares 2 MB, sends 1 KB and never finishes: only an answer that does not wait for the body
 * can arrive.
 */

const DECLARED = 2 * 1024 * 1024;

interface EarlyAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The server closed the connection after answering (it stopped reading the unfinished body). */
  closed: boolean;
}

async function postUnfinished(
  port: number,
  path: string,
  headers: OutgoingHttpHeaders,
  waitMs = 3000,
): Promise<EarlyAnswer> {
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path,
    headers: {'Content-Type': 'application/json', ...headers, 'Content-Length': String(DECLARED)},
  });
  req.on('error', () => undefined);
  req.write(Buffer.alloc(1024, 0x7b));
  let timer: NodeJS.Timeout | undefined;
  try {
    const [res] = (await Promise.race([
      once(req, 'response'),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer to POST ${path} within ${waitMs} ms while its body was unfinished`)),
          waitMs,
        );
      }),
    ])) as [IncomingMessage];
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (body += chunk));
    await once(res, 'end');
    const socket = res.socket;
    const closed =
      socket.destroyed ||
      (await Promise.race([
        once(socket, 'close').then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000)),
      ]));
    return {status: res.statusCode ?? 0, headers: res.headers, body, closed};
  } finally {
    clearTimeout(timer);
    req.destroy();
  }
}

async function listen(app: express.Express): Promise<{server: Server; port: number}> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {server, port: (server.address() as AddressInfo).port};
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const signedLooking = {
  'X-Shopify-Topic': 'orders/create',
  'X-Shopify-API-Version': '2026-01',
  'X-Shopify-Webhook-Id': 'w-1',
  'X-Shopify-Hmac-Sha256': 'bm90LWEtcmVhbC1zaWduYXR1cmU=',
};

describe('unauthenticated requests are answered before their bodies are read', () => {
  let t: TestConnector;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    t = await startTestConnector();
    ({server, port} = await listen(t.connector.app));
  });
  afterAll(async () => {
    await close(server);
    await t.close();
  });

  it('POST /webhooks/shopify without a signature header: 401 at once, connection closed', async () => {
    const {'X-Shopify-Hmac-Sha256': _hmac, ...unsigned} = signedLooking;
    const answer = await postUnfinished(port, '/webhooks/shopify', {...unsigned, 'X-Shopify-Shop-Domain': TEST_SHOP});
    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.closed).toBe(true);
  });

  it('POST /webhooks/shopify for an unknown shop, or naming no shop: 401 at once', async () => {
    expect(
      (
        await postUnfinished(port, '/webhooks/shopify', {
          ...signedLooking,
          'X-Shopify-Shop-Domain': 'unknown-shop.myshopify.com',
        })
      ).status,
    ).toBe(401);
    expect((await postUnfinished(port, '/webhooks/shopify', signedLooking)).status).toBe(401);
    // The un-prefixed header set: signature header present, but its shop header names no connected shop.
    expect(
      (
        await postUnfinished(port, '/webhooks/shopify', {
          'Shopify-Hmac-Sha256': 'eA==',
          'Shopify-Shop-Domain': 'unknown-shop.myshopify.com',
          'X-Shopify-Shop-Domain': TEST_SHOP,
        })
      ).status,
    ).toBe(401);
  });

  it('POST /webhooks/mailchimp/<unknown token>: 404 at once', async () => {
    const answer = await postUnfinished(port, '/webhooks/mailchimp/not-a-registered-token', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(answer.status).toBe(404);
    expect(answer.closed).toBe(true);
  });

  it('POST /v1/events without the ingest token: 401 at once', async () => {
    expect((await postUnfinished(port, '/v1/events', {})).status).toBe(401);
  });

  it('nothing was stored', async () => {
    expect(await t.connector.store.db.selectFrom('inbox_events').selectAll().execute()).toEqual([]);
  });
});

describe('Shopify webhook bodies share a byte budget while they are read', () => {
  let t: TestConnector;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    t = await startTestConnector();
    const app = express();
    app.use(
      shopifyWebhookRouter({
        connections: t.connector.connections,
        inbox: t.connector.inbox,
        verifier: new ShopifyWebhookVerifier(),
        logger: pino({level: 'silent'}),
        onAccepted: () => undefined,
        now: () => new Date(),
        bodyBudgetBytes: 3 * 1024 * 1024,
      }),
    );
    ({server, port} = await listen(app));
  });
  afterAll(async () => {
    await close(server);
    await t.close();
  });

  it('answers 503 at once when the bodies being read would exceed the budget, and takes bodies again once they are done', async () => {
    const headers = {...signedLooking, 'X-Shopify-Shop-Domain': TEST_SHOP};
    // A 2 MB body trickling in holds 2 MB of the 3 MB budget...
    const slow = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/webhooks/shopify',
      headers: {...headers, 'Content-Type': 'application/json', 'Content-Length': String(DECLARED)},
    });
    slow.on('error', () => undefined);
    slow.write(Buffer.alloc(1024, 0x7b));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // ...so a second one is turned away without being read.
    const busy = await postUnfinished(port, '/webhooks/shopify', headers);
    expect(busy.status).toBe(503);
    expect(busy.closed).toBe(true);
    // When the first one gives up, its share comes back: the next request is read (and its fake signature refused).
    slow.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/shopify`, {
      method: 'POST',
      headers: {...headers, 'Content-Type': 'application/json'},
      body: '{"id": 1}',
    });
    expect(res.status).toBe(401);
  });
});
