import type {Logger} from '../../logging/logger.js';
import {isMailchimpError} from '../../mailchimp/mailchimp-error.js';
import type {Connection, ConnectionsRepository} from '../../store/connections-repository.js';
import {
  fallbackCurrencyNote,
  FALLBACK_CURRENCY,
  keptCurrencyNote,
  overridesShopCurrency,
  wantedStoreCurrency,
} from '../store-currency.js';
import {NotReadyYet} from '../sync-worker.js';
import type {ConnectionTarget, ConnectionTargets} from './client-registry.js';

export interface StoreReadinessOptions {
  targets: ConnectionTargets;
  connections: ConnectionsRepository;
  logger: Logger;
  now?: () => Date;
  /**
   * The shop's currency from the platform's API (Shopify Admin `shop { currencyCode }`); resolves undefined when the
   * connection has no API access. Asked once per process and connection, before the Mailchimp store is checked.
   */
  shopCurrencyLookup?: (connection: Connection) => Promise<string | undefined>;
  /** How long the store's creation waits for the shop's currency when nothing has said it yet (default 5 s). */
  shopCurrencyWaitMs?: number;
}

/** Where an e-commerce processor gets its target: the connection's, with the Mailchimp store ready. */
export interface StoreTargets {
  storeTarget(connectionId: string): Promise<ConnectionTarget>;
}

/**
 * The connection's Mailchimp store, ready before anything e-commerce is sent: created on first use in the shop's
 * currency, its currency reconciled, the shop's currency asked from the platform's API once per process.
 */
export class StoreReadiness implements StoreTargets {
  /** The store's check per connection, for the currencies it was checked against (`STORE_CURRENCY/shop`). */
  private readonly storesReady = new Map<string, {key: string; ready: Promise<void>}>();
  /** The Admin API's answer per connection (a failure is asked again after a while). */
  private readonly shopLookups = new Map<string, {answer: Promise<string | undefined>; until: number}>();
  /** Since when a missing store has been waiting for the shop's currency (this process's clock), for which key. */
  private readonly currencyWaits = new Map<string, {since: number; key: string}>();

  constructor(private readonly options: StoreReadinessOptions) {}

  /**
   * The target of an e-commerce write: the connection's client, with its Mailchimp store created if missing (in the
   * shop's currency) and its currency checked. Throws NotReadyYet while a missing store waits for the shop's currency.
   */
  async storeTarget(connectionId: string): Promise<ConnectionTarget> {
    const target = await this.options.targets.target(connectionId);
    const connection = await this.withShopCurrency(target.connection);
    const ready = {...target, connection};
    await this.ensureStore(ready);
    return ready;
  }

  /**
   * The connection with the shop's currency from the platform's API when it has one (asked once per process; the
   * answer is stored and replaces a currency learned from a payload). Without API access, or when the API fails, the
   * connection as stored.
   */
  async withShopCurrency(connection: Connection): Promise<Connection> {
    const lookup = this.options.shopCurrencyLookup;
    if (!lookup) return connection;
    let entry = this.shopLookups.get(connection.id);
    if (!entry || entry.until < Date.now()) {
      entry = {answer: this.lookUpShopCurrency(connection, lookup), until: Number.POSITIVE_INFINITY};
      this.shopLookups.set(connection.id, entry);
    }
    const shop = await entry.answer;
    if (!shop) return connection;
    return {
      ...connection,
      currency: {...connection.currency, shop, shopSource: 'admin_api'},
      settings: {...connection.settings, shopCurrency: shop},
    };
  }

  private async lookUpShopCurrency(
    connection: Connection,
    lookup: (connection: Connection) => Promise<string | undefined>,
  ): Promise<string | undefined> {
    try {
      const currency = (await lookup(connection))?.trim().toUpperCase();
      if (currency && /^[A-Z]{3}$/.test(currency)) {
        await this.options.connections.recordShopCurrency(connection.id, currency, 'admin_api', this.nowIso());
        return currency;
      }
      return undefined;
    } catch (err) {
      // The currency then comes from an order payload (or the wait's fallback); the API is asked again later.
      this.options.logger.warn(
        {err: err instanceof Error ? err.message : String(err), shop: connection.shopDomain},
        "the shop's currency could not be read from the Admin API",
      );
      const entry = this.shopLookups.get(connection.id);
      if (entry) entry.until = Date.now() + 60_000;
      return undefined;
    }
  }

