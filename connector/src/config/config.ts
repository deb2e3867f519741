import {z} from 'zod';
import {weakTokenReason} from '../security/token-strength.js';

/**
 * Every environment variable the connector reads, validated once at start-up. Nothing else in the code reads
 * `process.env`; the parsed `Config` is passed in. Keep the README's configuration table in step with this schema.
 */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

/** A comma-separated list of web origins (`https://shop.example.com`), each without path, query or trailing slash. */
const originList = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const origins = v
      .split(',')
      .map((o) => o.trim().replace(/\/$/, ''))
      .filter((o) => o !== '');
    for (const origin of origins) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin.toLowerCase()) {
        ctx.addIssue({
          code: 'custom',
          message: `"${origin}" is not an origin like https://shop.example.com (scheme, host, optional port; no path)`,
        });
      }
    }
    return origins.map((o) => o.toLowerCase());
  });

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * What this process runs (app/connector.ts): `web` answers HTTP (webhooks, ingest, storefront, operator and
     * merchant APIs) and stores, `worker` processes and sends (inbox, sync worker, backfill runs, schedulers) and
     * serves only /healthz, /readyz and /metrics, `all` both (one process, as `npm start` does by default).
     */
    ROLE: z.enum(['web', 'worker', 'all']).default('all'),
    MAILCHIMP_API_KEY: z
      .string()
      .regex(/^[0-9a-zA-Z]+-[a-z]+[0-9]+$/, 'must look like <key>-<dc>, e.g. 0123abcd-us6')
      .optional(),
    MAILCHIMP_ACCESS_TOKEN: z.string().min(1).optional(),
    MAILCHIMP_DC: z
      .string()
      .regex(/^[a-z]+[0-9]+$/, 'must be a data center such as us6')
      .optional(),
    MAILCHIMP_BASE_URL: z.url().optional(),
    MAILCHIMP_MAX_CONCURRENT: positiveInt.max(10).default(4),
    MAILCHIMP_MAX_ATTEMPTS: positiveInt.max(20).default(6),
    MAILCHIMP_TIMEOUT_MS: positiveInt.default(120_000),
    REDIS_URL: z.url().optional(),
    METRICS_PUBLIC: booleanFromEnv.default(false),
    DATABASE_URL: z
      .string()
      .regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, 'must be sqlite:<path> or postgres://…')
      .default('sqlite:./data/connector.db'),
    /** Postgres only: the schema the connector's tables live in (created if missing), for a database shared with other apps. */
    DATABASE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/i, 'must be a plain SQL identifier (letters, digits, _)')
      .optional(),
    ADMIN_TOKEN: z
      .string()
      .min(24, 'must be at least 24 characters')
      .superRefine((token, ctx) => {
        // A guessable token is refused outright (security/token-strength.ts); too short is already said above.
        const weak = token.length >= 24 ? weakTokenReason(token) : undefined;
        if (weak) ctx.addIssue({code: 'custom', message: weak});
      })
      .optional(),
    ENCRYPTION_KEY: z
      .string()
      .refine(
        (v) => Buffer.from(v, 'base64').length === 32,
        'must be base64 of 32 random bytes (openssl rand -base64 32)',
      )
      .optional(),
    SHOPIFY_SHOP: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'must be a <name>.myshopify.com domain')
      .optional(),
    SHOPIFY_API_SECRET: z.string().min(1).optional(),
    /** The Shopify app's client id (API key): with SHOPIFY_API_SECRET and no SHOPIFY_SHOP, the connector installs shops (multi-shop mode). */
    SHOPIFY_API_KEY: z.string().min(1).optional(),
    /** The access scopes an install asks for (comma-separated); the default is the TOML's list (shopify/app-toml.ts). */
    SHOPIFY_SCOPES: z.string().min(1).optional(),
    /** The Mailchimp app registered for OAuth 2 (`/mailchimp/connect`); without it a merchant pastes an API key. */
    MAILCHIMP_CLIENT_ID: z.string().min(1).optional(),
    MAILCHIMP_CLIENT_SECRET: z.string().min(1).optional(),
    /** Mailchimp's OAuth 2 base: `<url>/authorize`, `<url>/token`, `<url>/metadata` (the sandbox's for tests). */
    MAILCHIMP_OAUTH_URL: z.url().default('https://login.mailchimp.com/oauth2'),
    /** Signs the merchant's session cookie and the OAuth state cookies (multi-shop mode); required in production. */
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -base64 32)').optional(),
    /** How long a merchant's session cookie lasts; re-entering through /shopify/install renews it. */
    SESSION_MINUTES: positiveInt.max(24 * 60).default(60),
    SHOPIFY_ACCESS_TOKEN: z.string().min(1).optional(),
    SHOPIFY_ADMIN_URL: z.url().optional(),
    /**
     * Backfill: a fixed rule overriding the cost estimate (phases with more records than this go through a Shopify
     * bulk operation, smaller ones by page). Unset: each phase is read the way Shopify's query cost makes faster.
     */
    BACKFILL_BULK_THRESHOLD: z.coerce.number().int().min(0).optional(),
    /** Backfill: only orders from the last N days (unset: all orders). */
    BACKFILL_ORDERS_DAYS: positiveInt.optional(),
    /** Backfill: how long a process's claim on a run lasts without a heartbeat; a crashed process's run resumes after. */
    BACKFILL_LEASE_SECONDS: positiveInt.default(60),
    MAILCHIMP_LIST_ID: z.string().min(1).optional(),
    MAILCHIMP_STORE_ID: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,50}$/, 'must be 1-50 letters, digits, - or _')
      .optional(),
    INGEST_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
    STORE_NAME: z.string().min(1).max(100).optional(),
    /** An explicit override of the Mailchimp store's currency; unset, the store takes the shop's own currency. */
    STORE_CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
      .optional(),
    /** How long a new Mailchimp store waits for the shop's currency (no Admin API token, no order yet) before USD. */
    SHOP_CURRENCY_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(5),
    /** How often the start-up checks of the environment's connection run again (app/startup-checks.ts). */
    READINESS_CHECK_SECONDS: positiveInt.max(3600).default(60),
    DOUBLE_OPT_IN: booleanFromEnv.default(false),
    VIP_SPEND: z.coerce.number().positive().default(500),
    LAPSED_AFTER_DAYS: positiveInt.default(180),
    SYNC_POLL_MS: positiveInt.default(250),
    /**
     * How long a sync worker's claim on records lasts without renewal: a crashed process's records are taken over
     * after it. A live worker renews the claims of its in-flight records every third of it (so it need not exceed
     * the Mailchimp timeout); it only has to outlast a late heartbeat.
     */
    SYNC_LEASE_SECONDS: positiveInt.default(10),
    TAG_PREFIX: z.string().max(20).default(''),
    /** The connector's public base URL: Mailchimp posts list-webhook deliveries to <PUBLIC_URL>/webhooks/mailchimp/<token>. */
    PUBLIC_URL: z.url({protocol: /^https?$/}).optional(),
    /** Write address changes confirmed by Mailchimp into the store's customer (its login); off: listed for the operator. */
    MAILCHIMP_EMAIL_CHANGE_WRITE_BACK: booleanFromEnv.default(false),
    /** How often campaign reports and audience stats are pulled from Mailchimp. */
    STATS_REFRESH_MINUTES: positiveInt.default(60),
    /** How often the Mailchimp list webhook is checked (and repaired when missing or switched off). */
    WEBHOOK_CHECK_MINUTES: positiveInt.default(60),
    /** How often the tags of locally computed segment conditions are recomputed and sent. */
    SEGMENT_REFRESH_MINUTES: positiveInt.default(15),
    STOREFRONT_ORIGINS: originList,
    STOREFRONT_RATE_LIMIT_PER_IP: positiveInt.default(20),
    STOREFRONT_RATE_LIMIT_PER_EMAIL: positiveInt.default(5),
    STOREFRONT_RATE_WINDOW_SECONDS: positiveInt.default(600),
    /** HTTP server: a request's headers must arrive within this, the whole request within the next (http-server.ts). */
    HTTP_HEADERS_TIMEOUT_MS: positiveInt.default(15_000),
    HTTP_REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
    /** HTTP server: sockets open at once; more are closed as soon as they are accepted. */
    HTTP_MAX_CONNECTIONS: positiveInt.default(512),
    /** The subscribe form asks for a confirmation e-mail (Mailchimp `pending`) unless set to false explicitly. */
    STOREFRONT_DOUBLE_OPT_IN: booleanFromEnv.default(true),
    /** How long before and after a ticked checkout box a signed order or checkout for the address confirms it. */
    STOREFRONT_CONSENT_CONFIRM_HOURS: positiveInt.max(720).default(24),
  })
  .superRefine((env, ctx) => {
    if (env.MAILCHIMP_ACCESS_TOKEN && !env.MAILCHIMP_DC && !env.MAILCHIMP_BASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAILCHIMP_DC'],
        message: 'is required with MAILCHIMP_ACCESS_TOKEN (or run `npm run connector -- mailchimp-dc` to look it up)',
      });
    }
    if (env.DATABASE_URL.startsWith('postgres') && !env.ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['ENCRYPTION_KEY'],
        message: 'is required with a Postgres DATABASE_URL (every process must share it)',
      });
    }
    if (env.NODE_ENV === 'production' && !env.ENCRYPTION_KEY && !env.DATABASE_URL.startsWith('postgres')) {
      ctx.addIssue({
        code: 'custom',
        path: ['ENCRYPTION_KEY'],
        message:
          'is required in production (a key file generated beside the database would sit in the same backups as the data it protects; openssl rand -base64 32)',
      });
    }
    if (env.NODE_ENV === 'production' && !env.ADMIN_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_TOKEN'],
        message: 'is required in production (it guards every operator endpoint)',
      });
    }
    if (
      (env.MAILCHIMP_API_KEY || env.MAILCHIMP_ACCESS_TOKEN) &&
      (env.SHOPIFY_SHOP || env.INGEST_TOKEN) &&
      !env.MAILCHIMP_LIST_ID
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAILCHIMP_LIST_ID'],
        message: 'is required to connect a shop to a Mailchimp audience',
      });
    }
    if (
      env.PUBLIC_URL &&
      env.NODE_ENV === 'production' &&
      (env.MAILCHIMP_API_KEY || env.MAILCHIMP_ACCESS_TOKEN) &&
      !isHttpsOrLoopback(env.PUBLIC_URL)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message:
          'must be https:// in production (the list webhook URL carries its secret; http is allowed for loopback hosts, in development and test, and in demo mode)',
      });
    }
    if (Boolean(env.SHOPIFY_API_KEY) !== Boolean(env.SHOPIFY_API_SECRET) && !env.SHOPIFY_SHOP) {
      ctx.addIssue({
        code: 'custom',
        path: [env.SHOPIFY_API_KEY ? 'SHOPIFY_API_SECRET' : 'SHOPIFY_API_KEY'],
        message: "is required with the other one to install shops (the Shopify app's client id and secret)",
      });
    }
    if (Boolean(env.MAILCHIMP_CLIENT_ID) !== Boolean(env.MAILCHIMP_CLIENT_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.MAILCHIMP_CLIENT_ID ? 'MAILCHIMP_CLIENT_SECRET' : 'MAILCHIMP_CLIENT_ID'],
        message: "is required with the other one (the Mailchimp OAuth app's client id and secret)",
      });
    }
    if (isMultiShopEnv(env) && env.NODE_ENV === 'production') {
      if (!env.SESSION_SECRET)
        ctx.addIssue({
          code: 'custom',
          path: ['SESSION_SECRET'],
          message: 'is required in production to install shops (it signs the merchant session cookie)',
        });
      if (!env.PUBLIC_URL || !isHttpsOrLoopback(env.PUBLIC_URL))
        ctx.addIssue({
          code: 'custom',
          path: ['PUBLIC_URL'],
          message: 'must be the https:// address Shopify and Mailchimp redirect merchants back to',
        });
    }
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_HEADERS_TIMEOUT_MS'],
        message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
      });
    }
    if (env.ROLE !== 'all' && !env.MAILCHIMP_API_KEY && !env.MAILCHIMP_ACCESS_TOKEN && !isMultiShopEnv(env)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ROLE'],
        message:
          'must be all in demo mode (its Mailchimp sandbox lives in the process): set Mailchimp credentials or the Shopify app to split web and worker processes',
      });
    }
    if (env.MAILCHIMP_API_KEY && env.MAILCHIMP_ACCESS_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAILCHIMP_ACCESS_TOKEN'],
        message: 'set either MAILCHIMP_API_KEY or MAILCHIMP_ACCESS_TOKEN, not both',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

/** An https URL, or an http one on a loopback host (nothing between the two ends can read it). */
function isHttpsOrLoopback(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return true; // not a URL at all: z.url() reports that
  }
  if (parsed.protocol === 'https:') return true;
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

interface MultiShopEnv {
  SHOPIFY_SHOP?: string | undefined;
  SHOPIFY_API_KEY?: string | undefined;
  SHOPIFY_API_SECRET?: string | undefined;
}

function isMultiShopEnv(env: MultiShopEnv): boolean {
  return !env.SHOPIFY_SHOP && Boolean(env.SHOPIFY_API_KEY && env.SHOPIFY_API_SECRET);
}

/**
 * Multi-shop mode: the Shopify app's credentials and no SHOPIFY_SHOP. Merchants install the app
 * (`/shopify/install`) and connect Mailchimp on their shop's page; any number of shops share the deployment.
 */
export function isMultiShopMode(config: Config): boolean {
  return isMultiShopEnv(config);
}

/** Demo mode: no Mailchimp credentials and no Shopify app, so the connector runs against an in-process sandbox. */
export function isDemoMode(config: Config): boolean {
  return !config.MAILCHIMP_API_KEY && !config.MAILCHIMP_ACCESS_TOKEN && !isMultiShopMode(config);
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError with one line per wrong or missing variable. Values never echo back. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new ConfigError(problems);
}
