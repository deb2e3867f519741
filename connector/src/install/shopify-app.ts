import '@shopify/shopify-api/adapters/node';
import {ApiVersion, LogSeverity, shopifyApi, type Shopify} from '@shopify/shopify-api';
import {abstractFetch, setAbstractFetchFunc, type AbstractFetchFunc} from '@shopify/shopify-api/runtime';
import type {Config} from '../config/config.js';
import type {Logger} from '../logging/logger.js';
import {APP_TOML_SCOPES} from '../shopify/app-toml.js';

/** The API version of the app (the TOML's `[webhooks] api_version`). shopify-api only uses it for its own clients. */
export const APP_API_VERSION = ApiVersion.January26;

/** `<name>.myshopify.com`, the only shop form an install accepts (the same rule as SHOPIFY_SHOP). */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export function validShopDomain(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const shop = value.trim().toLowerCase();
  return SHOP_DOMAIN.test(shop) && shop.length <= 255 ? shop : undefined;
}

/**
 * Stand-in redirection for shopify-api's token requests.
 *
 * shopify-api's `auth.callback` and `auth.refreshToken` POST to `https://<shop>/admin/oauth/access_token` through
 * the library's process-wide `abstractFetch` (there is no per-call fetch or base URL). To point them at a stand-in
 * (SHOPIFY_ADMIN_URL, or a test's per-shop map) we install, once per process, a wrapping fetch that rewrites
 * `https://<shop>/admin/…` to `<admin URL>/…` for the shops in this registry and leaves every other URL alone. The
 * registry is filled with the shop's admin URL right before each call (`routeShop`), from the install context, so
 * a real shop (no entry) is never redirected. Our own Admin API client does not go through this (it has its own
 * per-client fetch, shopify-admin/admin-client.ts).
 */
const adminUrls = new Map<string, string>();
let wrapped = false;

export function routeShop(shop: string, adminUrl: string | undefined): void {
  if (adminUrl) adminUrls.set(shop, adminUrl.replace(/\/+$/, ''));
  else adminUrls.delete(shop);
  if (wrapped) return;
  wrapped = true;
  const original: AbstractFetchFunc = abstractFetch;
  setAbstractFetchFunc((input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : undefined;
    const target = url ? rewriteAdminUrl(url) : undefined;
    return target ? original(target, init) : original(input, init);
  });
}

/** `https://<shop>/admin/<rest>` → `<admin URL>/<rest>` for a shop routed to a stand-in; undefined otherwise. */
export function rewriteAdminUrl(url: string): string | undefined {
  const match = /^https:\/\/([^/]+)\/admin(\/.*)?$/.exec(url);
  if (!match) return undefined;
  const base = adminUrls.get(match[1]!.toLowerCase());
  return base ? base + (match[2] ?? '') : undefined;
}

export interface ShopifyAppOptions {
  config: Config;
  logger: Logger;
  /** The connector's public base URL (the OAuth redirect's host); a placeholder when unknown (refresh only). */
  publicUrl: string | undefined;
}

/**
 * The connector's one shopify-api instance for the configured app (SHOPIFY_API_KEY / SHOPIFY_API_SECRET): a
 * standalone app (not embedded), the scopes of SHOPIFY_SCOPES or the TOML, its host from the public URL.
 * undefined without the app's credentials. The library logs only errors, into the connector's logger at debug
 * (nothing it logs at that level carries a secret).
 */
export function createShopifyApp(options: ShopifyAppOptions): Shopify | undefined {
  const {config} = options;
  if (!config.SHOPIFY_API_KEY || !config.SHOPIFY_API_SECRET) return undefined;
  const url = new URL(options.publicUrl ?? 'http://localhost');
  const log = options.logger.child({module: 'shopify-api'});
  return shopifyApi({
    apiKey: config.SHOPIFY_API_KEY,
    apiSecretKey: config.SHOPIFY_API_SECRET,
    scopes: config.SHOPIFY_SCOPES
      ? config.SHOPIFY_SCOPES.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [...APP_TOML_SCOPES],
    // A public URL under a path (https://host/connector) keeps its path: redirect_uri is <scheme>://<hostName><path>.
    hostName: `${url.host}${url.pathname.replace(/\/+$/, '')}`,
    hostScheme: url.protocol === 'http:' ? 'http' : 'https',
    apiVersion: APP_API_VERSION,
    isEmbeddedApp: false,
    logger: {
      level: LogSeverity.Error,
      httpRequests: false,
      log: async (_severity, message) => {
        log.debug({message}, 'shopify-api');
      },
    },
  });
}
