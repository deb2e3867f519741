import {pino} from 'pino';
import {loadConfig} from '../config/config.js';
import {APP_TOML_SCOPES} from '../shopify/app-toml.js';
import {createShopifyApp, rewriteAdminUrl, routeShop, validShopDomain} from './shopify-app.js';

describe('shopify-app', () => {
  it('accepts only <name>.myshopify.com shops (lower-cased)', () => {
    expect(validShopDomain('My-Shop.myshopify.com')).toBe('my-shop.myshopify.com');
    for (const bad of [
      undefined,
      '',
      'shop.example.com',
      'https://a.myshopify.com',
      'a.myshopify.com/x',
      '-a.myshopify.com',
    ])
      expect(validShopDomain(bad)).toBeUndefined();
  });

  it("rewrites shopify-api's admin URLs only for shops routed to a stand-in", () => {
    routeShop('routed.myshopify.com', 'http://127.0.0.1:4020/admin/');
    expect(rewriteAdminUrl('https://routed.myshopify.com/admin/oauth/access_token')).toBe(
      'http://127.0.0.1:4020/admin/oauth/access_token',
    );
    expect(rewriteAdminUrl('https://other.myshopify.com/admin/oauth/access_token')).toBeUndefined();
    expect(rewriteAdminUrl('https://routed.myshopify.com.evil.example/admin/x')).toBeUndefined();
    routeShop('routed.myshopify.com', undefined);
    expect(rewriteAdminUrl('https://routed.myshopify.com/admin/oauth/access_token')).toBeUndefined();
  });

  it('builds the app from the config: TOML scopes by default, host and scheme from the public URL', () => {
    const logger = pino({level: 'silent'});
    expect(createShopifyApp({config: loadConfig({LOG_LEVEL: 'silent'}), logger, publicUrl: undefined})).toBeUndefined();
    const config = loadConfig({LOG_LEVEL: 'silent', SHOPIFY_API_KEY: 'k', SHOPIFY_API_SECRET: 's'});
    const app = createShopifyApp({config, logger, publicUrl: 'https://connector.example/base'})!;
    expect(app.config.hostName).toBe('connector.example/base');
    expect(app.config.hostScheme).toBe('https');
    expect(app.config.isEmbeddedApp).toBe(false);
    expect(app.config.scopes!.toArray(true).sort()).toEqual([...APP_TOML_SCOPES].sort());
    const custom = createShopifyApp({
      config: loadConfig({
        LOG_LEVEL: 'silent',
        SHOPIFY_API_KEY: 'k',
        SHOPIFY_API_SECRET: 's',
        SHOPIFY_SCOPES: 'read_orders, read_customers',
      }),
      logger,
      publicUrl: 'http://127.0.0.1:3000',
    })!;
    expect(custom.config.hostScheme).toBe('http');
    expect(custom.config.scopes!.toArray(true).sort()).toEqual(['read_customers', 'read_orders']);
  });
});
