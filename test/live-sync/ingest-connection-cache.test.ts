import {SecretBox} from '../../connector/src/security/secret-box.js';
import {CONNECTION_CACHE_TTL_MS} from '../../connector/src/store/connection-cache.js';
import {ConnectionsRepository} from '../../connector/src/store/connections-repository.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';
import {customerPayload, signWebhook} from '../support/shopify-webhooks.js';

/**
 * The ingest paths keep connections and opened secrets in memory (store/connection-cache.ts). A change made
 * elsewhere (another process: here another ConnectionsRepository over the same database, which this connector's
 * cache does not hear from) is honoured within CONNECTION_CACHE_TTL_MS; a change made through the connector at once.
 */
describe('ingest connection cache over HTTP', () => {
  let t: TestConnector;
  let other: ConnectionsRepository;
  let n = 0;

  beforeEach(async () => {
    t = await startTestConnector();
    other = new ConnectionsRepository(t.connector.store.db, SecretBox.fromBase64(t.encryptionKey));
  });
  afterEach(async () => {
    await t.close();
  });

  const webhook = (secret: string) => {
    n += 1;
    const signed = signWebhook(
      secret,
      TEST_SHOP,
      'customers/create',
      customerPayload({id: String(n), email: `c${n}@shop.test`, updatedAt: '2026-11-01T00:00:00Z'}),
    );
    return t.http().post('/webhooks/shopify').set(signed.headers).send(signed.body);
  };
  const events = (token: string) =>
    t
      .http()
      .post('/v1/events')
      .set('Authorization', `Bearer ${token}`)
      .send({
        events: [
          {id: `e${(n += 1)}`, type: 'customer.upsert', occurred_at: '2026-11-01T00:00:00Z', data: {id: `cus_${n}`}},
        ],
      });

  /** Waits until `probe` answers `status`; returns how long that took. */
  const within = async (probe: () => Promise<{status: number}>, status: number): Promise<number> => {
    const t0 = Date.now();
    while ((await probe()).status !== status) {
      if (Date.now() - t0 > 5_000) throw new Error(`still not ${status} after 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return Date.now() - t0;
  };

  it('honours a webhook secret rotated by another process within the bound', async () => {
    expect((await webhook(t.webhookSecret)).status).toBe(200); // cached now
    const connection = (await other.byShopDomain(TEST_SHOP))!;
    await other.setShopifyCredentials(connection.id, {apiSecret: 'rotated-secret'}, new Date().toISOString());
    const took = await within(() => webhook('rotated-secret'), 200);
    expect(took).toBeLessThanOrEqual(CONNECTION_CACHE_TTL_MS + 500);
    expect((await webhook(t.webhookSecret)).status).toBe(401);
  });

  it('stops accepting a removed shop and a replaced ingest token within the bound', async () => {
    expect((await events(t.ingestToken)).status).toBe(202);
    const connection = (await other.byShopDomain(TEST_SHOP))!;
    await other.upsert(
      {
        shopDomain: TEST_SHOP,
        platform: 'shopify',
        mailchimp: await other.mailchimpCredentials(connection.id),
        ingestToken: 'a-new-ingest-token-0123456789abcdef',
      },
      new Date().toISOString(),
    );
    expect(await within(() => events(t.ingestToken), 401)).toBeLessThanOrEqual(CONNECTION_CACHE_TTL_MS + 500);
    expect((await events('a-new-ingest-token-0123456789abcdef')).status).toBe(202);

    expect((await webhook(t.webhookSecret)).status).toBe(200);
    await t.connector.store.db.deleteFrom('connections').where('id', '=', connection.id).execute();
    expect(await within(() => webhook(t.webhookSecret), 401)).toBeLessThanOrEqual(CONNECTION_CACHE_TTL_MS + 500);
  });

  it('honours a change made through this connector at once', async () => {
    expect((await webhook(t.webhookSecret)).status).toBe(200);
    const connection = (await t.connector.connections.byShopDomain(TEST_SHOP))!;
    await t.connector.connections.setShopifyCredentials(connection.id, {apiSecret: 'next'}, new Date().toISOString());
    expect((await webhook('next')).status).toBe(200);
    expect((await webhook(t.webhookSecret)).status).toBe(401);
  });
});
