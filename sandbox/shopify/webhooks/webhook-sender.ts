import {createHmac, randomUUID} from 'node:crypto';

export interface WebhookDelivery {
  webhookId: string;
  topic: string;
  triggeredAt: string;
  /** HTTP status of the last attempt; 0 when the connection failed. */
  status: number;
  attempts: number;
}

export interface WebhookSenderOptions {
  url: string;
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
    const delivery: WebhookDelivery = {
      webhookId: randomUUID(),
      topic,
      triggeredAt: new Date().toISOString(),
      status: 0,
      attempts: 0,
    };
    this.deliveries.push(delivery);
    const body = JSON.stringify(payload);
    const task = this.deliver(delivery, body, apiVersion).finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async deliver(delivery: WebhookDelivery, body: string, apiVersion: string): Promise<void> {
    const {url, apiSecret, shopDomain} = this.options;
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
        const response = await fetch(url, {
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
