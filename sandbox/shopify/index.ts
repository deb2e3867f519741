import {createReadStream} from 'node:fs';
import {once} from 'node:events';
import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import express from 'express';
import {AppAuth} from './auth/app-auth.js';
import {oauthRouter} from './auth/oauth-routes.js';
import type {DocumentNode} from 'graphql';
import {compileBulkQuery, type CompiledBulkQuery} from './bulk/bulk-executor.js';
import {BulkOperations, type BulkSettings} from './bulk/bulk-operations.js';
import {DEFAULT_THROTTLE, ThrottleBucket, type ThrottleSettings} from './cost/throttle-bucket.js';
import {generateStore, type StoreSize} from './data/generate-store.js';
import type {ShopStore} from './data/shop-store.js';
import {controlsRouter} from './http/controls-routes.js';
import {graphqlEndpoint, type EndpointSettings} from './http/graphql-endpoint.js';
import {RequestStats} from './http/request-stats.js';
import type {ResolverContext} from './resolvers/resolver-context.js';
import {buildAdminSchema} from './schema/admin-schema.js';
import {WebhookSender} from './webhooks/webhook-sender.js';
import {WebhookSubscriptions} from './webhooks/webhook-subscriptions.js';

export const DEFAULT_API_VERSION = '2025-10';
export const DEFAULT_ACCESS_TOKEN = 'shpat_sandbox0000000000000000000000';

export interface ShopifySandboxOptions extends StoreSize {
  seed: number;
  /** 0 (default) picks a free port. */
  port?: number;
  accessToken?: string;
  shopDomain?: string;
  /** The shop's name (default "Sandbox Shop"). */
  shopName?: string;
  currencyCode?: string;
  /** Added to every GraphQL request. */
  latencyMs?: number;
  /** Cost bucket (default 2000 points, 100/s); `false` reports costs but never throttles. */
  throttle?: ThrottleSettings | false;
  /** Where to POST webhooks for API writes (with `apiSecret`, which signs them). */
  webhookUrl?: string;
  /** The app's client secret: signs webhooks and OAuth callbacks, checked by the token endpoint. */
  apiSecret?: string;
  /** The app's client id (`client_id` of the OAuth routes); with `apiSecret`. */
  apiKey?: string;
  /** `GET /admin/oauth/authorize` redirects at once instead of showing the consent page. */
  autoApprove?: boolean;
  bulk?: BulkSettings;
  /** End of the generated history (epoch ms); see generateStore. */
  historyEnd?: number;
  /** Clock of writes made through the API and the controls (default Date.now). */
  now?: () => number;
}

export interface ShopifySandbox {
  /** `http://127.0.0.1:<port>/admin`: the `SHOPIFY_ADMIN_URL` of a connector pointed at this stand-in. */
  adminUrl: string;
  origin: string;
  graphqlUrl(version?: string): string;
  accessToken: string;
  shopDomain: string;
  state: ShopStore;
  stats: RequestStats;
  bucket: ThrottleBucket;
  bulkOperations: BulkOperations;
  webhooks?: WebhookSender;
  webhookSubscriptions: WebhookSubscriptions;
  /** Codes and tokens issued through OAuth (with `apiKey` and `apiSecret`). */
  auth?: AppAuth;
  /** The stand-in's clock (epoch ms): the real one plus what `/__sandbox/clock` advanced. */
  now(): number;
  advanceClock(seconds: number): void;
  close(): Promise<void>;
}

/**
 * Starts a stand-in of the Shopify GraphQL Admin API on 127.0.0.1 with a generated shop:
 * `POST /admin/api/<version>/graphql.json` (token in `X-Shopify-Access-Token`), bulk results under `/__bulk/`,
 * operator controls under `/__sandbox/`.
 */
