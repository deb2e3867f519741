import {randomBytes} from 'node:crypto';
import {ConfigError, isDemoMode, isMultiShopMode, loadConfig, type Config} from './config/config.js';
import {createLogger} from './logging/logger.js';
import {createConnector} from './app/connector.js';
import {httpServerLimits, startHttpServer} from './http/http-server.js';
import {isAddressInUse, portInUseMessage, portIsFree} from './http/port-check.js';
import {mailchimpCredentialsFromConfig, upsertEnvConnection} from './app/env-connection.js';
import {checkedEnvConnection, NO_SHOP_CONFIGURED} from './app/startup-checks.js';
import {demoDatabaseUrl, resetDemoDatabase} from './app/demo-database.js';
import {missingDatabaseDirectory, missingDatabaseDirectoryMessage} from './store/database-location.js';
import {resolveSecretBox} from './security/encryption-key.js';
import type {MailchimpCredentials} from './store/connections-repository.js';

const DEMO_SHOP = 'demo-shop.myshopify.com';
/** Demo mode's second shop: a Shopify stand-in installed through the app's own OAuth flows ("Install a demo shop"). */
const DEMO_INSTALL_SHOP = 'install-demo.myshopify.com';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // An explicit SQLite path in a directory that does not exist is a mistake, not a new empty database.
  const missingDirectory = missingDatabaseDirectory(config.DATABASE_URL);
  if (missingDirectory !== undefined) {
    process.stderr.write(`${missingDatabaseDirectoryMessage(missingDirectory)}\n`);
    process.exit(2);
  }
  if (!(await portIsFree(config.PORT, config.HOST))) {
    process.stderr.write(`${portInUseMessage(config.PORT, config.HOST)}\n`);
    process.exit(2);
  }
  const logger = createLogger({level: config.LOG_LEVEL, pretty: process.stdout.isTTY});
  const demo = isDemoMode(config);
  if (!demo && !config.ADMIN_TOKEN) {
    process.stderr.write(
      'Invalid configuration:\n  - ADMIN_TOKEN: is required outside demo mode (it guards every operator endpoint)\n',
    );
    process.exit(2);
  }
  // Demo mode starts from an empty database of its own, as its sandbox starts empty (app/demo-database.ts).
  if (demo) {
    config = {...config, DATABASE_URL: demoDatabaseUrl(config.DATABASE_URL)};
    resetDemoDatabase(config.DATABASE_URL);
  }
  const {box, generatedAt} = resolveSecretBox(config.ENCRYPTION_KEY, config.DATABASE_URL);
  if (generatedAt)
    logger.warn(
      {path: generatedAt},
      'generated an encryption key for stored credentials; keep this file with the database (or set ENCRYPTION_KEY)',
    );

  const printed: string[] = [];
  let mailchimp: MailchimpCredentials | undefined = mailchimpCredentialsFromConfig(config);
  let listId = config.MAILCHIMP_LIST_ID;
  let stopSandbox: (() => Promise<void>) | undefined;
  let demoCampaignId: string | undefined;
  // Demo mode also runs the install flow end to end: a Shopify stand-in (auto-approve) for the app generated here,
  // and the Mailchimp sandbox's OAuth client, so "Install a demo shop" goes through both OAuth flows.
  let appConfig: Partial<Config> = {};
  let shopifyAdminUrl: ((shop: string) => string | undefined) | undefined;
  let stopShopifyStandIn: (() => Promise<void>) | undefined;
  const demoApp = {
    apiKey: `demo-app-${randomBytes(6).toString('hex')}`,
    apiSecret: randomBytes(16).toString('hex'),
    mailchimpClientId: `demo-client-${randomBytes(6).toString('hex')}`,
    mailchimpClientSecret: randomBytes(16).toString('hex'),
  };
  if (demo) {
    // Loaded only in demo mode: production never carries the sandbox.
    const {createMailchimpSandbox} = await import('../../sandbox/mailchimp/index.js');
    const {createListRecord} = await import('../../sandbox/mailchimp/core/lists.js');
    const {createCampaign} = await import('../../sandbox/mailchimp/modules/campaigns/campaign-store.js');
    const {startShopifySandbox} = await import('../../sandbox/shopify/index.js');
    const sandbox = createMailchimpSandbox({
      oauthClients: [{clientId: demoApp.mailchimpClientId, clientSecret: demoApp.mailchimpClientSecret}],
      oauthAutoApprove: true,
    });
    const baseUrl = await sandbox.listen(0);
    stopSandbox = () => sandbox.close();
    const standIn = await startShopifySandbox({
      seed: 7,
      shopDomain: DEMO_INSTALL_SHOP,
      products: 12,
      customers: 40,
      orders: 60,
      apiKey: demoApp.apiKey,
      apiSecret: demoApp.apiSecret,
      autoApprove: true,
    });
    stopShopifyStandIn = () => standIn.close();
    shopifyAdminUrl = (shop) => (shop === DEMO_INSTALL_SHOP ? standIn.adminUrl : undefined);
    appConfig = {
      SHOPIFY_API_KEY: demoApp.apiKey,
      MAILCHIMP_CLIENT_ID: demoApp.mailchimpClientId,
      MAILCHIMP_CLIENT_SECRET: demoApp.mailchimpClientSecret,
      MAILCHIMP_OAUTH_URL: `${sandbox.origin()}/oauth2`,
    };
    printed.push(`Shopify stand-in for "Install a demo shop": ${standIn.adminUrl} (${DEMO_INSTALL_SHOP})`);
    const list = createListRecord(sandbox.state, {name: 'Demo audience', double_optin: config.DOUBLE_OPT_IN});
    mailchimp = {kind: 'api_key', apiKey: sandbox.apiKey, baseUrl};
    listId = list.id;
    // A campaign of the demo audience, so that the demo storefront's landing link attributes orders to it.
    demoCampaignId = createCampaign(sandbox.state, {
      type: 'regular',
      recipients: {list_id: list.id},
      settings: {title: 'Demo campaign', subject_line: 'Winter beanies'},
      extra: {},
    }).id;
    logger.warn(
      {sandbox: baseUrl, database: config.DATABASE_URL},
      'DEMO MODE: no Mailchimp credentials set, so everything goes to an in-process Mailchimp sandbox (sandbox and demo database start empty at each start)',
    );
    printed.push(`Mailchimp sandbox: ${baseUrl} (controls at ${sandbox.origin()}/__sandbox/)`);
  }
  const adminToken = config.ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
  if (!config.ADMIN_TOKEN) printed.push(`Admin token (generated for this run): ${adminToken}`);
  const shopDomain = config.SHOPIFY_SHOP ?? (demo ? DEMO_SHOP : undefined);
  // In demo mode the generated app secret also signs the demo shop's webhooks (one app, two shops).
  const shopifyApiSecret = config.SHOPIFY_API_SECRET ?? (demo ? demoApp.apiSecret : undefined);
  const ingestToken = config.INGEST_TOKEN ?? (demo ? randomBytes(24).toString('base64url') : undefined);
  // Demo mode serves a demo storefront at /demo, whose checkout is a client of the generic ingest.
  const demoStorefront =
    demo && shopDomain && ingestToken && mailchimp?.kind === 'api_key' && mailchimp.baseUrl
      ? {
          shopDomain,
          ingestToken,
          mailchimp: {baseUrl: mailchimp.baseUrl, apiKey: mailchimp.apiKey},
          installShop: DEMO_INSTALL_SHOP,
        }
      : undefined;
  const connector = await createConnector({
    config: {...config, ...appConfig, SHOPIFY_API_SECRET: shopifyApiSecret, ADMIN_TOKEN: adminToken},
    logger,
    box,
    demo: demoStorefront,
    shopifyAdminUrl,
  });
  if (config.ROLE !== 'all') {
    // Web and worker processes are separate (app/connector.ts processRole): they meet in the database and in Redis.
    if (!config.DATABASE_URL.startsWith('postgres'))
      logger.warn(
        {role: config.ROLE},
        'ROLE splits web and worker processes over a SQLite file: they must share the file on one machine; use Postgres to run them apart',
      );
    if (!config.REDIS_URL)
      logger.warn(
        {role: config.ROLE},
        'ROLE is set without REDIS_URL: each process keeps its own MAILCHIMP_MAX_CONCURRENT budget; set REDIS_URL to share one',
      );
  }
  if (isMultiShopMode(config)) {
    logger.info(
      {publicUrl: config.PUBLIC_URL},
      'multi-shop mode: merchants install the app at <PUBLIC_URL>/shopify/install?shop=<shop>.myshopify.com',
    );
    if (!config.PUBLIC_URL)
      logger.warn('PUBLIC_URL is not set: Shopify and Mailchimp cannot redirect merchants back to this connector');
  } else if (mailchimp && !shopDomain && !config.INGEST_TOKEN) {
    // One line, in the log and in /readyz: the connector runs, but with no connection nothing will ever sync.
    connector.readiness.unconfigured(NO_SHOP_CONFIGURED);
    logger.warn(NO_SHOP_CONFIGURED);
  }

  if (mailchimp && listId && (shopDomain || config.INGEST_TOKEN)) {
    // Mailchimp refused the environment's credentials before (401, reconnect needed): the fixed MAILCHIMP_API_KEY or
    // MAILCHIMP_ACCESS_TOKEN of this start marks it connected again (upsert), and its kept queue is sent at once.
    const before = await connector.connections.byShopDomain(shopDomain ?? 'custom-store');
    const connection = await upsertEnvConnection(
      connector.connections,
      config,
      {shopDomain: shopDomain ?? 'custom-store', mailchimp, listId, shopifyApiSecret, ingestToken},
      new Date(),
    );
    // "connection ready" is logged once the start-up checks pass (app/startup-checks.ts); until then /readyz says why not.
    connector.readiness.watch(checkedEnvConnection(config, connection, listId));
    if (before?.mailchimpStatus === 'reconnect_needed')
      await connector.syncState.resumeConnection(connection.id, new Date().toISOString());
    if (demo) {
      printed.push(`Demo shop: ${connection.shopDomain}; Shopify webhook secret: ${shopifyApiSecret}`);
      printed.push(`Generic ingest token: ${ingestToken}`);
    }
  }

  // Header and request timeouts and a connection cap (http/http-server.ts), so slow clients cannot pile up.
  const server = await startHttpServer(connector.app, {
    port: config.PORT,
    host: config.HOST,
    limits: httpServerLimits(config),
  }).catch(async (err: unknown) => {
    if (!isAddressInUse(err)) throw err;
    // Taken between the check at start-up and now.
    process.stderr.write(`${portInUseMessage(config.PORT, config.HOST)}\n`);
    await connector.stop().catch(() => undefined);
    process.exit(2);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  // The in-process sandbox reaches the connector locally: demo mode registers the list webhook at this address.
  if ((demo || isMultiShopMode(config)) && !config.PUBLIC_URL)
    connector.setPublicUrl(`http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`);
  connector.start();
  logger.info(
    {url: `http://${config.HOST}:${port}`, role: config.ROLE},
    `connector listening; health at http://${config.HOST}:${port}/healthz`,
  );
  // Demo secrets go to the terminal only, never through the logger (whose output may be shipped elsewhere).
  if (demoStorefront) {
    const landing = `http://${config.HOST}:${port}/demo${demoCampaignId ? `?mc_cid=${demoCampaignId}&utm_source=mailchimp&utm_medium=email` : ''}`;
    printed.push(`Demo storefront: ${landing} (subscribe form, pop-up, checkout with the opt-in checkbox)`);
    printed.push(
      `Install a demo shop (Shopify app install and Mailchimp OAuth, both auto-approved): http://${config.HOST}:${port}/shopify/install?shop=${DEMO_INSTALL_SHOP}`,
    );
  }
  // The operator page opens with the token in the URL fragment (never sent to a server) when it was generated here.
  // A worker serves no pages (ROLE=worker).
  if (config.ROLE !== 'worker')
    printed.push(
      `Operator page: http://${config.HOST}:${port}/operator${config.ADMIN_TOKEN ? '' : `#token=${adminToken}`}`,
    );
  if (printed.length > 0) process.stdout.write(`\n${printed.map((line) => `  ${line}`).join('\n')}\n\n`);

  const shutdown = (signal: string) => {
    logger.info({signal}, 'shutting down');
    server.close();
    void connector
      .stop()
      .then(() => stopSandbox?.())
      .then(() => stopShopifyStandIn?.())
      .finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `connector failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
