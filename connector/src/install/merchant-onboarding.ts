import type {BackfillService} from '../backfill/backfill-service.js';
import {problem, type ProblemDocument} from '../http/problem.js';
import type {MailchimpClient} from '../mailchimp/client.js';
import type {ListContact} from '../mailchimp/types/lists.js';
import {SHOP_PROFILE, type ShopAddressNode} from '../shopify-admin/documents/shop-documents.js';
import type {Connection, ConnectionSettings, ShopifyWebhooksState} from '../store/connections-repository.js';
import type {SyncStateRepository} from '../store/sync-state-repository.js';
import type {SyncContext} from '../sync/processors/sync-context.js';
import type {ShopifyAdminAccess} from '../write-back/shopify-admin-access.js';
import type {InstallContext} from './install-context.js';

/** What the shop's page works with beyond the install context: the sync's Mailchimp clients, the Admin API, the backfill. */
export interface MerchantDeps {
  context: InstallContext;
  backfill: BackfillService;
  syncContext: SyncContext;
  shopifyAdmin: ShopifyAdminAccess;
  syncState: SyncStateRepository;
  /** Wakes the sync worker (an audience was just chosen: waiting records may go). */
  wake?: () => void;
}

/** A refusal the merchant API answers as problem+json. */
export class MerchantProblem extends Error {
  constructor(readonly doc: ProblemDocument) {
    super(doc.detail);
  }
}

const refuse = (status: number, slug: string, title: string, detail: string, extra: Partial<ProblemDocument> = {}) =>
  new MerchantProblem(problem(status, slug, title, detail, extra));

/** GET /app/api/shop. */
export interface ShopView {
  shop: string;
  /** `active`, or `uninstalled` (the app was removed from the shop: everything paused). */
  status: Connection['status'];
  mailchimp: {
    status: Connection['mailchimpStatus'];
    account_name: string | null;
    /** Why a reconnect is needed (what Mailchimp answered). */
    detail?: string;
    /** Whether "Connect Mailchimp" (OAuth) is offered: MAILCHIMP_CLIENT_ID is set. */
    oauth_available: boolean;
  };
  audience: {list_id: string; name?: string; double_opt_in: boolean} | null;
  /** The effective tag prefix ('' for none): the shop's own, else TAG_PREFIX. */
  tag_prefix: string;
  store: {id: string; created: boolean; name: string; currency: string | null};
  webhooks: {
    checked_at: string;
    callback_url: string;
    subscribed: string[];
    created: string[];
    missing: string[];
    error?: string;
  } | null;
  /** Whether the sync may send: active, Mailchimp connected and an audience chosen. */
  syncable: boolean;
  sync: {pending: number; retry: number; synced: number; dead: number; skipped: number};
}

export interface AudienceView {
  id: string;
  name: string;
  member_count: number;
  double_optin: boolean | null;
}

export interface CreateListInput {
  name?: string;
  from_name?: string;
  from_email?: string;
  subject?: string;
  permission_reminder?: string;
  language?: string;
}

export interface SetupInput {
  list_id?: string;
  create_list?: CreateListInput;
  double_opt_in?: boolean;
  tag_prefix?: string;
}

/**
 * Onboarding on the shop's page: the shop's state, its Mailchimp account's audiences, and the setup (audience,
 * double opt-in, tag prefix). Every method takes the session's connection, never an id from the request.
 */
export class MerchantOnboarding {
  constructor(private readonly deps: MerchantDeps) {}

