import {once} from 'node:events';
import type {AddressInfo} from 'node:net';
import type {BackfillSource, SourcePhase} from '../../connector/src/backfill/backfill-source.js';
import {runCli} from '../../connector/src/cli/run-cli.js';
import type {StoreEvent} from '../../connector/src/model/events.js';
import {mapShopifyWebhook} from '../../connector/src/shopify/index.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';
import {productPayload} from '../support/shopify-webhooks.js';

/**
 * A shop whose count says 5 products while only 3 can be read (as when Shopify counts records the mapper skips or
 * merges): the CLI's progress for the phase must still end at 5/5 and say that 2 were skipped.
 */
function shopCountingMoreThanItHands(): BackfillSource {
  const products: StoreEvent[][] = [0, 1, 2].map((i) => {
    const mapped = mapShopifyWebhook(
      'products/create',
      productPayload({
        id: String(100 + i),
        title: `Product ${i}`,
        handle: `product-${i}`,
        updatedAt: '2025-01-01T00:00:00Z',
        variants: [{id: String(500 + i), title: 'Default', priceMinor: 1000}],
      }),
      {shopDomain: TEST_SHOP, shopCurrency: 'USD'},
    );
    if (!mapped.ok) throw new Error(mapped.error.message);
    return mapped.events;
  });
  return {
    async count(phase: SourcePhase) {
      return phase === 'products' ? 5 : 0;
    },
    async *read(phase: SourcePhase) {
      if (phase === 'products') yield {events: products.flat(), records: products.length, position: products.length};
    },
  };
}

describe('backfill CLI progress', () => {
  let t: TestConnector;
  afterEach(() => t.close());

  it('ends each finished phase at its total and names what was skipped, in the summary too', async () => {
    t = await startTestConnector({
      backfillSource: () => shopCountingMoreThanItHands(),
      backfill: {runner: {pollInitialMs: 5, pollMaxMs: 20}, idleMs: 10},
    });
    t.connector.start();
    const server = t.connector.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const out: string[] = [];
    const err: string[] = [];
    try {
      const code = await runCli(['backfill', '--poll-ms', '20'], {
        stdout: {write: (x: string) => out.push(x)},
        stderr: {write: (x: string) => err.push(x)},
        env: {PORT: String((server.address() as AddressInfo).port), ADMIN_TOKEN: t.adminToken},
      });
      expect(err.join('')).toMatch(
        /^backfill \S+: products 5\/5 done: sent 3, nothing to send 0, handed to the live worker 0, skipped 2 \(counted by the platform, not sent: skipped or merged\)$/m,
      );
      expect(err.join('')).toMatch(/^backfill \S+: orders 0\/0 done: sent 0, /m);
      expect(err.join('')).not.toMatch(/NaN|Infinity|NFs|LLs/);
      expect(code).toBe(0);
      const summary = JSON.parse(out.join('')) as {skipped: Record<string, number>; sent: Record<string, number>};
      expect(summary.sent.products).toBe(3);
      expect(summary.skipped).toMatchObject({products: 2, orders: 0});
    } finally {
      server.close();
    }
  });
});
