/**
 * Per-shop webhook subscriptions made through `webhookSubscriptionCreate` (those in an app's TOML are not modelled).
 * Topics are the GraphQL enum values (`CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE`); deliveries carry the REST topic
 * (`customers_email_marketing_consent/update`) in `X-Shopify-Topic`.
 */

export interface WebhookSubscriptionRecord {
  id: number;
  topic: string;
  callbackUrl: string;
  format: 'JSON' | 'XML';
  includeFields: string[];
  filter: string | null;
  apiVersion: string;
  createdAt: number;
  updatedAt: number;
}

/** `customers_email_marketing_consent/update` → `CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE`. */
export function topicEnum(restTopic: string): string {
  return restTopic.replace(/\//g, '_').toUpperCase();
}

export class WebhookSubscriptions {
  private readonly records: WebhookSubscriptionRecord[] = [];
  private nextId = 1_000_001;

  /** In creation order (which is id order). */
  all(): readonly WebhookSubscriptionRecord[] {
    return this.records;
  }

  get(id: number): WebhookSubscriptionRecord | undefined {
    return this.records.find((record) => record.id === id);
  }

  find(topic: string, callbackUrl: string): WebhookSubscriptionRecord | undefined {
    return this.records.find((record) => record.topic === topic && record.callbackUrl === callbackUrl);
  }

  add(spec: Omit<WebhookSubscriptionRecord, 'id' | 'createdAt' | 'updatedAt'>, now: number): WebhookSubscriptionRecord {
    const record: WebhookSubscriptionRecord = {...spec, id: this.nextId++, createdAt: now, updatedAt: now};
    this.records.push(record);
    return record;
  }

  delete(id: number): boolean {
    const index = this.records.findIndex((record) => record.id === id);
    if (index < 0) return false;
    this.records.splice(index, 1);
    return true;
  }

  /** The callback URLs subscribed to a REST topic (`orders/create`). */
  urlsFor(restTopic: string): string[] {
    const topic = topicEnum(restTopic);
    return this.records.filter((record) => record.topic === topic).map((record) => record.callbackUrl);
  }
}
