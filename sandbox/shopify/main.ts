import {parseSandboxArgs} from '../sandbox-args.js';
import {DEFAULT_API_VERSION, startShopifySandbox} from './index.js';

/**
 * `npm run sandbox:shopify -- [options]` (`--help` lists them), e.g. `--port 4020 --products P --customers C --orders O --seed S [--access-token T]
 * [--latency-ms M] [--carts N] [--discount-codes N] [--currency EUR] [--webhook-url U] [--api-key K --api-secret S [--auto-approve]] [--no-throttle]`
 *
 * `--api-key`/`--api-secret` are the app's client id and secret: the OAuth routes (`/admin/oauth/authorize`,
 * `/admin/oauth/access_token`) accept that app, and the secret signs callbacks and webhooks. `--auto-approve` skips
 * the consent page.
 */
const parsed = parseSandboxArgs(process.argv.slice(2), {
  command: 'npm run sandbox:shopify',
  summary:
    'Starts the Shopify GraphQL Admin API stand-in with a generated shop and prints its Admin URL and access token.',
  options: {
    port: {type: 'string', default: '4020', value: 'port', help: 'port to listen on (0: any free port)'},
    products: {type: 'string', default: '100', value: 'n', help: 'products to generate'},
    customers: {type: 'string', default: '500', value: 'n', help: 'customers to generate'},
    orders: {type: 'string', default: '1000', value: 'n', help: 'orders to generate'},
    carts: {type: 'string', default: '0', value: 'n', help: 'abandoned checkouts to generate'},
    'discount-codes': {type: 'string', default: '10', value: 'n', help: 'discount codes to generate'},
    seed: {type: 'string', default: '1', value: 'n', help: 'seed of the generated shop (same seed, same shop)'},
    'access-token': {type: 'string', value: 'token', help: 'the Admin API access token to accept (default: generated)'},
    'latency-ms': {type: 'string', value: 'ms', help: 'delay every answer by this many milliseconds'},
    'shop-domain': {type: 'string', value: 'domain', help: "the shop's myshopify.com domain"},
    currency: {type: 'string', value: 'ISO 4217', help: "the shop's currency, e.g. EUR (default USD)"},
    'webhook-url': {type: 'string', value: 'url', help: 'send signed webhooks there (needs --api-secret)'},
    'api-key': {
      type: 'string',
      value: 'client id',
      help: "the app's client id for the OAuth routes (needs --api-secret)",
    },
    'api-secret': {type: 'string', value: 'secret', help: "the app's secret: signs OAuth callbacks and webhooks"},
    'auto-approve': {type: 'boolean', default: false, help: 'OAuth: skip the consent page (needs --api-secret)'},
    'no-throttle': {type: 'boolean', default: false, help: 'turn off the GraphQL cost throttling'},
  },
});
if (parsed.kind === 'help') {
  process.stdout.write(parsed.text);
  process.exit(0);
}
if (parsed.kind === 'error') {
  console.error(parsed.line);
  process.exit(2);
}
const {values} = parsed;

function intOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

if (values.currency !== undefined && !/^[A-Z]{3}$/.test(values.currency)) {
  console.error(`--currency must be an ISO 4217 code such as EUR, got "${values.currency}"`);
  process.exit(2);
}

if (values['webhook-url'] !== undefined && values['api-secret'] === undefined) {
  console.error('--webhook-url needs --api-secret (the secret signs the webhooks)');
  process.exit(2);
}

if ((values['api-key'] !== undefined || values['auto-approve']) && values['api-secret'] === undefined) {
  console.error('--api-key and --auto-approve need --api-secret (the app is given by its key and secret)');
  process.exit(2);
}

const started = performance.now();
const sandbox = await startShopifySandbox({
  port: intOption('port', values.port),
  products: intOption('products', values.products) ?? 0,
  customers: intOption('customers', values.customers) ?? 0,
  orders: intOption('orders', values.orders) ?? 0,
  carts: intOption('carts', values.carts),
  discountCodes: intOption('discount-codes', values['discount-codes']),
  seed: intOption('seed', values.seed) ?? 1,
  accessToken: values['access-token'],
  latencyMs: intOption('latency-ms', values['latency-ms']),
  shopDomain: values['shop-domain'],
  currencyCode: values.currency,
  webhookUrl: values['webhook-url'],
  apiSecret: values['api-secret'],
  apiKey: values['api-key'],
  autoApprove: values['auto-approve'],
  throttle: values['no-throttle'] ? false : undefined,
});
const store = sandbox.state;
console.log(`Shopify Admin API stand-in listening (generated in ${Math.round(performance.now() - started)} ms)`);
console.log(`  admin URL:    ${sandbox.adminUrl}   (SHOPIFY_ADMIN_URL)`);
console.log(`  GraphQL:      ${sandbox.graphqlUrl(DEFAULT_API_VERSION)}`);
console.log(`  access token: ${sandbox.accessToken}   (X-Shopify-Access-Token, SHOPIFY_ACCESS_TOKEN)`);
console.log(`  shop:         ${sandbox.shopDomain} (${store.shop.currencyCode})`);
console.log(
  `  data:         ${store.products.size} products, ${store.customers.size} customers, ${store.orders.size} orders, ${store.discounts.size} discounts, ${store.checkouts.size} abandoned checkouts`,
);
console.log(
  `  controls:     ${sandbox.origin}/__sandbox/ (info, clock, customers/:id, orders, products, discounts, requests, throttle, webhooks)`,
);
if (sandbox.webhooks)
  console.log(
    `  webhooks:     signed with the app secret, to ${values['webhook-url'] ?? '(no --webhook-url)'} and to webhookSubscriptionCreate subscriptions`,
  );
if (sandbox.auth)
  console.log(
    `  OAuth:        ${sandbox.origin}/admin/oauth/authorize?client_id=${values['api-key']}&scope=…&redirect_uri=…&state=…${values['auto-approve'] ? ' (auto-approve)' : ''}`,
  );
const stop = () => void sandbox.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
