import type {Logger} from '../logging/logger.js';
import {isMailchimpError} from '../mailchimp/mailchimp-error.js';
import type {ListWebhook, ListWebhookEvents, ListWebhookSources} from '../mailchimp/types/index.js';
import type {ConnectionsRepository} from '../store/connections-repository.js';
import type {MailchimpTargets} from '../segments/segment-service.js';
import type {WebhookRegistrationsRepository} from './webhook-registrations-repository.js';

/** The path deliveries arrive on; the token after it names the connection. */
export const MAILCHIMP_WEBHOOK_PATH = '/webhooks/mailchimp';

/** Everything a person or an admin changes; never the connector's own API writes (no echo), never campaigns. */
export const WEBHOOK_EVENTS: Required<ListWebhookEvents> = {subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: false};
export const WEBHOOK_SOURCES: Required<ListWebhookSources> = {user: true, admin: true, api: false};

export type WebhookCheck =
  | {status: 'registered'; repair: 'none' | 'created' | 'updated'; webhookId: string; removedStale: number}
  | {status: 'unregistered'; reason: string}
  | {status: 'failed'; reason: string};

export interface ListWebhookRegistrarDeps {
  connections: ConnectionsRepository;
  registrations: WebhookRegistrationsRepository;
  targets: MailchimpTargets;
  /** The connector's public base URL (PUBLIC_URL), read at each check. */
  publicUrl(): string | undefined;
  now(): Date;
  logger: Logger;
}

/**
 * Registers each connection's list webhook and keeps it healthy: a check finds the webhook by its exact URL and
 * recreates it when missing, turns its events and sources back on when someone switched them off, and removes the
 * connector's webhooks with an outdated URL (a changed PUBLIC_URL). Mailchimp validates a new URL with a GET, which
 * the webhook route answers.
 */
export class ListWebhookRegistrar {
  constructor(private readonly deps: ListWebhookRegistrarDeps) {}

  async checkAll(): Promise<Record<string, WebhookCheck>> {
    const out: Record<string, WebhookCheck> = {};
    for (const connection of await this.deps.connections.all()) {
      if (connection.status !== 'active' || !connection.mailchimpListId) continue;
      out[connection.id] = await this.check(connection.id);
    }
    return out;
  }

  async check(connectionId: string): Promise<WebhookCheck> {
    const at = () => this.deps.now().toISOString();
    const {client, listId} = await this.deps.targets.target(connectionId);
    const token = await this.deps.registrations.tokenFor(connectionId, listId, at());
    const base = this.deps.publicUrl()?.replace(/\/+$/, '');
    if (!base) {
      const reason = 'PUBLIC_URL is not set: Mailchimp has no address to send unsubscribes to';
      await this.deps.registrations.recordCheck(connectionId, {status: 'unregistered', error: reason, at: at()});
      return {status: 'unregistered', reason};
    }
    const url = `${base}${MAILCHIMP_WEBHOOK_PATH}/${token}`;
    try {
      const hooks = await client.listWebhooks.list(listId);
      const ours = hooks.filter((h) => isConnectorWebhook(h.url, base));
      let mine: ListWebhook | undefined = ours.find((h) => h.url === url);
      let removedStale = 0;
      for (const stale of ours.filter((h) => h.url !== url)) {
        await client.listWebhooks.delete(listId, stale.id);
        removedStale += 1;
      }
      let repair: 'none' | 'created' | 'updated' = 'none';
      if (!mine) {
        mine = await client.listWebhooks.create(listId, {url, events: WEBHOOK_EVENTS, sources: WEBHOOK_SOURCES});
        repair = 'created';
      } else if (!flagsMatch(mine)) {
        mine = await client.listWebhooks.update(listId, mine.id, {events: WEBHOOK_EVENTS, sources: WEBHOOK_SOURCES});
        repair = 'updated';
      }
      await this.deps.registrations.recordCheck(connectionId, {status: 'registered', webhookId: mine.id, urlBase: base, repair, at: at()});
      if (repair !== 'none' || removedStale > 0) this.deps.logger.info({connectionId, repair, removedStale}, 'Mailchimp list webhook repaired');
      return {status: 'registered', repair, webhookId: mine.id, removedStale};
    } catch (err) {
      if (!isMailchimpError(err)) throw err;
      const reason = [err.title, err.detail].filter(Boolean).join(': ') || err.message;
      this.deps.logger.warn({connectionId, err: err.toJSON()}, 'Mailchimp list webhook check failed');
      await this.deps.registrations.recordCheck(connectionId, {status: 'failed', error: reason, at: at()});
      return {status: 'failed', reason};
    }
  }
}

/** A webhook this connector made (any token) under its public base URL. */
function isConnectorWebhook(url: string, base: string): boolean {
  return url.startsWith(`${base}${MAILCHIMP_WEBHOOK_PATH}/`);
}

function flagsMatch(hook: ListWebhook): boolean {
  const events = hook.events as Partial<Record<string, boolean>>;
  const sources = hook.sources as Partial<Record<string, boolean>>;
  return Object.entries(WEBHOOK_EVENTS).every(([k, v]) => Boolean(events[k]) === v) && Object.entries(WEBHOOK_SOURCES).every(([k, v]) => Boolean(sources[k]) === v);
}