export async function startShopifySandbox(options: ShopifySandboxOptions): Promise<ShopifySandbox> {
  const shopDomain = options.shopDomain ?? 'sandbox-shop.myshopify.com';
  const accessToken = options.accessToken ?? DEFAULT_ACCESS_TOKEN;
  const realNow = options.now ?? Date.now;
  let clockOffsetMs = 0;
  const now = () => realNow() + clockOffsetMs;
  const advanceClock = (seconds: number) => {
    clockOffsetMs += seconds * 1000;
  };
  const store = generateStore({...options, shopDomain, now});
  const auth =
    options.apiKey !== undefined && options.apiSecret !== undefined
      ? new AppAuth({apiKey: options.apiKey, apiSecret: options.apiSecret}, now)
      : undefined;
  const isAuthorized = (token: string | undefined) =>
    token !== undefined && (token === accessToken || (auth?.accepts(token) ?? false));
  const schema = buildAdminSchema();
  const stats = new RequestStats();
  const bucket = new ThrottleBucket(
    options.throttle === false ? DEFAULT_THROTTLE : (options.throttle ?? DEFAULT_THROTTLE),
    options.throttle !== false,
  );
  const settings: EndpointSettings = {latencyMs: options.latencyMs ?? 0};
  const webhookSubscriptions = new WebhookSubscriptions();
  // The app secret signs every webhook: without it nothing is delivered, not even to subscriptions.
  const webhooks =
    options.apiSecret !== undefined
      ? new WebhookSender({
          url: options.webhookUrl,
          subscriptions: webhookSubscriptions,
          apiSecret: options.apiSecret,
          shopDomain,
        })
      : undefined;
  let origin = '';
  const compiledBulkQueries = new WeakMap<DocumentNode, CompiledBulkQuery>();
  const bulkOperations: BulkOperations = new BulkOperations(
    {
      schema,
      ids: store.ids,
      now: () => store.now(),
      origin: () => origin,
      execute: (document, window, apiVersion) => {
        const context: ResolverContext = {
          store,
          apiVersion,
          bulkOperations,
          webhookSubscriptions,
          search: [],
          bulk: window,
        };
        let compiled = compiledBulkQueries.get(document);
        if (!compiled) compiledBulkQueries.set(document, (compiled = compileBulkQuery(schema, document)));
        return compiled.execute(context);
      },
    },
    options.bulk,
  );

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(oauthRouter({auth, shopDomain, now, autoApprove: options.autoApprove ?? false}));
  app.post(
    '/admin/api/:version/graphql.json',
    express.text({type: () => true, limit: '5mb'}),
    graphqlEndpoint({
      schema,
      store,
      bulkOperations,
      webhooks,
      webhookSubscriptions,
      bucket,
      stats,
      isAuthorized,
      settings,
    }),
  );
  app.get('/__bulk/:file', (req, res) => {
    const match = /^(\d+)\.jsonl$/.exec(String(req.params.file));
    const file = match ? bulkOperations.fileOf(Number(match[1])) : undefined;
    if (!file) {
      res
        .status(404)
        .type('application/xml')
        .send('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code></Error>');
      return;
    }
    res.type('application/jsonl');
    createReadStream(file).pipe(res);
  });
  app.use(
    '/__sandbox',
    controlsRouter({
      store,
      bucket,
      stats,
      bulkOperations,
      webhooks,
      settings,
      advanceClock: (seconds) => {
        advanceClock(seconds);
        return now();
      },
      info: () => ({
        shop_domain: shopDomain,
        currency: store.shop.currencyCode,
        api_key: options.apiKey ?? null,
        adminUrl: `${origin}/admin`,
        graphqlUrl: `${origin}/admin/api/${DEFAULT_API_VERSION}/graphql.json`,
        shopDomain,
        accessToken,
        counts: counts(store),
      }),
    }),
  );
  app.use((_req, res) => {
    res.status(404).json({errors: 'Not Found'});
  });

  const server: Server = app.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    adminUrl: `${origin}/admin`,
    origin,
    graphqlUrl: (version = DEFAULT_API_VERSION) => `${origin}/admin/api/${version}/graphql.json`,
    accessToken,
    shopDomain,
    state: store,
    stats,
    bucket,
    bulkOperations,
    webhooks,
    webhookSubscriptions,
    auth,
    now,
    advanceClock,
    async close() {
      await bulkOperations.close();
      await webhooks?.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function counts(store: ShopStore): Record<string, number> {
  return {
    products: store.products.size,
    customers: store.customers.size,
    orders: store.orders.size,
    discounts: store.discounts.size,
    abandonedCheckouts: store.checkouts.size,
  };
}
