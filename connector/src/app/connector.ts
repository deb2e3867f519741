import express, {type Express} from 'express';
import type {Config} from '../config/config.js';
import {createApp} from '../http/app.js';
import {requireAdminToken} from '../http/admin-auth.js';
import {noStore} from '../http/no-store.js';
import {staticPageRouter} from '../http/static-page.js';
import {join} from 'node:path';
import {operatorRouter} from '../operator/operator-routes.js';
import {problem, sendProblem} from '../http/problem.js';
import {eventsRouter} from '../ingest/events-routes.js';
import {inboxMappers} from '../ingest/inbox-mappers.js';
import {shopifyWebhookRouter} from '../ingest/shopify-webhook-routes.js';
import {ShopifyWebhookVerifier} from '../ingest/shopify-webhook-verifier.js';
import type {Logger} from '../logging/logger.js';
import {AccountLimiters} from '../mailchimp/account-limiters.js';
import {ConnectorMetrics} from '../observability/metrics.js';
import type {SecretBox} from '../security/secret-box.js';
import {TombstoneKey} from '../security/tombstone-key.js';
import {ConnectionsRepository} from '../store/connections-repository.js';
import {ConnectionCache} from '../store/connection-cache.js';
import {openStore, ping, type Store} from '../store/database.js';
import {InboxRepository} from '../store/inbox-repository.js';
import {SyncStateRepository} from '../store/sync-state-repository.js';
import {InboxProcessor} from '../sync/inbox-processor.js';
import {entityProcessors, SyncContext} from '../sync/processors/index.js';
import type {CredentialsRefusal} from '../sync/processors/sync-context.js';
import {SyncWorker, type EntityProcessor} from '../sync/sync-worker.js';
import {dependencyTier} from '../sync/entity-types.js';
import {expireCheckoutConsents} from '../storefront/checkout-consent.js';
import {tagRulesFor} from '../sync/tag-settings.js';
import {refreshLapsedMembers} from '../sync/lapsed-job.js';
import {demoRouter, type DemoStorefrontOptions} from '../storefront/demo/demo-routes.js';
import {OriginPolicy} from '../storefront/storefront-origins.js';
import {storefrontRouter} from '../storefront/storefront-routes.js';
import {WidgetBundler} from '../storefront/widget-bundle.js';
import {widgetRouter} from '../storefront/widget-routes.js';
import {PRODUCT_VERSION} from '../version.js';
import {BackfillService} from '../backfill/backfill-service.js';
import {backfillRouter} from '../backfill/backfill-routes.js';
import type {BackfillSource} from '../backfill/backfill-source.js';
import {ShopifyBackfillSource} from '../backfill/shopify-backfill-source.js';
import {SHOP_CURRENCY} from '../shopify-admin/index.js';
import {shopMoneyCurrencyOf} from '../sync/store-currency.js';
import type {BatchRunnerOptions} from '../mailchimp/batch/batch-runner.js';
import type {MemberProcessor} from '../sync/processors/member-processor.js';
import {isSyncable, type Connection} from '../store/connections-repository.js';
import {ENTITY} from '../sync/entity-types.js';
import {CampaignFeatures} from './campaign-features.js';
import {InstallFeatures} from './install-features.js';
import {Readiness} from './startup-checks.js';
import {readinessCheckRouter, readyzRouter} from './readiness-routes.js';
import {writeBackProcessors} from '../write-back/shopify-write-back-processors.js';
import {emailChangesRouter} from '../write-back/email-changes-routes.js';
import {MailchimpConfirmProcessor} from '../mailchimp-webhooks/confirm-processor.js';
import {MAILCHIMP_CONFIRM_ENTITY} from '../mailchimp-webhooks/mailchimp-confirmation.js';

const FRONT_PAGE_DIR = join(process.cwd(), 'connector', 'src', 'http', 'front-page');

