import {openEngine, type EngineName} from '../../../test/support/databases.js';
import {describeWithService, POSTGRES} from '../../../test/support/services.js';
import {SecretBox} from '../security/secret-box.js';
import {CONNECTION_CACHE_TTL_MS, ConnectionCache} from './connection-cache.js';
import {ConnectionsRepository, type NewConnection} from './connections-repository.js';
import type {Store} from './database.js';

const SHOP = 'cache-shop.myshopify.com';
const NOW = '2026-01-01T00:00:00.000Z';

const shop = (secret: string, ingestToken = 'ingest-token-aaaaaaaaaaaaaaaaaaaa'): NewConnection => ({
  shopDomain: SHOP,
  platform: 'shopify',
  mailchimp: {kind: 'api_key', apiKey: 'key-us1'},
  mailchimpListId: 'list1',
  shopify: {apiSecret: secret},
  ingestToken,
});

describe('connection cache on sqlite', () => cacheSuite('sqlite'));
describeWithService(POSTGRES, 'connection cache on postgres', () => cacheSuite('postgres'));

function cacheSuite(engine: EngineName): void {
  let store: Store & {dropAll(): Promise<void>};
  let box: SecretBox;
  /** This process's repository, the one the cache listens to. */
  let local: ConnectionsRepository;
  /** Another process's repository over the same database: its writes reach the cache only by its TTL. */
  let other: ConnectionsRepository;
  let clock: number;
  let cache: ConnectionCache;
  let opened: number;

  beforeEach(async () => {
    store = await openEngine(engine);
    box = SecretBox.fromBase64(SecretBox.generateKey());
    const open = box.open.bind(box);
    opened = 0;
    box.open = (sealed: string) => {
      opened += 1;
      return open(sealed);
    };
    local = new ConnectionsRepository(store.db, box);
    other = new ConnectionsRepository(store.db, box);
    clock = 0;
    cache = new ConnectionCache(local, {clock: () => clock});
  });
  afterEach(async () => {
    await store.dropAll();
  });

  it('serves a shop and its secret from memory within the TTL, opening the secret once', async () => {
    await local.upsert(shop('s1'), NOW);
    expect((await cache.webhookShop(SHOP))?.secret).toBe('s1');
    opened = 0;
    for (let i = 0; i < 10; i++) expect((await cache.webhookShop(SHOP))?.secret).toBe('s1');
    expect(opened).toBe(0);
    // Past the TTL the row is read again; the same sealed value is not opened again.
    clock += CONNECTION_CACHE_TTL_MS;
    expect((await cache.webhookShop(SHOP))?.secret).toBe('s1');
    expect(opened).toBe(0);
  });

  it('honours a secret rotated by another process within the TTL', async () => {
    await local.upsert(shop('s1'), NOW);
    expect((await cache.webhookShop(SHOP))?.secret).toBe('s1');
    await other.upsert(shop('s2'), NOW);
    clock += CONNECTION_CACHE_TTL_MS - 1;
    expect((await cache.webhookShop(SHOP))?.secret).toBe('s1'); // the bound: at most this long
    clock += 1;
    expect((await cache.webhookShop(SHOP))?.secret).toBe('s2');
  });

  it('drops everything at once on a write through its own repository', async () => {
    await local.upsert(shop('s1'), NOW);
    expect((await cache.webhookShop(SHOP))?.secret).toBe('s1');
    await local.upsert(shop('s2'), NOW);
    expect((await cache.webhookShop(SHOP))?.secret).toBe('s2');
    const {connection} = (await cache.webhookShop(SHOP))!;
    await local.setStatus(connection.id, 'uninstalled', NOW);
    expect((await cache.byShopDomain(SHOP))?.status).toBe('uninstalled');
  });

  it('stops accepting a shop another process uninstalled or removed', async () => {
    const connection = await local.upsert(shop('s1'), NOW);
    expect((await cache.byShopDomain(SHOP))?.status).toBe('active');
    await other.setStatus(connection.id, 'uninstalled', NOW);
    clock += CONNECTION_CACHE_TTL_MS;
    expect((await cache.byShopDomain(SHOP))?.status).toBe('uninstalled');
    await store.db.deleteFrom('connections').where('id', '=', connection.id).execute();
    clock += CONNECTION_CACHE_TTL_MS;
    expect(await cache.webhookShop(SHOP)).toBeUndefined();
    expect(await cache.byShopDomain(SHOP)).toBeUndefined();
  });

  it('sees a new shop and a new ingest token at once, and refuses a replaced token within the TTL', async () => {
    expect(await cache.webhookShop(SHOP)).toBeUndefined();
    await other.upsert(shop('s1', 'first-token-aaaaaaaaaaaaaaaaaaaaa'), NOW); // unknown ones are never cached
    expect((await cache.webhookShop(SHOP))?.secret).toBe('s1');
    expect((await cache.byIngestToken('first-token-aaaaaaaaaaaaaaaaaaaaa'))?.shopDomain).toBe(SHOP);
    await other.upsert(shop('s1', 'second-token-aaaaaaaaaaaaaaaaaaaa'), NOW);
    expect((await cache.byIngestToken('second-token-aaaaaaaaaaaaaaaaaaaa'))?.shopDomain).toBe(SHOP);
    clock += CONNECTION_CACHE_TTL_MS;
    expect(await cache.byIngestToken('first-token-aaaaaaaaaaaaaaaaaaaaa')).toBeUndefined();
  });

  it('reads once for concurrent requests, and keeps nothing read across a local change', async () => {
    await local.upsert(shop('s1'), NOW);
    let reads = 0;
    const sealed = local.sealedByShopDomain.bind(local);
    local.sealedByShopDomain = async (domain) => {
      reads += 1;
      return sealed(domain);
    };
    await Promise.all(Array.from({length: 20}, () => cache.webhookShop(SHOP)));
    expect(reads).toBe(1);
    // A read in flight while this process changes the connection is answered but not kept.
    const inFlight = ((clock += CONNECTION_CACHE_TTL_MS), cache.webhookShop(SHOP));
    await local.upsert(shop('s3'), NOW);
    await inFlight;
    expect((await cache.webhookShop(SHOP))?.secret).toBe('s3');
  });
}
