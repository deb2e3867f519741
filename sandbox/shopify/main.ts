import {parseArgs} from 'node:util';
import {DEFAULT_API_VERSION, startShopifySandbox} from './index.js';

/**
 * `npm run sandbox:shopify -- --port 4020 --products P --customers C --orders O --seed S [--access-token T]
 * [--latency-ms M] [--carts N] [--discount-codes N] [--currency EUR] [--webhook-url U] [--api-key K --api-secret S [--auto-approve]] [--no-throttle]`
 *
 * `--api-key`/`--api-secret` are the app's client id and secret: the OAuth routes (`/admin/oauth/authorize`,
 * `/admin/oauth/access_token`) accept that app, and the secret signs callbacks and webhooks. `--auto-approve` skips
 * the consent page.
 */
const {values} = parseArgs({
  options: {
    port: {type: 'string', default: '4020'},
    products: {type: 'string', default: '100'},
    customers: {type: 'string', default: '500'},
    orders: {type: 'string', default: '1000'},
    carts: {type: 'string', default: '0'},
    'discount-codes': {type: 'string', default: '10'},
    seed: {type: 'string', default: '1'},
    'access-token': {type: 'string'},
    'latency-ms': {type: 'string'},
    'shop-domain': {type: 'string'},
    /** The shop's currency (`shop { currencyCode }`, every money field); default USD. */
    currency: {type: 'string'},
    'webhook-url': {type: 'string'},
    'api-secret': {type: 'string'},
    'api-key': {type: 'string'},
    'auto-approve': {type: 'boolean', default: false},
    'no-throttle': {type: 'boolean', default: false},
  },
});

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