export interface ConnectorDeps {
  config: Config;
  logger: Logger;
  box: SecretBox;
  /** Test hooks: a clock, and the worker's retry timing. */
  now?: () => Date;
  worker?: {retryBaseMs?: number; retryCapMs?: number; maxAttempts?: number};
  mailchimpRetry?: {baseDelayMs?: number; maxDelayMs?: number; maxAttempts?: number; rateLimitPauseMs?: number};
  /** Serve the demo storefront at `/demo` for this shop (demo mode, tests); its own origin may call the storefront endpoints. */
  demo?: DemoStorefrontOptions;
  /** The backfill's platform reader per connection (defaults to the Shopify Admin API with SHOPIFY_ACCESS_TOKEN). */
  backfillSource?: (connection: Connection) => BackfillSource | undefined | Promise<BackfillSource | undefined>;
  /** Test hook: each shop's stand-in Admin API base (default: SHOPIFY_ADMIN_URL for every shop). */
  shopifyAdminUrl?: (shop: string) => string | undefined;
  /** Backfill tuning (tests): batch polling, sender pacing, Shopify bulk polling. */
  backfill?: {
    runner?: BatchRunnerOptions;
    chunkSize?: number;
    idleMs?: number;
    leaseMs?: number;
    shopifyPollMs?: number;
  };
}

