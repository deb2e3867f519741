import express, {type Router} from 'express';
import type {Config} from '../config/config.js';
import {CampaignStatsService} from '../campaigns/campaign-stats-service.js';
import {PromoSendService} from '../campaigns/promo-send-service.js';
import {campaignRouter} from '../campaigns/campaign-routes.js';
import {operatorPageRouter} from '../operator/operator-page.js';
import {segmentRouter} from '../segments/segment-routes.js';
import type {Logger} from '../logging/logger.js';
import {ListWebhookRegistrar} from '../mailchimp-webhooks/list-webhook-registrar.js';
import {mailchimpWebhookRouter} from '../mailchimp-webhooks/mailchimp-webhook-routes.js';
import {WebhookRegistrationsRepository} from '../mailchimp-webhooks/webhook-registrations-repository.js';
import type {SecretBox} from '../security/secret-box.js';
import {SegmentService} from '../segments/segment-service.js';
import {isSyncable, type Connection, type ConnectionsRepository} from '../store/connections-repository.js';
import type {Store} from '../store/database.js';
import type {InboxRepository} from '../store/inbox-repository.js';
import type {SyncContext} from '../sync/processors/sync-context.js';
import {storeCurrencyOf} from '../sync/store-currency.js';
import {tagRulesFor} from '../sync/tag-settings.js';
import type {ShopifyAdminAccess} from '../write-back/shopify-admin-access.js';

export interface CampaignFeaturesDeps {
  config: Config;
  store: Store;
  connections: ConnectionsRepository;
  inbox: InboxRepository;
  syncContext: SyncContext;
  box: SecretBox;
  /** The store's Admin API (promo sends' Shopify discounts). */
  shopifyAdmin: ShopifyAdminAccess;
  logger: Logger;
  now(): Date;
}

/**
 * Segments, promo sends, statistics back from Mailchimp, and the Mailchimp → store path (list webhook), built once
 * by the composition root: services, their routes, and their periodic jobs.
 */
export class CampaignFeatures {
  readonly segments: SegmentService;
  readonly statistics: CampaignStatsService;
  readonly promoSends: PromoSendService;
  readonly registrations: WebhookRegistrationsRepository;
  readonly webhooks: ListWebhookRegistrar;
  private publicUrl: string | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly deps: CampaignFeaturesDeps) {
    const {config, store, connections, syncContext, logger, now} = deps;
    this.publicUrl = config.PUBLIC_URL;
    const currency = (connection: Connection): string => storeCurrencyOf(connection);
    this.segments = new SegmentService({
      db: store.db,
      targets: syncContext,
      tagRules: (connection) => tagRulesFor(connection.settings as Record<string, unknown>, config),
      currency,
      now,
      logger: logger.child({module: 'segments'}),
    });
    this.statistics = new CampaignStatsService({
      db: store.db,
      connections,
      targets: syncContext,
      currency,
      now,
      logger: logger.child({module: 'statistics'}),
    });
    this.promoSends = new PromoSendService({
      db: store.db,
      targets: syncContext,
      segments: this.segments,
      stats: this.statistics,
      shopify: deps.shopifyAdmin,
      currency,
      now,
      logger: logger.child({module: 'promo-sends'}),
    });
    this.registrations = new WebhookRegistrationsRepository(store.db, deps.box);
    this.webhooks = new ListWebhookRegistrar({
      connections,
      registrations: this.registrations,
      targets: syncContext,
      publicUrl: () => this.publicUrl,
      now,
      logger: logger.child({module: 'mailchimp-webhooks'}),
    });
  }

  /** The public base URL Mailchimp reaches the connector at (demo mode sets its local address once listening). */
  setPublicUrl(url: string | undefined): void {
    this.publicUrl = url;
  }

  /** Unauthenticated routes: Mailchimp's webhook deliveries (secret URL) and the operator page shell (no data in it). */
  publicRouter(onAccepted: () => void): Router {
    const router = express.Router();
    router.use(
      mailchimpWebhookRouter({
        registrations: this.registrations,
        inbox: this.deps.inbox,
        logger: this.deps.logger.child({module: 'mailchimp-webhooks'}),
        onAccepted,
        now: this.deps.now,
      }),
    );
    router.use(operatorPageRouter());
    return router;
  }

  /** Operator API routes (mount behind the admin token). */
  operatorRouter(): Router {
    const router = express.Router();
    router.use(segmentRouter({connections: this.deps.connections, segments: this.segments}));
    router.use(
      campaignRouter({
        connections: this.deps.connections,
        promoSends: this.promoSends,
        statistics: this.statistics,
        webhooks: this.webhooks,
        registrations: this.registrations,
      }),
    );
    return router;
  }

  /** Periodic jobs: webhook check (now, then every WEBHOOK_CHECK_MINUTES), statistics, local segment tags. */
  start(): void {
    const {config, logger} = this.deps;
    const every = (minutes: number, name: string, job: () => Promise<unknown>, runNow: boolean) => {
      const run = () => {
        const p = job().catch((err: unknown) => logger.error({err}, `${name} failed`));
        this.running.add(p);
        void p.finally(() => this.running.delete(p));
      };
      if (runNow) run();
      const timer = setInterval(run, minutes * 60_000);
      timer.unref();
      this.timers.push(timer);
    };
    every(config.WEBHOOK_CHECK_MINUTES, 'Mailchimp webhook check', () => this.webhooks.checkAll(), true);
    every(config.STATS_REFRESH_MINUTES, 'statistics pull', () => this.statistics.refreshAll(), true);
    every(config.SEGMENT_REFRESH_MINUTES, 'segment tag refresh', () => this.refreshAllSegmentTags(), false);
  }

  async refreshAllSegmentTags(): Promise<void> {
    for (const connection of await this.deps.connections.all()) {
      if (isSyncable(connection)) await this.segments.refreshLocalTags(connection.id);
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    await Promise.allSettled([...this.running]);
  }
}
