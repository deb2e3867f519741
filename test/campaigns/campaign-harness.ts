import {createServer, type Server} from 'node:http';
import {once} from 'node:events';
import type {AddressInfo} from 'node:net';
import type {Express} from 'express';
import {FIXTURE_EVENTS, FIXTURE_NOW, FIXTURE_VIP_SPEND} from '../../connector/src/segments/fixtures/audience.js';
import {startTestConnector, type TestConnector, type TestConnectorOptions} from '../support/connector.js';

/**
 * A test connector for the campaign features, reachable over real HTTP (the Mailchimp sandbox validates and delivers
 * list webhooks to PUBLIC_URL), with the fixture store from segments/fixtures/audience.ts synced to the sandbox.
 */
export interface CampaignHarness extends TestConnector {
  origin: string;
  admin: {Authorization: string};
  close(): Promise<void>;
}

export interface HarnessOptions extends TestConnectorOptions {
  clock?: {now: Date};
  /** More environment once the connector's address is known (e.g. a Shopify stand-in that posts webhooks to it). */
  envFor?: (origin: string) => Promise<Record<string, string>>;
}

export async function startCampaignHarness(options: HarnessOptions = {}): Promise<CampaignHarness> {
  // The server is listening before the connector exists, so that PUBLIC_URL can name its port.
  const target: {app?: Express} = {};
  const server: Server = createServer((req, res) => {
    if (target.app) target.app(req, res);
    else res.writeHead(503).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clock = options.clock ?? {now: new Date(FIXTURE_NOW)};
  const t = await startTestConnector({
    now: () => clock.now,
    ...options,
    env: {VIP_SPEND: FIXTURE_VIP_SPEND, PUBLIC_URL: origin, ...options.env, ...(await options.envFor?.(origin))},
  });
  target.app = t.connector.app;
  const close = t.close.bind(t);
  return {
    ...t,
    origin,
    admin: {Authorization: `Bearer ${t.adminToken}`},
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await close();
    },
  };
}

/** Sends the fixture store through the generic ingest API and waits until Mailchimp holds it. */
export async function loadFixtureStore(t: TestConnector): Promise<void> {
  const res = await t
    .http()
    .post('/v1/events')
    .set('Authorization', `Bearer ${t.ingestToken}`)
    .send({events: FIXTURE_EVENTS});
  if (res.status !== 202) throw new Error(`fixture ingest failed: ${res.status} ${JSON.stringify(res.body)}`);
  await t.settle(60_000);
}

export const emailOf = (name: string) => `${name}@shop.test`;
