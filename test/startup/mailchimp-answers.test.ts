import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {runCli} from '../../connector/src/cli/run-cli.js';
import type {ListRecord} from '../../sandbox/mailchimp/core/state.js';
import {startShopifySandbox, type ShopifySandbox} from '../../sandbox/shopify/index.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';

/**
 * Issue #16: what Mailchimp answered reaches the operator's terminal, not only the server log. A connector whose
 * MAILCHIMP_LIST_ID names no list: the CLI commands that talk to Mailchimp print Mailchimp's words.
 */
describe('the CLI prints what Mailchimp answered', () => {
  let shopify: ShopifySandbox;
  let t: TestConnector;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    shopify = await startShopifySandbox({
      seed: 3,
      products: 2,
      customers: 2,
      orders: 2,
      shopDomain: TEST_SHOP,
      currencyCode: 'USD',
    });
    t = await startTestConnector({
      // An audience id Mailchimp does not know.
      list: {id: 'abc123'} as ListRecord,
      env: {SHOPIFY_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_ADMIN_URL: shopify.adminUrl},
      backfill: {runner: {pollInitialMs: 5, pollMaxMs: 20}, idleMs: 10, shopifyPollMs: 10},
    });
    t.connector.start();
    server = t.connector.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
    await shopify.close();
  });

  /** The backfill command (its progress polled quickly). */
  async function cli(...args: string[]): Promise<{code: number; err: string}> {
    let err = '';
    const code = await runCli([...args, '--url', base, '--token', t.adminToken, '--poll-ms', '20'], {
      stdout: {write: () => undefined},
      stderr: {write: (s: string) => (err += s)},
    });
    return {code, err};
  }

  it('backfill: the store Mailchimp refused, with its field error (not "see the errors array")', async () => {
    const result = await cli('backfill', '--json');
    expect(result.code).toBe(1);
    expect(result.err).toContain('list_id: A list with the provided ID does not exist in the account.');
    expect(result.err).toContain('Mailchimp answered 400 Invalid Resource');
  });

  it('audience-stats --refresh: Mailchimp’s 404 for the list, not an empty answer', async () => {
    let err = '';
    const code = await runCli(['audience-stats', '--refresh', '--url', base, '--token', t.adminToken], {
      stdout: {write: () => undefined},
      stderr: {write: (s: string) => (err += s)},
    });
    expect(code).toBe(1);
    expect(err).toBe(
      'audience-stats: 502 Mailchimp answered 404 Resource Not Found: The requested resource could not be found. to GET /lists/{list_id}\n',
    );
  });
});
