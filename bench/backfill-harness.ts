import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createListRecord} from '../sandbox/mailchimp/core/lists.js';
import {createMailchimpSandbox} from '../sandbox/mailchimp/index.js';
import {startShopifySandbox, type ShopifySandbox, type ShopifySandboxOptions} from '../sandbox/shopify/index.js';
import {SecretBox} from '../connector/src/security/secret-box.js';
import {freePort} from '../test/support/free-port.js';

/**
 * A backfill bench's world: the Mailchimp sandbox (with latency), the Shopify Admin stand-in with a generated shop,
 * and the connector as its own process (SQLite, production mode) pointed at both, driven through the operator API.
 */

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

export interface RunView {
  id: string;
  status: string;
  error?: string;
  finishedAt?: string;
  alreadyCompleted?: boolean;
  detail?: string;
  progress: Record<
    string,
    | {read: number; sent: number; nothing: number; handedToLive: number; failedOperations: number; batches: number}
    | undefined
  >;
  mailchimpRequests: number;
  deadLetters: number;
}

export interface BackfillWorld {
  mailchimp: ReturnType<typeof createMailchimpSandbox>;
  shopify: ShopifySandbox;
  child: ChildProcess;
  /** An operator API call; answers the HTTP status and the JSON body. */
  call(method: string, path: string, body?: unknown): Promise<{status: number; body: RunView}>;
  /** Polls a run until it is no longer running. */
  waitFor(id: string, onProgress?: (run: RunView) => void): Promise<RunView>;
  close(): Promise<void>;
}

export async function startBackfillWorld(options: {
  shop: Omit<ShopifySandboxOptions, 'shopDomain' | 'currencyCode'>;
  mailchimpLatencyMs: number;
  /** Extra connector environment (the bench's defaults are the connector's defaults). */
  env?: Record<string, string>;
  /** Node options for the connector process (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}): Promise<BackfillWorld> {
  const shopDomain = 'bench-backfill.myshopify.com';
  const dir = mkdtempSync(join(tmpdir(), 'bench-backfill-'));
  const mailchimp = createMailchimpSandbox({recordRequests: false, latencyMs: options.mailchimpLatencyMs});
  const baseUrl = await mailchimp.listen(0);
  const list = createListRecord(mailchimp.state, {name: 'Bench audience'});
  const shopify = await startShopifySandbox({...options.shop, shopDomain, currencyCode: 'USD'});
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'connector/src/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      NODE_ENV: 'production',
      DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`,
      ENCRYPTION_KEY: SecretBox.generateKey(),
      ADMIN_TOKEN,
      MAILCHIMP_API_KEY: mailchimp.apiKey,
      MAILCHIMP_BASE_URL: baseUrl,
      MAILCHIMP_LIST_ID: list.id,
      SHOPIFY_SHOP: shopDomain,
      SHOPIFY_API_SECRET: 'bench-secret',
      SHOPIFY_ACCESS_TOKEN: shopify.accessToken,
      SHOPIFY_ADMIN_URL: shopify.adminUrl,
      LAPSED_AFTER_DAYS: '36500',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown) => {
    // A kept-alive socket the server closes as a poll reuses it comes back as ECONNRESET: ask again.
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: {authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json'},
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return {status: res.status, body: (await res.json()) as RunView};
      } catch (error) {
        if (attempt >= 5 || child.exitCode !== null) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  const close = async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit').catch(() => undefined);
    await shopify.close();
    await mailchimp.close();
    rmSync(dir, {recursive: true, force: true});
  };
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${base}/healthz`)
          .then((r) => r.ok)
          .catch(() => false)
      )
        break;
      if (i > 600 || child.exitCode !== null) throw new Error('connector did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    mailchimp,
    shopify,
    child,
    call,
    async waitFor(id, onProgress) {
      for (;;) {
        const {body: run} = await call('GET', `/v1/backfill/${id}`);
        if (run.status !== 'running') return run;
        onProgress?.(run);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close,
  };
}
