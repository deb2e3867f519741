import type {Config} from '../config/config.js';
import type {Logger} from '../logging/logger.js';
import type {Connection} from '../store/connections-repository.js';
import type {MailchimpClient} from '../mailchimp/client.js';
import {isMailchimpError} from '../mailchimp/mailchimp-error.js';
import {ShopifyAdminError, ShopifyAuthError, ShopifyHttpError} from '../shopify-admin/admin-errors.js';
import type {ShopifyAdminClient} from '../shopify-admin/admin-client.js';
import {defineDocument} from '../shopify-admin/documents/admin-document.js';

/**
 * Start-up checks of the environment's connection: do MAILCHIMP_API_KEY (or MAILCHIMP_ACCESS_TOKEN),
 * MAILCHIMP_LIST_ID and SHOPIFY_ACCESS_TOKEN work? Each failure is one line naming the variable and what Mailchimp
 * or Shopify answered, never a secret. The connector serves anyway (so the operator can look at it); /readyz answers
 * 503 with these lines until a check passes, and the checks run again periodically and on the operator's request,
 * so a fixed problem (the list created, the store removed) turns the connector ready without a restart.
 */
export interface CheckedConnection {
  connectionId: string;
  shopDomain: string;
  listId: string;
  storeId: string;
  /** Which variable holds the Mailchimp credential (named in failures, never its value). */
  credentialVariable: 'MAILCHIMP_API_KEY' | 'MAILCHIMP_ACCESS_TOKEN';
  /** MAILCHIMP_BASE_URL is set: an unreachable Mailchimp names it rather than the credential's data center. */
  baseUrlSet: boolean;
  /** SHOPIFY_ACCESS_TOKEN is set: the Admin API token is checked too. */
  shopifyToken: boolean;
}

/** What to check of the environment's connection, from the config that made it. */
export function checkedEnvConnection(config: Config, connection: Connection, listId: string): CheckedConnection {
  return {
    connectionId: connection.id,
    shopDomain: connection.shopDomain,
    listId,
    storeId: connection.mailchimpStoreId,
    credentialVariable: config.MAILCHIMP_ACCESS_TOKEN ? 'MAILCHIMP_ACCESS_TOKEN' : 'MAILCHIMP_API_KEY',
    baseUrlSet: config.MAILCHIMP_BASE_URL !== undefined,
    shopifyToken: config.SHOPIFY_ACCESS_TOKEN !== undefined,
  };
}

/** Mailchimp credentials without any shop (not multi-shop mode): said once at start and by /readyz. */
export const NO_SHOP_CONFIGURED =
  'SHOPIFY_SHOP: Mailchimp credentials are set but no shop is, so nothing will sync; set SHOPIFY_SHOP (one Shopify shop), INGEST_TOKEN (another store), or SHOPIFY_API_KEY and SHOPIFY_API_SECRET (install shops through the app)';

export interface StartupCheckPorts {
  /** The connection's Mailchimp client: the sync's own (its account limiter, its 401 handling). */
  mailchimp(connectionId: string): Promise<MailchimpClient>;
  /** The connection's Shopify Admin client, undefined without a token. */
  shopify(connectionId: string): Promise<ShopifyAdminClient | undefined>;
}

/** `shop { name currencyCode }`: the smallest question that proves the Admin token works for this shop. */
const SHOP_NAME_AND_CURRENCY = defineDocument<{shop: {name: string; currencyCode: string}}>(`
  query StartupShopCheck {
    shop { name currencyCode }
  }`);

/** Runs every check of the connection; resolves to the failure lines (empty: everything answered as expected). */
export async function runStartupChecks(target: CheckedConnection, ports: StartupCheckPorts): Promise<string[]> {
  const [mailchimp, shopify] = await Promise.all([checkMailchimp(target, ports), checkShopify(target, ports)]);
  return [...mailchimp, ...shopify];
}

async function checkMailchimp(target: CheckedConnection, ports: StartupCheckPorts): Promise<string[]> {
  let client: MailchimpClient;
  try {
    client = await ports.mailchimp(target.connectionId);
  } catch (err) {
    return [`${target.credentialVariable}: the Mailchimp client could not be built (${errorText(err)})`];
  }
  // The credential first: a refused key makes every other answer meaningless.
  try {
    await client.ping();
  } catch (err) {
    return [mailchimpFailureLine(target, err, target.credentialVariable, 'ping')];
  }
  try {
    // lists.require, not lists.get (which turns a 404 into null): the failure line keeps Mailchimp's own words.
    await client.lists.require(target.listId, {select: {fields: ['id']}});
  } catch (err) {
    return [mailchimpFailureLine(target, err, 'MAILCHIMP_LIST_ID', `list ${target.listId}`)];
  }
  try {
    // A store that does not exist yet is fine (created on first use); one of another audience can never sync here,
    // because Mailchimp does not let a store change lists.
    const store = await client.stores.get(target.storeId, {fields: ['id', 'list_id']});
    if (store && store.list_id !== target.listId)
      return [
        `MAILCHIMP_LIST_ID: the Mailchimp store ${target.storeId} belongs to list ${store.list_id}, not ${target.listId} (a store cannot change lists: set MAILCHIMP_LIST_ID=${store.list_id}, or MAILCHIMP_STORE_ID to a new id)`,
      ];
  } catch (err) {
    return [mailchimpFailureLine(target, err, 'MAILCHIMP_STORE_ID', `store ${target.storeId}`)];
  }
  return [];
}