  async view(connection: Connection): Promise<ShopView> {
    const {config} = this.deps.context;
    const counts = await this.deps.syncState.countsByStatusOf(connection.id);
    let audience: ShopView['audience'] = null;
    if (connection.mailchimpListId) {
      audience = {list_id: connection.mailchimpListId, double_opt_in: connection.doubleOptIn};
      if (connection.mailchimpStatus === 'connected') {
        // The audience's name is a nicety: a Mailchimp failure leaves it out rather than failing the page.
        const list = await this.client(connection)
          .then((client) => client.lists.get(connection.mailchimpListId!, {select: {fields: ['id', 'name']}}))
          .catch(() => null);
        if (list?.name) audience.name = list.name;
      }
    }
    const {currency} = connection;
    return {
      shop: connection.shopDomain,
      status: connection.status,
      mailchimp: {
        status: connection.mailchimpStatus,
        account_name: connection.mailchimpAccountName ?? null,
        ...(connection.mailchimpStatusDetail ? {detail: connection.mailchimpStatusDetail} : {}),
        oauth_available: Boolean(config.MAILCHIMP_CLIENT_ID),
      },
      audience,
      tag_prefix: connection.settings.tagPrefix ?? config.TAG_PREFIX,
      store: {
        id: connection.mailchimpStoreId,
        created: connection.storeCreated,
        name: connection.settings.storeName ?? connection.shopDomain,
        currency: currency.mailchimp ?? currency.configured ?? currency.shop ?? null,
      },
      webhooks: connection.shopifyWebhooks ? webhooksView(connection.shopifyWebhooks) : null,
      syncable:
        connection.status === 'active' && connection.mailchimpStatus === 'connected' && !!connection.mailchimpListId,
      sync: {
        pending: counts.pending ?? 0,
        retry: counts.retry ?? 0,
        synced: counts.synced ?? 0,
        dead: counts.dead ?? 0,
        skipped: counts.skipped ?? 0,
      },
    };
  }

  /** The Mailchimp account's audiences with their member counts. */
  async audiences(connection: Connection): Promise<AudienceView[]> {
    const client = await this.connectedClient(connection);
    const audiences: AudienceView[] = [];
    for (let offset = 0; ;) {
      const page = await client.lists.page({
        offset,
        select: {fields: ['lists.id', 'lists.name', 'lists.double_optin', 'lists.stats.member_count', 'total_items']},
      });
      for (const list of page.lists)
        audiences.push({
          id: list.id,
          name: list.name,
          member_count: list.stats?.member_count ?? 0,
          double_optin: typeof list.double_optin === 'boolean' ? list.double_optin : null,
        });
      offset += page.lists.length;
      if (page.lists.length === 0 || offset >= page.total_items) break;
    }
    return audiences;
  }

  /**
   * The merchant's choices. An existing audience must be one of the account's; a new one is created with the shop's
   * name and business address (Shopify Admin API). Double opt-in defaults to on whenever an audience is chosen or
   * created (for an existing audience too, whatever its own Mailchimp form setting: the merchant turns it off
   * explicitly); a setup that keeps the audience keeps the current setting unless it says otherwise. With neither
   * `list_id` nor `create_list`, the current audience stays and only the options change. The tag prefix applies to
   * tags written from then on. The Mailchimp store is created by the sync, in the audience chosen here, with
   * the shop's name; once it exists its audience cannot change (Mailchimp stores cannot move lists): 409.
   */
  async setup(connection: Connection, input: SetupInput): Promise<Connection> {
    const {connections, logger} = this.deps.context;
    const now = this.deps.context.now().toISOString();
    const client = await this.connectedClient(connection);
    const wantsOther =
      input.create_list !== undefined || (input.list_id !== undefined && input.list_id !== connection.mailchimpListId);
    if (connection.storeCreated && wantsOther)
      throw refuse(
        409,
        'audience-locked',
        'Conflict',
        `The Mailchimp store of ${connection.shopDomain} already exists in audience ${connection.mailchimpListId}; a Mailchimp store cannot move to another audience.`,
      );
    if (!input.list_id && !input.create_list && !connection.mailchimpListId)
      throw refuse(400, 'audience-required', 'Bad Request', 'Choose an audience: give list_id or create_list.', {
        errors: [{field: 'list_id', message: 'list_id or create_list is required'}],
      });

    const profile = await this.shopProfile(connection, input.create_list !== undefined);
    let listId = connection.mailchimpListId;
    if (input.create_list) {
      listId = (await client.lists.create(newListBody(profile!, input.create_list, input.double_opt_in ?? true))).id;
      logger.info({shop: connection.shopDomain, listId}, 'audience created for the shop');
    } else if (input.list_id && input.list_id !== connection.mailchimpListId) {
      const list = await client.lists.get(input.list_id, {select: {fields: ['id']}});
      // Another account's audience (another shop's) is simply not found in this one.
      if (!list)
        throw refuse(404, 'unknown-audience', 'Not Found', `No audience ${input.list_id} in this Mailchimp account.`);
      listId = list.id;
    }
    const settings: ConnectionSettings = {
      ...(profile ? {storeName: profile.name} : {}),
      ...(input.tag_prefix !== undefined ? {tagPrefix: input.tag_prefix} : {}),
    };
    if (profile?.currencyCode)
      await connections.recordShopCurrency(connection.id, profile.currencyCode, 'admin_api', now);
    const chosen = await connections.chooseAudience(
      connection.id,
      {
        listId: listId!,
        // On by default whenever an audience is chosen or created; a save of options only keeps the current setting.
        doubleOptIn: input.double_opt_in ?? (wantsOther || !connection.mailchimpListId ? true : connection.doubleOptIn),
        settings,
      },
      now,
    );
    this.deps.wake?.();
    return chosen;
  }

