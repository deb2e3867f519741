import '@shopify/shopify-api/adapters/node';
import {ApiVersion, LogSeverity, shopifyApi} from '@shopify/shopify-api';
import type {Request, Response} from 'express';

/** What a verified Shopify delivery tells us (the `X-Shopify-*` or un-prefixed Events headers). */
export interface VerifiedShopifyWebhook {
  topic: string;
  shopDomain: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt?: string;
  eventId?: string;
}

export type VerificationResult = {valid: true; webhook: VerifiedShopifyWebhook} | {valid: false; reason: string};

type ShopifyApi = ReturnType<typeof shopifyApi>;

/**
 * A Shopify delivery header from the one header set the delivery is verified with: the un-prefixed `Shopify-*` set
 * (Events deliveries) when `Shopify-Hmac-Sha256` is present, else the `X-Shopify-*` set. This is the choice
 * @shopify/shopify-api makes (lib/webhooks/validate); reading the shop or topic from the other set would let one
 * request name one shop to pick the secret and another to the library.
 */
export function shopifyHeader(
  req: Request,
  name: 'hmac-sha256' | 'topic' | 'shop-domain' | 'webhook-id' | 'api-version' | 'triggered-at' | 'event-id',
): string | undefined {
  const events = req.get('shopify-hmac-sha256') !== undefined;
  return req.get(events ? `shopify-${name}` : `x-shopify-${name}`);
}

/** The request as the library's node adapter reads it (method, URL, headers), with only the Shopify headers. */
function shopifyPart(req: Request): {
  method: string;
  url: string;
  originalUrl: string;
  headers: Record<string, string>;
} {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value !== 'string') continue;
    if (name.startsWith('x-shopify-') || name.startsWith('shopify-') || name === 'content-type') headers[name] = value;
  }
  return {method: req.method, url: req.url, originalUrl: req.originalUrl, headers};
}

/**
 * Verifies webhook HMACs with @shopify/shopify-api (the library Shopify maintains) over the raw body. One library
 * instance per app secret: a public app has one secret, custom apps one per shop.
 */
export class ShopifyWebhookVerifier {
  private readonly instances = new Map<string, ShopifyApi>();

  async verify(secret: string, rawBody: string, req: Request, res: Response): Promise<VerificationResult> {
    const api = this.instanceFor(secret);
    // The library's node adapter canonicalises every request header (a regex per header) before it reads the few
    // Shopify ones: it gets the request with only those (both header sets, so it makes its own choice between them)
    // and the content type. Measured: canonicalizeHeaderName was a tenth of a web process's busy time
    // (bench/live-sync.bench.ts with BENCH_CPU_PROF=1).
    const check = await api.webhooks.validate({rawBody, rawRequest: shopifyPart(req), rawResponse: res});
    if (!check.valid) {
      const missing = 'missingHeaders' in check && check.missingHeaders ? `: ${check.missingHeaders.join(', ')}` : '';
      return {valid: false, reason: `${check.reason}${missing}`};
    }
    // The library normalises the topic to ORDERS_CREATE; the mappers use Shopify's own `orders/create` form, read
    // from the header set the library verified.
    const rawTopic = shopifyHeader(req, 'topic') ?? check.topic;
    return {
      valid: true,
      webhook: {
        topic: rawTopic.includes('/') ? rawTopic.toLowerCase() : check.topic.toLowerCase().replace('_', '/'),
        shopDomain: check.domain,
        webhookId: check.webhookId,
        apiVersion: check.apiVersion,
        triggeredAt: 'triggeredAt' in check ? check.triggeredAt : undefined,
        eventId: 'eventId' in check ? check.eventId : undefined,
      },
    };
  }

  private instanceFor(secret: string): ShopifyApi {
    let api = this.instances.get(secret);
    if (!api) {
      api = shopifyApi({
        apiKey: 'webhook-verification-only',
        apiSecretKey: secret,
        hostName: 'localhost',
        apiVersion: ApiVersion.January26,
        isEmbeddedApp: false,
        logger: {level: LogSeverity.Error, log: async () => undefined},
        future: {},
      });
      this.instances.set(secret, api);
    }
    return api;
  }
}
