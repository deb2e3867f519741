import {openEngine, type EngineName} from '../../../test/support/databases.js';
import {describeWithService, POSTGRES} from '../../../test/support/services.js';
import {SecretBox} from '../security/secret-box.js';
import {ConnectionsRepository} from './connections-repository.js';
import type {Store} from './database.js';

const T0 = '2026-01-01T00:00:00.000Z';

describe('shop currency on sqlite', () => suite('sqlite'));
describeWithService(POSTGRES, 'shop currency on postgres', () => suite('postgres'));

function suite(engine: EngineName): void {
  let store: Store & {dropAll(): Promise<void>};
  let connections: ConnectionsRepository;
  let id: string;
  beforeEach(async () => {
    store = await openEngine(engine);
    connections = new ConnectionsRepository(store.db, SecretBox.fromBase64(SecretBox.generateKey()));
    id = (
      await connections.upsert(
        {
          shopDomain: 'cur.myshopify.com',
          platform: 'shopify',
          mailchimp: {kind: 'api_key', apiKey: 'k-us1'},
          settings: {currency: 'USD'},
        },
        T0,
      )
    ).id;
  });
  afterEach(() => store.dropAll());

  it("keeps the first payload's currency; the Admin API's answer replaces it", async () => {
    expect((await connections.byId(id))!.currency).toEqual({configured: 'USD'});
    expect(await connections.recordShopCurrency(id, 'EUR', 'order', T0)).toBe(true);
    expect(await connections.recordShopCurrency(id, 'GBP', 'product', T0)).toBe(false);
    expect((await connections.byId(id))!.currency).toEqual({
      configured: 'USD',
      shop: 'EUR',
      shopSource: 'order',
      shopSeenAt: T0,
    });
    expect(await connections.recordShopCurrency(id, 'CHF', 'admin_api', T0)).toBe(true);
    expect(await connections.recordShopCurrency(id, 'CHF', 'admin_api', T0)).toBe(false);
    const connection = (await connections.byId(id))!;
    expect(connection.currency).toMatchObject({shop: 'CHF', shopSource: 'admin_api'});
    // Tag rules only see the settings: the detected currency is there, but never stored in the settings JSON.
    expect(connection.settings).toMatchObject({currency: 'USD', shopCurrency: 'CHF'});
    const row = await store.db
      .selectFrom('connections')
      .select('settings')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.settings)).toEqual({currency: 'USD'});
  });

  it('records the Mailchimp store currency with its note, and claims a warning once per pair', async () => {
    await connections.recordStoreCurrency(id, 'USD', 'kept: 3 orders', T0);
    expect((await connections.byId(id))!.currency).toMatchObject({mailchimp: 'USD', note: 'kept: 3 orders'});
    await connections.recordStoreCurrency(id, 'EUR', null, T0);
    expect((await connections.byId(id))!.currency).toEqual({configured: 'USD', mailchimp: 'EUR'});
    expect(await connections.claimCurrencyWarning(id, 'USD/EUR')).toBe(true);
    expect(await connections.claimCurrencyWarning(id, 'USD/EUR')).toBe(false);
    expect(await connections.claimCurrencyWarning(id, 'USD/GBP')).toBe(true);
  });

  it('an unset STORE_CURRENCY clears an earlier one (an older version stored its USD default)', async () => {
    await connections.upsert(
      {
        shopDomain: 'cur.myshopify.com',
        platform: 'shopify',
        mailchimp: {kind: 'api_key', apiKey: 'k-us1'},
        settings: {currency: undefined},
      },
      T0,
    );
    expect((await connections.byId(id))!.currency).toEqual({});
  });
}