/**
 * One line for a failed Mailchimp call: the variable to fix and what Mailchimp answered. No answer at all (network)
 * is told apart from a refusal: the credential may be right, the address or the network is not.
 */
export function mailchimpFailureLine(target: CheckedConnection, err: unknown, variable: string, what: string): string {
  if (!isMailchimpError(err)) return `${variable}: checking ${what} failed (${errorText(err)})`;
  if (err.status === undefined) {
    const where = target.baseUrlSet ? 'MAILCHIMP_BASE_URL' : `${target.credentialVariable} (its data center)`;
    return `${where}: Mailchimp could not be reached (${err.code ?? 'no answer'}) while checking ${what}; checked again periodically`;
  }
  const said = err.detail || err.title;
  return `${variable}: Mailchimp answered ${err.status}${said ? ` ${JSON.stringify(said)}` : ''} for ${what}`;
}

async function checkShopify(target: CheckedConnection, ports: StartupCheckPorts): Promise<string[]> {
  if (!target.shopifyToken) return [];
  try {
    const client = await ports.shopify(target.connectionId);
    if (!client) return [];
    await client.query(SHOP_NAME_AND_CURRENCY, {});
    return [];
  } catch (err) {
    return [shopifyFailureLine(target.shopDomain, err)];
  }
}

/** One line for a failed Shopify check (the access token's value never appears in these errors). */
export function shopifyFailureLine(shopDomain: string, err: unknown): string {
  if (err instanceof ShopifyAuthError)
    return `SHOPIFY_ACCESS_TOKEN: Shopify answered ${err.status} for shop ${shopDomain} (the Admin API token is wrong, revoked or lacks a scope)`;
  if (err instanceof ShopifyHttpError)
    return `SHOPIFY_ACCESS_TOKEN: Shopify answered ${err.status} for shop ${shopDomain}`;
  if (err instanceof ShopifyAdminError)
    return `SHOPIFY_ACCESS_TOKEN: checking shop ${shopDomain} failed (${err.message})`;
  return `SHOPIFY_ACCESS_TOKEN: checking shop ${shopDomain} failed (${errorText(err)})`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export type ReadinessState = 'checking' | 'ready' | 'not_ready';

export interface ReadinessOptions {
  ports: StartupCheckPorts;
  logger: Logger;
  /** How often the checks run again while they fail, and after they passed (a key revoked later). */
  intervalMs: number;
}

/**
 * The connection's readiness: the latest result of runStartupChecks, re-run on a timer and on request. Logs each
 * failure line once when the set of failures changes, and "connection ready" each time the checks start passing.
 * Without a watched connection (multi-shop mode) there is nothing to check: ready.
 */
export class Readiness {
  private target: CheckedConnection | undefined;
  private state: ReadinessState = 'ready';
  private reasons: string[] = [];
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ReadinessOptions) {}

  /** Starts checking the connection now, then every intervalMs (the timer never keeps the process alive). */
  watch(target: CheckedConnection): void {
    this.target = target;
    this.state = 'checking';
    this.reasons = [];
    void this.check();
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => void this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Nothing can be checked because the configuration names no connection: not ready, for this reason, until a restart. */
  unconfigured(reason: string): void {
    this.target = undefined;
    this.state = 'not_ready';
    this.reasons = [reason];
  }

  /** The current answer: `reasons` are the failure lines (or why there is no answer yet). */
  current(): {state: ReadinessState; reasons: string[]} {
    if (this.state === 'checking') return {state: 'checking', reasons: ['the start-up checks are still running']};
    return {state: this.state, reasons: [...this.reasons]};
  }

  /** Runs the checks now (one run at a time: a request during a run waits for it) and resolves to the answer. */
  async check(): Promise<{state: ReadinessState; reasons: string[]}> {
    const target = this.target;
    if (!target) return this.current();
    this.running ??= this.run(target).finally(() => (this.running = undefined));
    await this.running;
    return this.current();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async run(target: CheckedConnection): Promise<void> {
    const {logger} = this.options;
    const reasons = await runStartupChecks(target, this.options.ports).catch((err: unknown) => [
      `start-up checks failed: ${errorText(err)}`,
    ]);
    const wasReady = this.state === 'ready';
    const changed = reasons.join('\n') !== this.reasons.join('\n') || this.state === 'checking';
    this.reasons = reasons;
    this.state = reasons.length === 0 ? 'ready' : 'not_ready';
    if (this.state === 'ready' && !wasReady)
      logger.info({shop: target.shopDomain, store: target.storeId, list: target.listId}, 'connection ready');
    else if (this.state === 'not_ready' && changed) for (const line of reasons) logger.error(line);
  }
}
