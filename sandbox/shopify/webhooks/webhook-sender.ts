import {createHmac, randomUUID} from 'node:crypto';
import type {WebhookSubscriptions} from './webhook-subscriptions.js';

export interface WebhookDelivery {
  webhookId: string;
  topic: string;
  /** Where it went: `--webhook-url` or a subscription's callback URL. */
  url: string;
  triggeredAt: string;
  /** HTTP status of the last attempt; 0 when the connection failed. */
  status: number;
  attempts: number;
}

export interface WebhookSenderOptions {
  /** Receives every webhook (`--webhook-url`), besides the subscriptions of the topic. */
  url?: string;
  /** Subscriptions made through `webhookSubscriptionCreate`: each of the topic gets its own delivery. */
  subscriptions?: WebhookSubscriptions;
  apiSecret: string;
  shopDomain: string;
  /** Attempts per delivery (Shopify retries for hours; the stand-in a few times, quickly). */
  maxAttempts?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
}

/**
 * Delivers REST-format webhooks the way Shopify does: JSON body, `X-Shopify-Hmac-Sha256` = base64 HMAC-SHA256 of
 * the exact body bytes with the app secret, and the `X-Shopify-*` headers that @shopify/shopify-api checks.
 * Deliveries run in the background; `idle()` waits for them (tests of echo loops).
 */
export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: WebhookSenderOptions) {}

  send(topic: string, payload: Record<string, unknown>, apiVersion: string): void {
    const urls = new Set([
      ...(this.options.url !== undefined ? [this.options.url] : []),
      ...(this.options.subscriptions?.urlsFor(topic) ?? []),
    ]);
    const body = JSON.stringify(payload);
    const triggeredAt = new Date().toISOString();
    for (const url of urls) {
      const delivery: WebhookDelivery = {webhookId: randomUUID(), topic, url, triggeredAt, status: 0, attempts: 0};
      this.deliveries.push(delivery);
      const task = this.deliver(delivery, body, apiVersion).finally(() => this.pending.delete(task));
      this.pending.add(task);
    }
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async deliver(delivery: WebhookDelivery, body: string, apiVersion: string): Promise<void> {
    const {apiSecret, shopDomain} = this.options;
    const headers = {
      'Content-Type': 'application/json',
      'X-Shopify-Topic': delivery.topic,
      'X-Shopify-Hmac-Sha256': createHmac('sha256', apiSecret).update(body, 'utf8').digest('base64'),
      'X-Shopify-Shop-Domain': shopDomain,
      'X-Shopify-Webhook-Id': delivery.webhookId,
      'X-Shopify-Event-Id': randomUUID(),
      'X-Shopify-API-Version': apiVersion,
      'X-Shopify-Triggered-At': delivery.triggeredAt,
    };
    const maxAttempts = this.options.maxAttempts ?? 3;
    while (delivery.attempts < maxAttempts) {
      delivery.attempts += 1;
      try {
        const response = await fetch(delivery.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
        });
        delivery.status = response.status;
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        delivery.status = 0;
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 200));
    }
  }
}