  /**
   * The Mailchimp store exists before anything e-commerce is sent, in the right currency. Its id is the connection's
   * stable id; it is created with `is_syncing: false` (the backfill turns it on for its run, so live automations work
   * otherwise). The check runs once per process and connection, and again whenever STORE_CURRENCY or the shop's
   * currency changes (an order stated it, the Admin API answered).
   *
   * Which currency a new store gets, given that it is created lazily by the first sync of any entity (a product or a
   * customer may well come before the first order): STORE_CURRENCY when set; else the shop's currency, from the
   * Admin API when the connection has a token (asked first, so a product webhook or the backfill gets it at once),
   * else from the first order (or generic-ingest product) payload, recorded by the inbox processor in the same
   * transaction that projects it, so an order's currency is known before the order can be sent. When nothing has
   * said it yet, creation waits up to SHOP_CURRENCY_WAIT_SECONDS (the records wait, nothing fails) for an order to
   * arrive, then creates the store in USD; the first order then corrects it, because a store with the wrong
   * currency is PATCHed while it holds no orders. A store that already holds orders keeps its currency (the status
   * says so).
   */
  async ensureStore(target: ConnectionTarget): Promise<void> {
    const {id, currency} = target.connection;
    const key = `${currency.configured ?? ''}/${currency.shop ?? ''}`;
    let entry = this.storesReady.get(id);
    if (!entry || entry.key !== key) {
      // A missing store waiting for the shop's currency is not looked up again for every record meanwhile.
      const waiting = this.currencyWaits.get(id);
      if (waiting?.key === key) this.throwWhileWaiting(waiting.since);
      const ready = this.reconcileStore(target, key);
      const created = {key, ready};
      entry = created;
      this.storesReady.set(id, created);
      ready.catch(() => {
        if (this.storesReady.get(id) === created) this.storesReady.delete(id);
      });
    }
    await entry.ready;
  }

  private async reconcileStore(target: ConnectionTarget, key: string): Promise<void> {
    const {client, connection} = target;
    const log = this.options.logger.child({shop: connection.shopDomain, storeId: target.storeId});
    const wanted = wantedStoreCurrency(connection.currency);
    const store = await client.stores.get(target.storeId, {fields: ['id', 'currency_code']});
    if (!store) {
      let currency = wanted;
      let note: string | null = null;
      if (!currency) {
        const waitedMs = this.waitForShopCurrency(connection.id, key);
        currency = FALLBACK_CURRENCY;
        note = fallbackCurrencyNote(currency, Math.round(waitedMs / 1000));
        log.warn(
          {currency},
          "creating the Mailchimp store without knowing the shop's currency; the first order corrects it",
        );
      }
      await this.createStore(target, {currency, name: connection.settings.storeName});
      this.currencyWaits.delete(connection.id);
      await this.options.connections.recordStoreCurrency(connection.id, currency, note, this.nowIso());
    } else {
      this.currencyWaits.delete(connection.id);
      let current = store.currency_code;
      let note: string | null = null;
      if (wanted && current !== wanted) {
        // Mailchimp accepts a new currency_code at any time but never converts amounts: orders already in the store
        // keep the currency they were sent with. Corrected only while there are none.
        const orders = await client.orders.count(target.storeId);
        if (orders === 0) {
          await client.stores.update(target.storeId, {currency_code: wanted});
          log.info(
            {from: current, to: wanted},
            "the Mailchimp store had no orders yet: its currency is now the shop's",
          );
          current = wanted;
        } else {
          note = keptCurrencyNote(current, wanted, orders);
          log.warn({mailchimp: current, wanted, orders}, note);
        }
      }
      await this.options.connections.recordStoreCurrency(connection.id, current, note, this.nowIso());
    }
    if (overridesShopCurrency(connection.currency)) {
      const {configured, shop} = connection.currency;
      if (await this.options.connections.claimCurrencyWarning(connection.id, `${configured}/${shop}`)) {
        log.warn(
          {configured, shop},
          `STORE_CURRENCY=${configured} differs from the shop's currency ${shop}: the Mailchimp store uses ${configured}, the shop's amounts are ${shop}`,
        );
      }
    }
  }

  /** Throws NotReadyYet while a missing store may still learn the shop's currency; returns how long it waited. */
  private waitForShopCurrency(connectionId: string, key: string): number {
    const since = this.currencyWaits.get(connectionId)?.since ?? Date.now();
    this.currencyWaits.set(connectionId, {since, key});
    this.throwWhileWaiting(since);
    return Date.now() - since;
  }

  private throwWhileWaiting(since: number): void {
    const left = since + (this.options.shopCurrencyWaitMs ?? 5_000) - Date.now();
    if (left > 0)
      throw new NotReadyYet(
        "the Mailchimp store waits for the shop's currency (an order, or the Admin API)",
        Math.max(20, Math.min(2_000, left)),
      );
  }

  private async createStore(target: ConnectionTarget, settings: {currency: string; name?: string}): Promise<void> {
    const {client, connection} = target;
    const body = {
      id: target.storeId,
      list_id: target.listId,
      name: settings.name ?? connection.shopDomain,
      currency_code: settings.currency,
      platform: connection.platform === 'shopify' ? 'Shopify' : 'Custom',
      domain: connection.shopDomain,
      is_syncing: false,
    };
    // Another process of the connector may create the same store at the same moment: the id is the connection's
    // own, so "already exists" means the store is there.
    const create = (input: typeof body | Omit<typeof body, 'domain'>): Promise<unknown> =>
      client.stores.create(input).catch((err: unknown) => {
        if (!isMailchimpError(err, 'already_exists')) throw err;
      });
    try {
      await create(body);
    } catch (err) {
      // Another store of the account already uses the domain (Mailchimp wants it unique): the domain is optional.
      if (!isMailchimpError(err, 'store_domain_taken')) throw err;
      const {domain: _domain, ...withoutDomain} = body;
      await create(withoutDomain);
    }
    await this.options.connections.markStoreCreated(connection.id, target.listId, this.nowIso());
  }

  private nowIso(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  /** Forget the store (it was deleted, e.g. by shop/redact). */
  forgetStore(connectionId: string): void {
    this.storesReady.delete(connectionId);
  }
}
