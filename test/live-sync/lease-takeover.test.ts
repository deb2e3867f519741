import type {ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import {SecretBox} from '../../connector/src/security/secret-box.js';
import {openStore} from '../../connector/src/store/database.js';
import {startTestSandbox, type TestSandbox} from '../support/sandbox.js';
import {productPayload, signWebhook} from '../support/shopify-webhooks.js';
import {until} from '../support/eventually.js';
import {startConnectorProcess} from '../support/connector-process.js';

const SHOP = 'lease-test.myshopify.com';
const SECRET = 'lease-test-secret';
const PRODUCTS = 6;

/**
 * Issue #17: a process killed with records claimed must not hold them for long. Claims are short leases renewed
 * while in flight, so a restart on the same database (default settings) sends them within seconds.
 */
describe('sync claims of a SIGKILLed process', () => {
  let mailchimp: TestSandbox;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // Slow, so that the first process is mid-queue with claims held when it is killed.
    mailchimp = await startTestSandbox({latencyMs: 1_000});
    dir = mkdtempSync(join(tmpdir(), 'lease-kill-'));
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await mailchimp?.close();
    rmSync(dir, {recursive: true, force: true});
  });

  it('are taken over by the restarted process within 15 s of the restart', async () => {
    const list = createListRecord(mailchimp.sandbox.state, {name: 'Lease test audience', double_optin: false});
    const databaseUrl = `sqlite:${join(dir, 'connector.db')}`;
    const env = {
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      ENCRYPTION_KEY: SecretBox.generateKey(),
      ADMIN_TOKEN: 'lease-test-admin-token-0123456789',
      MAILCHIMP_API_KEY: mailchimp.apiKey,
      MAILCHIMP_BASE_URL: mailchimp.baseUrl,
      MAILCHIMP_LIST_ID: list.id,
      MAILCHIMP_MAX_CONCURRENT: '2',
      SHOPIFY_SHOP: SHOP,
      SHOPIFY_API_SECRET: SECRET,
      STORE_CURRENCY: 'USD',
      LAPSED_AFTER_DAYS: '36500',
      // SYNC_LEASE_SECONDS and everything else: the defaults.
    };

    const {child: first, base: firstBase} = startConnectorProcess(env);
    children.push(first);
    const base = await firstBase;
    for (let i = 0; i < PRODUCTS; i++) {
      const signed = signWebhook(
        SECRET,
        SHOP,
        'products/create',
        productPayload({
          id: String(100 + i),
          title: `Product ${i}`,
          handle: `product-${i}`,
          updatedAt: new Date().toISOString(),
          variants: [{id: String(200 + i), title: 'Default', priceMinor: 1000 + i}],
        }),
      );
      const res = await fetch(`${base}/webhooks/shopify`, {method: 'POST', headers: signed.headers, body: signed.body});
      expect(res.status).toBe(200);
    }

    // Wait until the first process holds claims on product records and is sending them, then kill it.
    const store = await openStore({url: databaseUrl});
    let claimed: string[];
    try {
      claimed = await until(
        async () => {
          const rows = await store.db
            .selectFrom('sync_state')
            .select(['entity_id', 'claimed_by', 'claimed_until', 'status'])
            .where('entity_type', '=', 'product')
            .execute();
          const held = rows.filter((r) => r.claimed_by !== null && r.status !== 'synced');
          return rows.length === PRODUCTS && held.length >= 2 ? held.map((r) => r.entity_id) : undefined;
        },
        60_000,
        'the first process to claim product records',
      );
    } finally {
      await store.close();
    }
    first.kill('SIGKILL');
    await once(first, 'exit');
    const mcStore = () => [...mailchimp.sandbox.state.stores.values()].find((s) => s.list_id === list.id);
    const sentBeforeKill = mcStore()?.products.size ?? 0;
    expect(sentBeforeKill).toBeLessThan(PRODUCTS);

    // Mailchimp answers promptly again; the second process, with the default settings, over the same database.
    expect((await mailchimp.http().put('/__sandbox/faults').send({latencyMs: 20})).status).toBeLessThan(300);
    const restartedAt = Date.now();
    const {child: second, base: secondBase} = startConnectorProcess(env);
    children.push(second);
    await secondBase;
    await until(
      async () => {
        const products = mcStore()?.products;
        return products && claimed.every((id) => products.has(id)) && products.size === PRODUCTS ? true : undefined;
      },
      60_000,
      'the claimed products in Mailchimp',
    );
    const tookMs = Date.now() - restartedAt;
    process.stderr.write(`claimed at kill: ${claimed.join(',')}; all sent ${tookMs} ms after the restart\n`);
    expect(tookMs).toBeLessThan(15_000);
    second.kill('SIGTERM');
    await once(second, 'exit');
  }, 120_000);
});
