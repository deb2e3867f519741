import {randomUUID} from 'node:crypto';
import {setTimeout as sleep} from 'node:timers/promises';
import type {Logger} from '../logging/logger.js';
import {isMailchimpError} from '../mailchimp/mailchimp-error.js';
import type {MailchimpClient} from '../mailchimp/client.js';
import type {ListWebhook, ListWebhookEvents, ListWebhookSources} from '../mailchimp/types/index.js';
import {isSyncable, type ConnectionsRepository} from '../store/connections-repository.js';
import type {MailchimpTargets} from '../segments/segment-service.js';
import type {WebhookRegistrationsRepository} from './webhook-registrations-repository.js';

/** The path deliveries arrive on; the token after it names the connection. */
export const MAILCHIMP_WEBHOOK_PATH = '/webhooks/mailchimp';

/** Everything a person or an admin changes; never the connector's own API writes (no echo), never campaigns. */
export const WEBHOOK_EVENTS: Required<ListWebhookEvents> = {
  subscribe: true,
  unsubscribe: true,
  profile: true,
  cleaned: true,
  upemail: true,
  campaign: false,
};
export const WEBHOOK_SOURCES: Required<ListWebhookSources> = {user: true, admin: true, api: false};

export type WebhookCheck =
  | {
      status: 'registered';
      repair: 'none' | 'created' | 'updated';
      webhookId: string;
      removedStale: number;
      removedDuplicates: number;
    }
  | {status: 'unregistered'; reason: string}
  | {status: 'failed'; reason: string}
  /** Another check held the registration lease for longer than this one waits (a slow Mailchimp): it records its result. */
  | {status: 'busy'; reason: string};

/** The per-connection registration lease (see ListWebhookRegistrar). */
export interface CheckLeaseOptions {
  /** How long a taken lease holds; the holder renews it every third of that while it works, a crashed one's lapses. */
  leaseMs: number;
  /** How long a check waits for a held lease before answering `busy`. */
  waitMs: number;
  /** How often a waiting check tries again (jittered). */
  pollMs: number;
}

export const DEFAULT_CHECK_LEASE: CheckLeaseOptions = {leaseMs: 60_000, waitMs: 30_000, pollMs: 100};

export interface ListWebhookRegistrarDeps {
  connections: ConnectionsRepository;
  registrations: WebhookRegistrationsRepository;
  targets: MailchimpTargets;
  /** The connector's public base URL (PUBLIC_URL), read at each check. */
  publicUrl(): string | undefined;
  now(): Date;
  logger: Logger;
  lease?: Partial<CheckLeaseOptions>;
}

/**
 * Registers each connection's list webhook and keeps it healthy: a check finds the webhook by its exact URL and
 * recreates it when missing, turns its events and sources back on when someone switched them off, and removes the
 * connector's other webhooks under its public base URL (outdated tokens) and duplicates of its own URL. Mailchimp
 * validates a new URL with a GET, which the webhook route answers.
 *
 * Exactly one webhook, however many checks run (operator calls, the start-up and scheduled checks, several processes
 * on one database): a check holds the connection's lease in the database (`mailchimp_webhooks.check_holder` /
 * `check_lease_until`, taken by one conditional UPDATE) from listing the webhooks to its last write, so checks never
 * interleave a "none there" listing with another's create. Decision: a check that finds the lease held waits (polling,
 * up to `waitMs`) and then runs the whole check itself, rather than failing or copying the holder's answer: it lists
 * again, sees the holder's webhook and answers `repair: 'none'`, so every answer describes what Mailchimp holds after
 * it. Only a holder still busy after `waitMs` (a slow Mailchimp) makes it answer `busy`. The holder renews its lease
 * while it works; a crashed holder's lease lapses after `leaseMs`. If a lease ever lapsed under a live holder and two
 * checks overlapped, the next check removes the extra webhook: among webhooks with our exact URL it keeps the first
 * Mailchimp lists (the same one for every check) and deletes the rest.
 */
export class ListWebhookRegistrar {
  private readonly lease: CheckLeaseOptions;

  constructor(private readonly deps: ListWebhookRegistrarDeps) {
    this.lease = {...DEFAULT_CHECK_LEASE, ...deps.lease};
  }