export interface Connector {
  app: Express;
  store: Store;
  connections: ConnectionsRepository;
  inbox: InboxRepository;
  syncState: SyncStateRepository;
  processor: InboxProcessor;
  worker: SyncWorker;
  metrics: ConnectorMetrics;
  limiters: AccountLimiters;
  backfill: BackfillService;
  /** Segments, promo sends, statistics and the Mailchimp list webhook (campaign-features.ts). */
  campaigns: CampaignFeatures;
  /** The Shopify app install, Mailchimp connect and the merchant's page (install-features.ts). */
  install: InstallFeatures;
  /** The start-up checks of the environment's connection, behind /readyz (startup-checks.ts; main.ts watches). */
  readiness: Readiness;
  /** The public base URL when known only after listening (demo mode, tests): list webhook and OAuth redirects. */
  setPublicUrl(url: string): void;
  /**
   * Starts what config.ROLE runs here: `all` and `worker` the background processing (inbox, sync worker, backfill
   * runs, the schedulers), `web` nothing but the storefront widget's bundle (see processRole).
   */
  start(): void;
  /** Recomputes members whose `lapsed` tag is due; returns how many (the hourly job; exposed for tests and CLI). */
  refreshLapsed(): Promise<number>;
  /**
   * Projects everything in the inbox and sends everything pending, waiting out back-offs; resolves when nothing is
   * left for active connections (dead letters are left). For tests and the CLI.
   */
  settle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What a process of each ROLE does (config.ts ROLE). Every role builds the same parts over the same database, and
 * every Mailchimp call any of them makes (a web process's promo sends and merchant pages included) goes through the
 * account's Bottleneck limiter, shared across processes with REDIS_URL.
 * - `web`: answers HTTP (Shopify and Mailchimp webhooks, the generic ingest, storefront, operator and merchant APIs,
 *   demo pages) and stores what it accepts; it processes and sends nothing itself. What it starts for a worker is
 *   left in the database: inbox events (workers poll for them every SYNC_POLL_MS), sync records, and backfill runs
 *   created without an owner (workers look for unowned runs every second).
 * - `worker`: the inbox processor, the sync worker, backfill runs and the schedulers (lapsed buyers, checkout-consent
 *   expiry, campaign statistics and list-webhook checks, Shopify webhook subscription checks); on PORT it serves only
 *   /healthz, /readyz and /metrics (404 for the rest), for the orchestrator and Prometheus.
 * - `all`: both, in one process (`npm start`).
 */
export function processRole(role: Config['ROLE']): {web: boolean; work: boolean} {
  return {web: role !== 'worker', work: role !== 'web'};
}

/** How often a working process looks for backfill runs left without an owner (created by a web process). */
const BACKFILL_PICKUP_MS = 1_000;

/** The composition root: every part of the connector built once, from the validated config. */
export async function createConnector(deps: ConnectorDeps): Promise<Connector> {
  const {config, logger} = deps;
  const role = processRole(config.ROLE);
  const now = deps.now ?? (() => new Date());
  const store = await openStore({url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA});
  const connections = new ConnectionsRepository(store.db, deps.box);
  // The request paths' view of connections and secrets (nothing read or opened per request; connection-cache.ts).
  const cachedConnections = new ConnectionCache(connections);
  // Concurrent requests' events are committed together (group commit), each answered after its commit.
  const inbox = new InboxRepository(store.db, {groupCommit: true});
  const syncState = new SyncStateRepository(store.db, store.engine);
  const metrics = new ConnectorMetrics();
  const limiters = new AccountLimiters({
    maxConcurrent: config.MAILCHIMP_MAX_CONCURRENT,
    redisUrl: config.REDIS_URL,
    logger,
  });

  // The front door (install/): also the source of every Shopify access token (refreshed when it expires).
  const install = new InstallFeatures({
    config,
    connections,
    box: deps.box,
    logger,
    now,
    shopifyAdminUrl: deps.shopifyAdminUrl,
  });
  const shopifyAdmin = install.admin;
  const syncContext = new SyncContext({
    db: store.db,
    connections,
    limiters,
    logger: logger.child({module: 'sync'}),
    timeoutMs: config.MAILCHIMP_TIMEOUT_MS,
    retry: {maxAttempts: config.MAILCHIMP_MAX_ATTEMPTS, ...deps.mailchimpRetry},
    now,
    // The Mailchimp store takes the shop's currency: asked from the Admin API first when there is a token.
    shopCurrencyLookup: async (connection) => {
      const client = await shopifyAdmin.clientFor(connection.id);
      return client && (await client.query(SHOP_CURRENCY, {})).shop.currencyCode;
    },
    shopCurrencyWaitMs: config.SHOP_CURRENCY_WAIT_SECONDS * 1000,
    onCall: (call) => {
      backfill.noteMailchimpCall();
      metrics.mailchimpCalls.inc({
        method: call.method,
        route: call.route,
        status: String(call.status ?? call.errorCode ?? 'error'),
      });
      metrics.mailchimpCallSeconds.observe({method: call.method, route: call.route}, call.durationMs / 1000);
    },
    // A 401 from Mailchimp: the connection waits for a reconnect, its queue kept (sync-worker.ts credentialsRefused).
    onCredentialsRefused: (refusal) => markReconnectNeeded(connections, refusal, now, logger),
  });
  // The backfill reads a Shopify shop through the Admin API when the connection has an access token.
  const shopifyBackfillSource = async (connection: Connection): Promise<BackfillSource | undefined> => {
    // A client of the run's own: its cost tracker and stats are the run's.
    const client = await shopifyAdmin.newClientFor(connection.id, logger.child({module: 'shopify-admin'}));
    if (!client) return undefined;
    return new ShopifyBackfillSource(client, {
      shopDomain: connection.shopDomain,
      // Product prices are in the shop's currency (asked from the Admin API if not known yet).
      currency: shopMoneyCurrencyOf(await syncContext.withShopCurrency(connection)),
      bulkThreshold: config.BACKFILL_BULK_THRESHOLD,
      pollIntervalMs: deps.backfill?.shopifyPollMs,
      logger: logger.child({module: 'backfill-source'}),
    });
  };
  const processors: Record<string, EntityProcessor> = {
    ...entityProcessors(syncContext, (settings) => tagRulesFor(settings, config)),
    // Mailchimp changes written back to the store's Admin API (write-back/).
    ...writeBackProcessors(shopifyAdmin, logger.child({module: 'write-back'})),
    // List-webhook deliveries are hints: applied only as far as Mailchimp confirms them (mailchimp-confirmation.ts).
    [MAILCHIMP_CONFIRM_ENTITY]: new MailchimpConfirmProcessor({
      store,
      targets: syncContext,
      logger: logger.child({module: 'mailchimp-webhooks'}),
      now,
      emailChangeWriteBack: config.MAILCHIMP_EMAIL_CHANGE_WRITE_BACK,
    }),
  };
  const backfill = new BackfillService({
    store,
    syncState,
    ctx: syncContext,
    members: processors[ENTITY.member] as MemberProcessor,
    logger: logger.child({module: 'backfill'}),
    sourceFor: deps.backfillSource ?? shopifyBackfillSource,
    defaultOrdersDays: config.BACKFILL_ORDERS_DAYS,
    leaseMs: config.BACKFILL_LEASE_SECONDS * 1000,
    // A web process creates runs and leaves them to a worker (BACKFILL_PICKUP_MS).
    driveRuns: role.work,
    now,
    ...deps.backfill,
    onProgress: (run) => metrics.observeBackfill(run),
  });
  const worker = new SyncWorker({
    store,
    logger: logger.child({module: 'worker'}),
    processors,
    metrics,
    batchSize: config.MAILCHIMP_MAX_CONCURRENT * 8,
    pollMs: config.SYNC_POLL_MS,
    leaseMs: config.SYNC_LEASE_SECONDS * 1000,
    now,
    ...deps.worker,
    dependencyTier,
    // Records of a shop whose Mailchimp is not (or no longer) connected, or with no audience yet, wait (kept).
    isConnectionActive: async (id) => {
      const connection = await connections.byId(id);
      return connection !== undefined && isSyncable(connection);
    },
    credentialsRefused: (id) => syncContext.clients.refusalSettled(id),
  });
  const processor = new InboxProcessor({
    store,
    logger: logger.child({module: 'inbox'}),
    mappers: inboxMappers,
    shopOf: async (id) => {
      const connection = await connections.byId(id);
      return connection && {shopDomain: connection.shopDomain, currency: shopMoneyCurrencyOf(connection)};
    },
    now,
    onProjected: () => worker.wake(),
    // GDPR redaction tombstones are keyed by a key derived from ENCRYPTION_KEY (security/tombstone-key.ts).
    tombstones: TombstoneKey.fromBox(deps.box),
    box: deps.box,
  });
  // A web process wakes nothing: workers poll the database for what it stored.
  const wake = () => {
    if (role.work) void processor.drain().catch((err: unknown) => logger.error({err}, 'inbox processing failed'));
  };
  const wakeWorker = () => {
    if (role.work) worker.wake();
  };
  const campaigns = new CampaignFeatures({
    config,
    store,
    connections,
    inbox,
    syncContext,
    box: deps.box,
    shopifyAdmin,
    logger,
    now,
  });

  install.useMerchantDeps(
    {backfill, syncContext, shopifyAdmin, syncState, wake: wakeWorker},
    // Mailchimp (re)connected: the next call uses the new credentials, and the queue kept meanwhile drains now.
    async (connectionId) => {
      syncContext.clients.forget(connectionId);
      await syncState.resumeConnection(connectionId, now().toISOString());
      wakeWorker();
    },
  );

  // Mailchimp checks go through the sync's own clients (the account limiter, the 401 handling).
  const readiness = new Readiness({
    ports: {
      mailchimp: async (id) => (await syncContext.target(id)).client,
      shopify: (id) => shopifyAdmin.clientFor(id),
    },
    logger: logger.child({module: 'startup-checks'}),
    intervalMs: config.READINESS_CHECK_SECONDS * 1000,
  });
  const readinessDeps = {readiness, pingDatabase: () => ping(store.db), engine: store.engine};

  const widget = new WidgetBundler();
  const app = createApp({logger, version: PRODUCT_VERSION}, (root) => {
    root.use(readyzRouter(readinessDeps));
    // A worker serves /healthz, /readyz and /metrics only (processRole).
    if (!role.web)
      root.use((req, res, next) =>
        req.path === '/metrics'
          ? next()
          : sendProblem(
              res,
              problem(
                404,
                'not-found',
                'Not Found',
                `No route for ${req.method} ${req.path} on a worker (ROLE=worker).`,
                {
                  instance: req.path,
                },
              ),
            ),
      );
    const accepted = (source: string) => () => {
      metrics.webhooks.inc({source, duplicate: 'false'});
      wake();
    };
    root.use(
      shopifyWebhookRouter({
        connections: cachedConnections,
        inbox,
        verifier: new ShopifyWebhookVerifier(),
        logger: logger.child({module: 'webhooks'}),
        onAccepted: accepted('shopify'),
        now,
        onRefused: (topic, reason) => metrics.webhooksRefused.inc({topic, reason}),
      }),
    );
    root.use(eventsRouter({connections: cachedConnections, inbox, onAccepted: accepted('ingest'), now}));
    root.use(widgetRouter(widget));
    root.use(
      storefrontRouter({
        db: store.db,
        connections: cachedConnections,
        origins: new OriginPolicy({connections, demoShop: deps.demo?.shopDomain, now}),
        limits: {
          perIp: config.STOREFRONT_RATE_LIMIT_PER_IP,
          perEmail: config.STOREFRONT_RATE_LIMIT_PER_EMAIL,
          windowMs: config.STOREFRONT_RATE_WINDOW_SECONDS * 1000,
        },
        logger: logger.child({module: 'storefront'}),
        now,
        onAccepted: accepted('storefront'),
        confirmWindowMs: config.STOREFRONT_CONSENT_CONFIRM_HOURS * 3_600_000,
      }),
    );
    root.use(campaigns.publicRouter(accepted('mailchimp')));
    if (deps.demo) root.use(demoRouter({demo: deps.demo, connections, now}));
    root.use(install.router());
    // `/`: what this is and where to go (http/front-page/).
    root.use(
      staticPageRouter({
        '/': {file: join(FRONT_PAGE_DIR, 'index.html'), type: 'text/html; charset=utf-8'},
        '/front.css': {file: join(FRONT_PAGE_DIR, 'front.css'), type: 'text/css; charset=utf-8'},
      }),
    );
    // Browsers ask for it on every page; nothing to show (204) rather than a 404 in the console.
    root.get('/favicon.ico', (_req, res) => {
      res.status(204).set('Cache-Control', 'public, max-age=86400').end();
    });

    const admin = config.ADMIN_TOKEN ? requireAdminToken(config.ADMIN_TOKEN) : undefined;
    const guarded = express.Router();
    // Only operator paths (`/v1/...`, `/metrics`) ask for the admin token: any other unknown path falls through to
    // the 404 problem+json instead of a 401 that would suggest it exists behind the token.
    guarded.use((req, _res, next) =>
      next(req.path.startsWith('/v1/') || req.path === '/metrics' ? undefined : 'router'),
    );
    guarded.use(noStore);
    if (admin) guarded.use(admin);
    else
      guarded.use((req, res) =>
        sendProblem(
          res,
          problem(503, 'admin-disabled', 'Service Unavailable', 'Set ADMIN_TOKEN to use operator endpoints.', {
            instance: req.path,
          }),
        ),
      );

    const metricsHandler: express.RequestHandler = async (_req, res, next) => {
      try {
        await refreshQueueGauges(metrics, syncState, inbox, connections);
        res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      } catch (err) {
        next(err);
      }
    };
    if (config.METRICS_PUBLIC) root.get('/metrics', metricsHandler);
    else guarded.get('/metrics', metricsHandler);
    guarded.use(backfillRouter({backfill, connections}));
    guarded.use(campaigns.operatorRouter());
    guarded.use(emailChangesRouter({db: store.db}));
    guarded.use(readinessCheckRouter(readinessDeps));
    guarded.use(
      operatorRouter({
        db: store.db,
        engine: store.engine,
        connections,
        now,
        wake: () => {
          wake();
          worker.wake();
        },
      }),
    );
    root.use(guarded);
  });

  const refreshLapsed = () =>
    refreshLapsedMembers({
      store,
      now,
      lapsedAfterDays: async (id) => (await connections.byId(id))?.settings.lapsedAfterDays ?? config.LAPSED_AFTER_DAYS,
    });
  let lapsedTimer: NodeJS.Timeout | undefined;
  let resumeTimer: NodeJS.Timeout | undefined;
  let inboxTimer: NodeJS.Timeout | undefined;
  let checkoutConsentTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  return {
    refreshLapsed,
    app,
    store,
    connections,
    inbox,
    syncState,
    processor,
    worker,
    metrics,
    limiters,
    backfill,
    campaigns,
    install,
    readiness,
    setPublicUrl(url) {
      campaigns.setPublicUrl(url);
      install.setPublicUrl(url);
    },
    start() {
      // Bundle the storefront widget now rather than on the first storefront visit.
      if (role.web) void widget.get().catch((err: unknown) => logger.error({err}, 'storefront widget build failed'));
      if (!role.work) return;
      worker.start();
      wake();
      // Events another process stored (a web process; any process behind the same load balancer) are found here.
      inboxTimer = setInterval(wake, config.SYNC_POLL_MS);
      inboxTimer.unref();
      // A backfill whose process died (kill -9, crash) continues where its last stored chunk stopped, once its lease
      // has lapsed, and a run a web process created (no owner) starts: looked for every second.
      const resume = () =>
        void backfill.resumeAbandoned().catch((err: unknown) => logger.error({err}, 'resuming backfill runs failed'));
      resume();
      resumeTimer = setInterval(resume, Math.min(BACKFILL_PICKUP_MS, (config.BACKFILL_LEASE_SECONDS * 1000) / 2));
      resumeTimer.unref();
      const checkLapsed = () =>
        void refreshLapsed()
          .then((n) => (n > 0 ? worker.wake() : undefined))
          .catch((err: unknown) => logger.error({err}, 'lapsed-buyer check failed'));
      checkLapsed();
      lapsedTimer = setInterval(checkLapsed, 60 * 60_000);
      lapsedTimer.unref();
      // Ticked checkout boxes that no signed order confirmed in time are marked expired (storefront/checkout-consent.ts).
      const expireCheckoutBoxes = () =>
        void expireCheckoutConsents(store.db, now(), config.STOREFRONT_CONSENT_CONFIRM_HOURS * 3_600_000).catch(
          (err: unknown) => logger.error({err}, 'expiring checkout consents failed'),
        );
      expireCheckoutBoxes();
      checkoutConsentTimer = setInterval(expireCheckoutBoxes, 10 * 60_000);
      checkoutConsentTimer.unref();
      campaigns.start();
      install.start();
    },
    async settle(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await processor.drain();
        await worker.drain();
        const next = await syncState.nextDueForActiveConnections();
        if (next === undefined) return;
        if (Date.now() > deadline) throw new Error(`sync did not settle within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, Math.max(5, Date.parse(next) - Date.now()))));
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      readiness.stop();
      if (lapsedTimer) clearInterval(lapsedTimer);
      if (resumeTimer) clearInterval(resumeTimer);
      if (inboxTimer) clearInterval(inboxTimer);
      if (checkoutConsentTimer) clearInterval(checkoutConsentTimer);
      await install.stop();
      await campaigns.stop();
      await backfill.stop();
      await worker.stop();
      if (role.work) await processor.drain().catch(() => undefined);
      // Requests whose events are queued for the next group commit get their answer before the database closes.
      await inbox.settled();
      await limiters.close();
      await store.close();
    },
  };
}

async function refreshQueueGauges(
  metrics: ConnectorMetrics,
  syncState: SyncStateRepository,
  inbox: InboxRepository,
  connections: ConnectionsRepository,
): Promise<void> {
  metrics.queueDepth.reset();
  for (const {entity_type, status, n} of await syncState.countsByTypeAndStatus()) {
    if (status !== 'synced') metrics.queueDepth.set({entity_type, status}, n);
  }
  metrics.inboxDepth.set((await inbox.countByStatus()).pending ?? 0);
  metrics.mailchimpReconnectNeeded.reset();
  for (const connection of await connections.all()) {
    metrics.mailchimpReconnectNeeded.set(
      {connection: connection.id, shop: connection.shopDomain},
      connection.mailchimpStatus === 'reconnect_needed' ? 1 : 0,
    );
  }
}

/**
 * Mailchimp refused a connection's credentials (401: the merchant removed the app, the key was disabled): the
 * connection becomes reconnect needed, for those credentials only (a reconnect stored meanwhile is not undone), and
 * one warning is logged. An app-installed shop reconnects on its page; an environment-configured one needs a working
 * MAILCHIMP_API_KEY (or MAILCHIMP_ACCESS_TOKEN) and a restart (upsertEnvConnection marks it connected again).
 */
async function markReconnectNeeded(
  connections: ConnectionsRepository,
  refusal: CredentialsRefusal,
  now: () => Date,
  logger: Logger,
): Promise<void> {
  const connection = await connections.byId(refusal.connectionId);
  if (!connection) return;
  const fix =
    connection.installSource === 'env'
      ? 'Set a working MAILCHIMP_API_KEY (or MAILCHIMP_ACCESS_TOKEN) and restart the connector.'
      : "Reconnect Mailchimp on the shop's page.";
  const detail = `Mailchimp answered 401 Unauthorized to ${refusal.method} ${refusal.route}: the access was revoked or the credentials are invalid. ${fix}`;
  const changed = await connections.markMailchimpReconnectNeeded(
    connection.id,
    refusal.accountKey,
    detail,
    now().toISOString(),
  );
  if (changed)
    logger.warn(
      {connectionId: connection.id, shop: connection.shopDomain, account: refusal.accountKey, route: refusal.route},
      'Mailchimp refused the credentials (401): the connection needs a reconnect; its sync waits, nothing is dropped',
    );
}
