import {Writable} from 'node:stream';
import {startShopifySandbox, type ShopifySandbox} from '../../../sandbox/shopify/index.js';
import {createLogger} from '../logging/logger.js';
import {ShopifyAdminClient} from './admin-client.js';
import {
  ShopifyAuthError,
  ShopifyGraphqlError,
  ShopifyNetworkError,
  ShopifyQueryCostError,
  ShopifyUserErrors,
} from './admin-errors.js';
import {defineDocument} from './documents/admin-document.js';
import {DISCOUNT_CODE_BASIC_CREATE} from './documents/mutation-documents.js';
import {PRODUCTS_PAGE, PRODUCTS_PAGE_SIZE} from './documents/product-documents.js';
import {SHOP_AND_COUNTS} from './documents/shop-documents.js';
import {paginate} from './paginate.js';

const NODES = (first: number) =>
  defineDocument<{products: {nodes: Array<{id: string}>}}, Record<string, never>>(
    `query Nodes { products(first: ${first}) { nodes { id } } }`,
  );

describe('ShopifyAdminClient against the Shopify stand-in', () => {
  let sandbox: ShopifySandbox;
  const sleeps: number[] = [];
  const recordingSleep = async (ms: number) => {
    sleeps.push(ms);
    await new Promise((resolve) => setTimeout(resolve, ms));
  };

  beforeAll(async () => {
    sandbox = await startShopifySandbox({
      seed: 21,
      products: 300,
      customers: 30,
      orders: 40,
      discountCodes: 2,
      throttle: {maximumAvailable: 1000, restoreRate: 100},
    });
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sleeps.length = 0;
    await fetch(`${sandbox.origin}/__sandbox/throttle/reset`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({maximumAvailable: 1000, restoreRate: 100}),
    });
  });

  const client = (overrides: Partial<ConstructorParameters<typeof ShopifyAdminClient>[0]> = {}) =>
    new ShopifyAdminClient({
      shopDomain: sandbox.shopDomain,
      accessToken: sandbox.accessToken,
      adminUrl: sandbox.adminUrl,
      sleep: recordingSleep,
      ...overrides,
    });

  it('reaches the stand-in through SHOPIFY_ADMIN_URL and reads the shop and its counts', async () => {
    const fromConfig = ShopifyAdminClient.fromConfig({
      SHOPIFY_SHOP: sandbox.shopDomain,
      SHOPIFY_ACCESS_TOKEN: sandbox.accessToken,
      SHOPIFY_ADMIN_URL: sandbox.adminUrl,
    } as Parameters<typeof ShopifyAdminClient.fromConfig>[0])!;
    const before = sandbox.stats.total;
    const data = await fromConfig.query(SHOP_AND_COUNTS, {ordersQuery: 'test:false'});
    expect(sandbox.stats.total).toBe(before + 1);
    expect(data.shop).toMatchObject({myshopifyDomain: sandbox.shopDomain, currencyCode: 'USD'});
    expect(data.productsCount).toStrictEqual({count: 300, precision: 'EXACT'});
    expect(data.ordersCount?.count).toBe(sandbox.state.orders.all().filter((o) => !o.test).length);
    expect(ShopifyAdminClient.fromConfig({} as Parameters<typeof ShopifyAdminClient.fromConfig>[0])).toBeUndefined();
  });

  it('paginate yields every node once, page after page', async () => {
    await fetch(`${sandbox.origin}/__sandbox/throttle/reset`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({maximumAvailable: 1000, restoreRate: 100_000}),
    });
    const ids: string[] = [];
    for await (const product of paginate(client(), PRODUCTS_PAGE, {first: PRODUCTS_PAGE_SIZE}, (data) => data.products))
      ids.push(product.id);
    expect(ids).toStrictEqual(sandbox.state.products.all().map((p) => `gid://shopify/Product/${p.id}`));
  });

  /** Four queries of 227 points leave about 92 of the 1,000 (plus what refills meanwhile, 100 a second). */
  async function drain(admin: ShopifyAdminClient): Promise<void> {
    for (let i = 0; i < 4; i += 1) await admin.query(NODES(225), {});
  }

  it('waits out THROTTLED for (requested − available) / restoreRate and then succeeds', async () => {
    const admin = client();
    await drain(admin);
    const throttledBefore = sandbox.stats.throttled;
    const next = await admin.query(NODES(249), {}); // 251 points: refused, then waited for
    expect(next.products.nodes).toHaveLength(249);
    expect(sandbox.stats.throttled - throttledBefore).toBe(1);
    expect(admin.stats.throttled).toBe(1);
    // (251 − ~100) / 100 s ≈ 1.5 s plus a safety margin: computed from the answer, not a blind back-off.
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(800);
    expect(sleeps[0]).toBeLessThan(2_000);
  });

  it('waits before a query it knows will not fit, instead of being refused first', async () => {
    const admin = client();
    await drain(admin);
    const throttledBefore = sandbox.stats.throttled;
    await admin.query(NODES(225), {});
    expect(sandbox.stats.throttled).toBe(throttledBefore);
    expect(admin.stats.throttleWaitMs).toBeGreaterThan(0);
    expect(sleeps).toHaveLength(1);
  });

  it('gives up at once on a query larger than the whole bucket', async () => {
    await fetch(`${sandbox.origin}/__sandbox/throttle/reset`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({maximumAvailable: 100, restoreRate: 100}),
    });
    await expect(client().query(NODES(200), {})).rejects.toMatchObject({kind: 'throttled'});
    expect(sleeps).toHaveLength(0);
  });

  it('retries 5xx answers and network failures with back-off, then succeeds', async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls += 1;
      if (calls === 1)
        return new Response('<html>Bad Gateway</html>', {status: 502, headers: {'Content-Type': 'text/html'}});
      if (calls === 2) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    const noWait = async (ms: number) => void sleeps.push(ms);
    const admin = client({fetch: flaky, sleep: noWait});
    const data = await admin.query(NODES(5), {});
    expect(data.products.nodes).toHaveLength(5);
    expect(admin.stats.retries).toBe(2);
    expect(sleeps).toHaveLength(2);

    const down = client({fetch: async () => new Response('', {status: 503}), maxAttempts: 3, sleep: noWait});
    await expect(down.query(NODES(5), {})).rejects.toMatchObject({kind: 'http', status: 503, retryable: true});
    expect(down.stats.requests).toBe(3);
    const unreachable = client({
      fetch: async () => Promise.reject(new TypeError('fetch failed')),
      maxAttempts: 2,
      sleep: noWait,
    });
    await expect(unreachable.query(NODES(5), {})).rejects.toBeInstanceOf(ShopifyNetworkError);
  });

  it('a wrong token is a ShopifyAuthError and is not retried', async () => {
    const admin = client({accessToken: 'shpat_wrong'});
    await expect(admin.query(NODES(1), {})).rejects.toBeInstanceOf(ShopifyAuthError);
    expect(admin.stats.requests).toBe(1);
  });

  it('a provided token is asked for each request; a 401 gets one fresh token and one retry, no more', async () => {
    const sent: Array<string | null> = [];
    const recordingFetch: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      sent.push(headers.get('X-Shopify-Access-Token'));
      expect(headers.get('X-Connector-Provided-Token')).toBeNull();
      return fetch(input, init);
    };
    const asked: string[] = [];
    const refreshed = client({
      fetch: recordingFetch,
      accessToken: {
        current: async () => 'shpat_expired',
        afterUnauthorized: async (rejected) => {
          asked.push(rejected);
          return sandbox.accessToken;
        },
      },
    });
    await refreshed.query(NODES(1), {});
    expect(sent).toEqual(['shpat_expired', sandbox.accessToken]);
    expect(asked).toEqual(['shpat_expired']);

    sent.length = 0;
    asked.length = 0;
    const hopeless = client({
      fetch: recordingFetch,
      accessToken: {current: async () => 'shpat_revoked', afterUnauthorized: async () => 'shpat_also_revoked'},
    });
    await expect(hopeless.query(NODES(1), {})).rejects.toBeInstanceOf(ShopifyAuthError);
    expect(sent).toEqual(['shpat_revoked', 'shpat_also_revoked']);
    const none = client({
      fetch: recordingFetch,
      accessToken: {current: async () => 'shpat_revoked', afterUnauthorized: async () => undefined},
    });
    await expect(none.query(NODES(1), {})).rejects.toBeInstanceOf(ShopifyAuthError);
    expect(none.stats.requests).toBe(1);
  });

  it('GraphQL errors and MAX_COST_EXCEEDED are typed errors', async () => {
    const invalid = defineDocument<unknown, Record<string, never>>(
      'query Bad { products(first: 1) { nodes { nope } } }',
    );
    const error = await client()
      .query(invalid, {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyGraphqlError);
    expect((error as ShopifyGraphqlError).codes).toStrictEqual(['undefinedField']);

    const expensive = defineDocument<unknown, Record<string, never>>(
      'query Big { products(first: 100) { nodes { variants(first: 100) { nodes { id } } } } }',
    );
    await expect(client().query(expensive, {})).rejects.toEqual(
      expect.objectContaining({kind: 'query-cost', cost: 2 + 100 * 103, maxCost: 1000}),
    );
    await expect(client().query(expensive, {})).rejects.toBeInstanceOf(ShopifyQueryCostError);
  });

  it('mutation userErrors become ShopifyUserErrors with their codes', async () => {
    const code = sandbox.state.discounts.all()[0]!.codes[0]!.code;
    const input = {
      title: 'Again',
      code,
      startsAt: '2026-01-01T00:00:00Z',
      customerGets: {value: {percentage: 0.1}, items: {all: true as const}},
    };
    const error = await client()
      .mutate(DISCOUNT_CODE_BASIC_CREATE, {input}, 'discountCodeBasicCreate')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyUserErrors);
    expect((error as ShopifyUserErrors).codes).toStrictEqual(['TAKEN']);
    expect((error as ShopifyUserErrors).userErrors[0]!.field).toStrictEqual(['basicCodeDiscount', 'code']);

    const created = await client().mutate(
      DISCOUNT_CODE_BASIC_CREATE,
      {input: {...input, code: 'FRESHCODE'}},
      'discountCodeBasicCreate',
    );
    expect(created.codeDiscountNode?.codeDiscount.codes.nodes[0]?.code).toBe('FRESHCODE');
  });

  it('never writes the access token to the log, even while retrying and waiting', async () => {
    let output = '';
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        output += String(chunk);
        callback();
      },
    });
    const logger = createLogger({level: 'trace', destination});
    let calls = 0;
    const flaky: typeof fetch = async (input, init) =>
      ++calls === 1 ? new Response('', {status: 500}) : fetch(input, init);
    const admin = client({logger, fetch: flaky});
    await drain(admin);
    await admin.query(NODES(225), {});
    expect(output).toContain('retrying Shopify Admin request');
    expect(output).toContain('waiting for the Shopify cost bucket');
    expect(output).not.toContain(sandbox.accessToken);
    const failing = await client({logger, accessToken: 'shpat_secret_never_logged'})
      .query(NODES(1), {})
      .catch((e: Error) => e);
    expect(String(failing)).not.toContain('shpat_secret_never_logged');
    expect(output).not.toContain('shpat_secret_never_logged');
  });

  it('an aborted signal stops waiting at once', async () => {
    const admin = new ShopifyAdminClient({
      shopDomain: sandbox.shopDomain,
      accessToken: sandbox.accessToken,
      adminUrl: sandbox.adminUrl,
      fetch: async () => new Response('', {status: 503}),
    });
    const controller = new AbortController();
    const pending = admin.query(NODES(1), {}, {signal: controller.signal});
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(pending).rejects.toThrow('stop');
  });
});