  async checkAll(): Promise<Record<string, WebhookCheck>> {
    const out: Record<string, WebhookCheck> = {};
    for (const connection of await this.deps.connections.all()) {
      if (!isSyncable(connection)) continue;
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
    const holder = randomUUID();
    if (!(await this.takeLease(connectionId, holder))) {
      const reason = `another check has been registering this webhook for over ${Math.round(this.lease.waitMs / 1000)} s; its result will show in GET /v1/mailchimp/webhook`;
      this.deps.logger.warn({connectionId}, 'Mailchimp list webhook check still running elsewhere');
      return {status: 'busy', reason};
    }
    const renewal = this.renewWhileHeld(connectionId, holder);
    try {
      return await this.reconcile(connectionId, client, listId, base, url, at);
    } finally {
      renewal.stop();
      await this.deps.registrations.releaseCheckLease(connectionId, holder).catch((err: unknown) => {
        this.deps.logger.warn({connectionId, err}, 'Mailchimp list webhook lease not released; it lapses');
      });
    }
  }

  /** Lists, removes stale and duplicate webhooks of ours, then creates or repairs ours. Runs under the lease. */
  private async reconcile(
    connectionId: string,
    client: MailchimpClient,
    listId: string,
    base: string,
    url: string,
    at: () => string,
  ): Promise<WebhookCheck> {
    try {
      const hooks = await client.listWebhooks.list(listId);
      const ours = hooks.filter((h) => isConnectorWebhook(h.url, base));
      const exact = ours.filter((h) => h.url === url);
      // The first listed is kept: every check (and every process) picks the same one.
      let mine: ListWebhook | undefined = exact[0];
      let removedStale = 0;
      let removedDuplicates = 0;
      for (const stale of ours.filter((h) => h.url !== url)) {
        if (await this.remove(client, listId, stale.id)) removedStale += 1;
      }
      for (const duplicate of exact.slice(1)) {
        if (await this.remove(client, listId, duplicate.id)) removedDuplicates += 1;
      }
      let repair: 'none' | 'created' | 'updated' = 'none';
      if (!mine) {
        mine = await client.listWebhooks.create(listId, {url, events: WEBHOOK_EVENTS, sources: WEBHOOK_SOURCES});
        repair = 'created';
      } else if (!flagsMatch(mine)) {
        mine = await client.listWebhooks.update(listId, mine.id, {events: WEBHOOK_EVENTS, sources: WEBHOOK_SOURCES});
        repair = 'updated';
      }
      await this.deps.registrations.recordCheck(connectionId, {
        status: 'registered',
        webhookId: mine.id,
        urlBase: base,
        repair,
        at: at(),
      });
      if (repair !== 'none' || removedStale > 0 || removedDuplicates > 0)
        this.deps.logger.info(
          {connectionId, repair, removedStale, removedDuplicates},
          'Mailchimp list webhook repaired',
        );
      return {status: 'registered', repair, webhookId: mine.id, removedStale, removedDuplicates};
    } catch (err) {
      if (!isMailchimpError(err)) throw err;
      const reason = [err.title, err.detail].filter(Boolean).join(': ') || err.message;
      this.deps.logger.warn({connectionId, err: err.toJSON()}, 'Mailchimp list webhook check failed');
      await this.deps.registrations.recordCheck(connectionId, {status: 'failed', error: reason, at: at()});
      return {status: 'failed', reason};
    }
  }

  /** Deletes a webhook; false when it is already gone (404). */
  private async remove(client: MailchimpClient, listId: string, webhookId: string): Promise<boolean> {
    try {
      await client.listWebhooks.delete(listId, webhookId);
      return true;
    } catch (err) {
      if (isMailchimpError(err) && err.status === 404) return false;
      throw err;
    }
  }

  /** Takes the connection's lease, waiting up to `waitMs` while another check holds it; false if it never came free. */
  private async takeLease(connectionId: string, holder: string): Promise<boolean> {
    const deadline = Date.now() + this.lease.waitMs;
    for (;;) {
      const now = this.deps.now();
      const until = new Date(now.getTime() + this.lease.leaseMs).toISOString();
      if (await this.deps.registrations.takeCheckLease(connectionId, holder, now.toISOString(), until)) return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.round(this.lease.pollMs * (0.5 + Math.random())));
    }
  }

  /** Renews the lease every third of `leaseMs` until stopped, so that a long check (Mailchimp retrying) keeps it. */
  private renewWhileHeld(connectionId: string, holder: string): {stop(): void} {
    let stopped = false;
    const timer = setInterval(
      () => {
        const until = new Date(this.deps.now().getTime() + this.lease.leaseMs).toISOString();
        this.deps.registrations.extendCheckLease(connectionId, holder, until).then(
          (held) => {
            if (!held && !stopped)
              this.deps.logger.warn({connectionId}, 'Mailchimp list webhook lease lapsed during a check');
          },
          (err: unknown) => this.deps.logger.warn({connectionId, err}, 'Mailchimp list webhook lease not renewed'),
        );
      },
      Math.max(1, Math.floor(this.lease.leaseMs / 3)),
    );
    timer.unref();
    return {
      stop() {
        stopped = true;
        clearInterval(timer);
      },
    };
  }
}

/** A webhook this connector made (any token) under its public base URL. */
function isConnectorWebhook(url: string, base: string): boolean {
  return url.startsWith(`${base}${MAILCHIMP_WEBHOOK_PATH}/`);
}

function flagsMatch(hook: ListWebhook): boolean {
  const events = hook.events as Partial<Record<string, boolean>>;
  const sources = hook.sources as Partial<Record<string, boolean>>;
  return (
    Object.entries(WEBHOOK_EVENTS).every(([k, v]) => Boolean(events[k]) === v) &&
    Object.entries(WEBHOOK_SOURCES).every(([k, v]) => Boolean(sources[k]) === v)
  );
}