  private async connectedClient(connection: Connection): Promise<MailchimpClient> {
    if (connection.mailchimpStatus === 'not_connected')
      throw refuse(409, 'mailchimp-not-connected', 'Conflict', 'Connect a Mailchimp account first.');
    if (connection.mailchimpStatus === 'reconnect_needed')
      throw refuse(
        409,
        'mailchimp-reconnect-needed',
        'Conflict',
        `Mailchimp needs reconnecting${connection.mailchimpStatusDetail ? `: ${connection.mailchimpStatusDetail}` : ''}.`,
      );
    return this.client(connection);
  }

  private client(connection: Connection): Promise<MailchimpClient> {
    return this.deps.syncContext.clientFor(connection);
  }

  /**
   * The shop's name, e-mail, currency and address from the Admin API. Required to create an audience (409 without
   * Admin API access); otherwise best effort (the store is then named after the domain).
   */
  private async shopProfile(connection: Connection, required: boolean): Promise<ShopProfile | undefined> {
    const admin = await this.deps.shopifyAdmin.clientFor(connection.id);
    if (!admin) {
      if (required)
        throw refuse(
          409,
          'shopify-not-connected',
          'Conflict',
          "The shop's details cannot be read (no Admin API access): reinstall the app, or choose an existing audience.",
        );
      return undefined;
    }
    try {
      const {shop} = await admin.query(SHOP_PROFILE, {});
      return {
        name: shop.name,
        email: shop.contactEmail || shop.email,
        currencyCode: shop.currencyCode,
        address: shop.billingAddress,
      };
    } catch (err) {
      if (required)
        throw refuse(
          502,
          'shopify-unavailable',
          'Bad Gateway',
          "Shopify's Admin API did not answer the shop's details.",
        );
      this.deps.context.logger.warn(
        {err: err instanceof Error ? err.message : String(err), shop: connection.shopDomain},
        "the shop's details could not be read; the Mailchimp store is named after the domain",
      );
      return undefined;
    }
  }
}

interface ShopProfile {
  name: string;
  email: string;
  currencyCode: string;
  address: ShopAddressNode;
}

/** POST /lists for a new audience: the shop's name and business address (Mailchimp requires an address). */
function newListBody(profile: ShopProfile, input: CreateListInput, doubleOptIn: boolean) {
  const {address} = profile;
  if (!address.address1 || !address.city || !address.countryCodeV2)
    throw refuse(
      422,
      'shop-address-incomplete',
      'Unprocessable Content',
      "Mailchimp needs the shop's address for a new audience: fill in the store address in Shopify's settings, or choose an existing audience.",
    );
  const name = input.name ?? profile.name;
  const contact: ListContact = {
    company: profile.name,
    address1: address.address1,
    ...(address.address2 ? {address2: address.address2} : {}),
    city: address.city,
    ...(address.provinceCode || address.province ? {state: address.provinceCode ?? address.province!} : {}),
    ...(address.zip ? {zip: address.zip} : {}),
    country: address.countryCodeV2,
    ...(address.phone ? {phone: address.phone} : {}),
  };
  return {
    name,
    contact,
    permission_reminder:
      input.permission_reminder ?? `You are receiving this because you signed up or bought at ${profile.name}.`,
    campaign_defaults: {
      from_name: input.from_name ?? profile.name,
      from_email: input.from_email ?? profile.email,
      subject: input.subject ?? `News from ${profile.name}`,
      language: input.language ?? 'en',
    },
    email_type_option: false,
    double_optin: doubleOptIn,
  };
}

function webhooksView(state: ShopifyWebhooksState): NonNullable<ShopView['webhooks']> {
  return {
    checked_at: state.checkedAt,
    callback_url: state.callbackUrl,
    subscribed: state.subscribed,
    created: state.created,
    missing: state.missing,
    ...(state.error ? {error: state.error} : {}),
  };
}
