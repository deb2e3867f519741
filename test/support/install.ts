import {createHmac} from 'node:crypto';
import request from 'supertest';
import {pino} from 'pino';
import {loadConfig} from '../../connector/src/config/config.js';
import {createConnector, type Connector, type ConnectorDeps} from '../../connector/src/app/connector.js';
import {SecretBox} from '../../connector/src/security/secret-box.js';
import {startShopifySandbox, type ShopifySandbox, type ShopifySandboxOptions} from '../../sandbox/shopify/index.js';
import {startTestSandbox, type TestSandbox} from './sandbox.js';

/** The Shopify app the install tests use (the stand-in knows it as its OAuth client). */
export const APP_KEY = 'test-app-client-id';
export const APP_SECRET = 'shpss_test_app_secret_0123456789';
export const INSTALL_ADMIN_TOKEN = 'install-admin-token-0123456789abcdef';
/** The connector's public URL in install tests: never called (supertest drives the app), only named in redirects. */
export const INSTALL_PUBLIC_URL = 'http://127.0.0.1:9';

/** A Shopify stand-in with the test app as its OAuth client, approving installs at once. */
export function startAppShopify(options: Partial<ShopifySandboxOptions> = {}): Promise<ShopifySandbox> {
  return startShopifySandbox({
    seed: 14,
    products: 2,
    customers: 3,
    orders: 2,
    throttle: false,
    apiKey: APP_KEY,
    apiSecret: APP_SECRET,
    autoApprove: true,
    ...options,
  });
}

export interface InstallConnectorOptions {
  shopify: ShopifySandbox;
  /** The Mailchimp sandbox (a new one when absent; closed with the connector only then). */
  mailchimp?: TestSandbox;
  databaseUrl?: string;
  databaseSchema?: string;
  encryptionKey?: string;
  now?: () => Date;
  env?: Record<string, string>;
  /** Each shop's stand-in (default: `shopify` for every shop). */
  shopifyAdminUrl?: ConnectorDeps['shopifyAdminUrl'];
}

export interface InstallConnector {
  connector: Connector;
  shopify: ShopifySandbox;
  mailchimp: TestSandbox;
  encryptionKey: string;
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * A connector in multi-shop mode (the Shopify app's credentials, no SHOPIFY_SHOP) over a Mailchimp sandbox, with
 * every shop's Admin API (authorize, token, GraphQL) at the given Shopify stand-in.
 */
export async function startInstallConnector(options: InstallConnectorOptions): Promise<InstallConnector> {
  const mailchimp = options.mailchimp ?? (await startTestSandbox());
  const encryptionKey = options.encryptionKey ?? SecretBox.generateKey();
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl ?? 'sqlite::memory:',
    ...(options.databaseSchema ? {DATABASE_SCHEMA: options.databaseSchema} : {}),
    ADMIN_TOKEN: INSTALL_ADMIN_TOKEN,
    ENCRYPTION_KEY: encryptionKey,
    LOG_LEVEL: 'silent',
    SHOPIFY_API_KEY: APP_KEY,
    SHOPIFY_API_SECRET: APP_SECRET,
    PUBLIC_URL: INSTALL_PUBLIC_URL,
    SYNC_POLL_MS: '20',
    SHOP_CURRENCY_WAIT_SECONDS: '0',
    ...options.env,
  });
  const connector = await createConnector({
    config,
    logger: pino({level: 'silent'}),
    box: SecretBox.fromBase64(encryptionKey),
    now: options.now,
    shopifyAdminUrl: options.shopifyAdminUrl ?? (() => options.shopify.adminUrl),
  });
  return {
    connector,
    shopify: options.shopify,
    mailchimp,
    encryptionKey,
    http: () => request(connector.app),
    async close() {
      await connector.stop();
      if (!options.mailchimp) await mailchimp.close();
    },
  };
}

/** `name=value` of each Set-Cookie header (for the next request's Cookie header). */
export function cookiePairs(response: request.Response): string[] {
  const header = response.headers['set-cookie'] as string[] | string | undefined;
  const list = header === undefined ? [] : Array.isArray(header) ? header : [header];
  // A cleared cookie (empty value) is left out.
  return list.map((cookie) => cookie.split(';')[0]!).filter((pair) => pair.slice(pair.indexOf('=') + 1) !== '');
}

/** One Set-Cookie header by cookie name (attributes included). */
export function setCookie(response: request.Response, name: string): string | undefined {
  const header = response.headers['set-cookie'] as string[] | string | undefined;
  const list = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return list.find((cookie) => cookie.startsWith(`${name}=`));
}

export interface BegunInstall {
  /** The stand-in's authorize URL the connector redirected to. */
  authorizeUrl: URL;
  /** The cookies the connector set (shopify-api's state cookie and its signature, the install binding). */
  cookies: string[];
}

/** `GET /shopify/install?shop=…`: expects the redirect to the shop's authorize page. */
export async function beginInstall(connector: Connector, shop: string): Promise<BegunInstall> {
  const begin = await request(connector.app).get('/shopify/install').query({shop});
  if (begin.status !== 302) throw new Error(`install answered ${begin.status}: ${begin.text}`);
  return {authorizeUrl: new URL(begin.headers.location as string), cookies: cookiePairs(begin)};
}

/** The merchant approves at the stand-in (auto-approve): the callback's path and query at the connector. */
export async function approve(authorizeUrl: URL): Promise<URL> {
  const response = await fetch(authorizeUrl, {redirect: 'manual'});
  if (response.status !== 302) throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
  return new URL(response.headers.get('location')!);
}

/** `GET /shopify/callback?…` with the given cookies. */
export function callback(connector: Connector, url: URL, cookies: string[]): request.Test {
  const test = request(connector.app).get(`${url.pathname}${url.search}`);
  return cookies.length > 0 ? test.set('Cookie', cookies.join('; ')) : test;
}

/** Signs callback parameters as Shopify does (every parameter but hmac, sorted, `k=v&…`, HMAC-SHA256 hex). */
export function signCallback(params: URLSearchParams, secret = APP_SECRET): URLSearchParams {
  const signed = new URLSearchParams([...params.entries()].filter(([key]) => key !== 'hmac'));
  const message = [...signed.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  signed.set('hmac', createHmac('sha256', secret).update(message).digest('hex'));
  return signed;
}

export interface InstalledShop {
  shop: string;
  connectionId: string;
  /** `msb_session=…`, for the merchant's requests. */
  sessionCookie: string;
  /** The callback's answer (302 to /app). */
  response: request.Response;
}

/** Installs the stand-in's shop through `/shopify/install` → authorize → `/shopify/callback`. */
export async function installShop(connector: Connector, shopify: ShopifySandbox): Promise<InstalledShop> {
  const shop = shopify.shopDomain;
  const begun = await beginInstall(connector, shop);
  const back = await approve(begun.authorizeUrl);
  const response = await callback(connector, back, begun.cookies);
  if (response.status !== 302) throw new Error(`callback answered ${response.status}: ${response.text}`);
  const sessionCookie = cookiePairs(response).find((pair) => pair.startsWith('msb_session='));
  if (!sessionCookie) throw new Error('the callback set no session cookie');
  const connection = await connector.connections.byShopDomain(shop);
  if (!connection) throw new Error('the callback stored no connection');
  return {shop, connectionId: connection.id, sessionCookie, response};
}
