import type {Kysely} from 'kysely';
import type {Order, Refund} from '../model/entities.js';
import type {StoreEvent} from '../model/events.js';
import type {Database, SyncLane} from '../store/schema.js';
import {ConsentEvidenceRepository} from '../store/consent-evidence-repository.js';
import type {TombstoneKey} from '../security/tombstone-key.js';
import type {SecretBox} from '../security/secret-box.js';
import {ConnectionStateRepository} from '../store/connections-repository.js';
import {PeopleRepository} from '../store/people-repository.js';
import {PersonErasureRepository} from '../store/person-erasure-repository.js';
import {SyncStateRepository} from '../store/sync-state-repository.js';
import type {Engine} from '../store/database.js';
import {ENTITY} from './entity-types.js';
import {adjustedOrderTotal} from './mappers/order-purchase.js';
import {desire, refreshMember, rememberPerson} from './member-state.js';
import {projectMailchimpConsent, projectMailchimpEmailChange, projectMailchimpProfile} from './mailchimp-projection.js';
import {isConsentWriteBackEcho} from '../write-back/write-back-desired.js';
import {
  eraseInboxEvent,
  erasePerson,
  knownPerson,
  personRefsOf,
  redactionOf,
  writeTombstones,
} from './person-erasure.js';
import {
  cartSighting,
  confirmCheckoutConsent,
  orderSighting,
  projectCheckoutClaim,
} from '../storefront/checkout-consent.js';

export type {MemberDesired} from './member-state.js';

/** The repositories a projection reads and writes through, all on the projection's transaction. */
export interface ProjectionRepositories {
  syncState: SyncStateRepository;
  people: PeopleRepository;
  consentEvidence: ConsentEvidenceRepository;
  connections: ConnectionStateRepository;
  /** The GDPR redaction's (sync/person-erasure.ts), bound to the connection. */
  erasure: PersonErasureRepository;
}

export interface ProjectionContext extends ProjectionRepositories {
  engine: Engine;
  connectionId: string;
  now: string;
  priority?: number;
  /** `backfill` when the backfill projects what it read from the platform (sent in batches); live by default. */
  lane?: SyncLane;
  /** The inbox event being projected: erased in place when it turns out to be about a person redacted since. */
  inboxEventId?: number;
  /** When the event happened (its trigger time, never later than its receipt); default: the event's own version time. */
  eventAt?: string;
  /**
   * Keys the GDPR redaction tombstones (sync/person-erasure.ts). Without it (the backfill, which reads the platform's
   * current state, where the person is already gone) tombstones are neither written nor consulted.
   */
  tombstones?: TombstoneKey;
  /** Opens and seals stored credentials: an uninstall drops an app-installed shop's Shopify tokens with it. */
  box?: SecretBox;
}

/**
 * A projection context on the caller's transaction (`trx`, or the database for a single statement's worth): its
 * repositories are built on it, so everything the projection writes commits or rolls back together.
 */
export function projectionContext(
  trx: Kysely<Database>,
  engine: Engine,
  fields: Omit<ProjectionContext, keyof ProjectionRepositories | 'engine'>,
): ProjectionContext {
  return {
    syncState: new SyncStateRepository(trx, engine),
    people: new PeopleRepository(trx, engine),
    consentEvidence: new ConsentEvidenceRepository(trx),
    connections: new ConnectionStateRepository(trx),
    erasure: new PersonErasureRepository(trx, fields.connectionId),
    engine,
    ...fields,
  };
}

/** `erased`: personal data was erased; the caller releases the bytes once the transaction committed (releaseErasedBytes). */
export type ProjectionResult =
  {ok: true; note?: string; erased?: boolean} | {ok: false; retryable: boolean; error: string};

/**
 * Turns a canonical event into desired per-entity state, in the caller's transaction (the same one that marks
 * the inbox event processed, so a crash leaves either both or neither). Nothing here talks to Mailchimp.
 *
 * An event about a person redacted at or after the time the event happened (an operator replay, a late retry, an
 * older event arriving late) is dropped and its inbox copy erased: a redaction is never undone by the past. An event
 * from after the redaction is the person's own new doing (they signed up again) and is projected as usual.
 */
export async function project(event: StoreEvent, ctx: ProjectionContext): Promise<ProjectionResult> {
  if (event.kind !== 'person.redact' && ctx.tombstones) {
    const redactedAt = await redactionOf(ctx, ctx.tombstones, personRefsOf(event));
    if (redactedAt !== undefined && Date.parse(eventTimeOf(event, ctx)) <= Date.parse(redactedAt)) {
      if (ctx.inboxEventId !== undefined) await eraseInboxEvent(ctx, ctx.inboxEventId);
      return {
        ok: true,
        erased: true,
        note: `about a person redacted at ${redactedAt}, after this event happened: dropped and erased`,
      };
    }
  }
  const handler = handlers[event.kind] as (e: StoreEvent, c: ProjectionContext) => Promise<ProjectionResult>;
  return handler(event, ctx);
}

/** When the event happened: the delivery's time when there is one, else the version time the payload carries. */
function eventTimeOf(event: StoreEvent, ctx: ProjectionContext): string {
  if (ctx.eventAt) return ctx.eventAt;
  switch (event.kind) {
    case 'customer.upsert':
      return event.customer.updatedAt;
    case 'order.upsert':
      return event.order.updatedAt;
    case 'cart.upsert':
      return event.cart.updatedAt;
    case 'consent.update':
      return event.consent.updatedAt;
    case 'mailchimp.consent':
      return event.consent.updatedAt;
    case 'mailchimp.profile':
    case 'mailchimp.email_change':
      return event.at;
    default:
      return ctx.now;
  }
}

type Handlers = {
  [K in StoreEvent['kind']]: (
    event: Extract<StoreEvent, {kind: K}>,
    ctx: ProjectionContext,
  ) => Promise<ProjectionResult>;
};

const handlers: Handlers = {
  'customer.upsert': async ({customer}, ctx) => {
    // Deliveries arrive in any order (retries, concurrent webhooks): an older payload than the one projected already
    // fills gaps in the person's names but never overwrites newer ones (the customer entity itself is newer-wins).
    const older = (await desire(ctx, ENTITY.customer, customer.id, customer, customer.updatedAt)) === 'stale';
    if (customer.email) {
      // Older payloads carry the consent inside the customer: the echo of a consent write-back is left out there too.
      const consent =
        customer.consent && (await isConsentWriteBackEcho(ctx, customer.email, customer.consent))
          ? undefined
          : customer.consent;
      await rememberPerson(
        ctx,
        customer.email,
        {customerId: customer.id, firstName: customer.firstName, lastName: customer.lastName},
        consent,
        {fillOnly: older},
      );
      if (!deferMemberRefresh(ctx)) await refreshMember(ctx, customer.email);
    }
    return {ok: true};
  },
  'customer.delete': async ({customerId}, ctx) => {
    // A deleted Shopify customer is not a consent signal: the member and their history stay in Mailchimp.
    // The local id → email link is dropped so that the id cannot be reused by mistake.
    await ctx.people.unlinkCustomer(ctx.connectionId, customerId, ctx.now);
    return {ok: true, note: 'customer deleted in the store; Mailchimp member kept'};
  },
  'consent.update': async (event, ctx) => {
    const email = event.email || (event.customerId ? await emailOfCustomer(ctx, event.customerId) : undefined);
    if (!email)
      return {ok: false, retryable: false, error: 'consent update without an email address for an unknown customer'};
    if (await isConsentWriteBackEcho(ctx, email, event.consent))
      return {ok: true, note: "the store reports back the connector's own consent write-back; nothing changes"};
    await rememberPerson(
      ctx,
      email,
      {customerId: event.customerId, firstName: event.firstName, lastName: event.lastName},
      event.consent,
    );
    await refreshMember(ctx, email);
    return {ok: true};
  },
  'consent.checkout_claim': (event, ctx) => projectCheckoutClaim(event, ctx),
  'product.upsert': async ({product}, ctx) => {
    await desire(ctx, ENTITY.product, product.id, product, product.updatedAt);
    return {ok: true};
  },
  'product.delete': async ({productId}, ctx) => {
    await desire(ctx, ENTITY.product, productId, {id: productId, deleted: true}, ctx.now);
    return {ok: true};
  },
  'order.upsert': async ({order}, ctx) => {
    const existing = await currentDesired<Order>(ctx, ENTITY.order, order.id);
    const merged: Order = {...order, refunds: mergeRefunds(existing?.refunds ?? [], order.refunds)};
    await desire(ctx, ENTITY.order, order.id, merged, order.updatedAt);
    if (order.customer.id && order.customer.email) {
      // The customer's own profile events own the names; an order's copy only fills gaps.
      await rememberPerson(
        ctx,
        order.customer.email,
        {customerId: order.customer.id, firstName: order.customer.firstName, lastName: order.customer.lastName},
        undefined,
        {fillOnly: true},
      );
    }
    const email =
      order.customer.email ?? (order.customer.id ? await emailOfCustomer(ctx, order.customer.id) : undefined);
    if (email) {
      // A signed order confirms the address's ticked storefront checkout box (storefront/checkout-consent.ts).
      await confirmCheckoutConsent(ctx, email, orderSighting(order));
      await recordPurchase(ctx, email, merged);
      if (!deferMemberRefresh(ctx)) await refreshMember(ctx, email);
    }
    const cartId = order.cartId;
    if (cartId)
      await desire(ctx, ENTITY.cart, cartId, {id: cartId, deleted: true, reason: 'order placed'}, order.updatedAt);
    return {ok: true};
  },
  'refund.create': async ({orderId, refund}, ctx) => {
    const existing = await currentDesired<Order>(ctx, ENTITY.order, orderId);
    if (!existing)
      return {ok: false, retryable: true, error: `order ${orderId} is not known yet; the refund is kept and retried`};
    const refunds = mergeRefunds(existing.refunds, [refund]);
    const merged: Order = {...existing, refunds, financialStatus: statusAfterRefunds(existing, refunds)};
    const version = refund.createdAt > existing.updatedAt ? refund.createdAt : existing.updatedAt;
    await desire(ctx, ENTITY.order, orderId, {...merged, updatedAt: version}, version);
    const email =
      existing.customer.email ?? (existing.customer.id ? await emailOfCustomer(ctx, existing.customer.id) : undefined);
    if (email) {
      await recordPurchase(ctx, email, merged);
      await refreshMember(ctx, email);
    }
    return {ok: true};
  },
  'cart.upsert': async ({cart}, ctx) => {
    if (cart.customer.email) await confirmCheckoutConsent(ctx, cart.customer.email, cartSighting(cart));
    if (cart.completedAt) {
      await desire(
        ctx,
        ENTITY.cart,
        cart.id,
        {id: cart.id, deleted: true, reason: 'checkout completed'},
        cart.updatedAt,
      );
    } else {
      await desire(ctx, ENTITY.cart, cart.id, cart, cart.updatedAt);
    }
    return {ok: true};
  },
  'cart.delete': async ({cartId}, ctx) => {
    await desire(ctx, ENTITY.cart, cartId, {id: cartId, deleted: true, reason: 'deleted'}, ctx.now);
    return {ok: true};
  },
  'promo.upsert': async ({promo}, ctx) => {
    await desire(ctx, ENTITY.promo, promo.id, promo, promo.updatedAt);
    return {ok: true};
  },
  'promo.delete': async ({promoRuleId}, ctx) => {
    await desire(ctx, ENTITY.promo, promoRuleId, {id: promoRuleId, deleted: true}, ctx.now);
    return {ok: true};
  },
  'person.redact': async (event, ctx) => {
    // Every address the person is known by (an e-mail change leaves the old one), their customer ids and orders.
    const person = await knownPerson(ctx, {email: event.email, customerId: event.customerId, orderIds: event.orderIds});
    const redactedAt = new Date(Date.parse(ctx.eventAt ?? ctx.now) || Date.parse(ctx.now)).toISOString();
    await erasePerson(ctx, person, redactedAt, {inboxEventId: ctx.inboxEventId});
    if (ctx.tombstones) await writeTombstones(ctx, ctx.tombstones, person, redactedAt);
    const email = event.email?.trim().toLowerCase() || person.emails[0];
    if (!email)
      return {
        ok: true,
        erased: true,
        note: 'no address known for this person: erased locally, nothing to delete in Mailchimp',
      };
    // Mailchimp's permanent delete needs the address, so the redaction's own record carries it until Mailchimp has
    // done it (then it is scrubbed: SyncStateRepository.markSynced). Keyed by the tombstone, never by the address;
    // the time makes a later redaction of the same person (who signed up again) a new one to send.
    const entityId = ctx.tombstones ? ctx.tombstones.email(email) : email;
    await desire(ctx, ENTITY.redaction, entityId, {email, customerId: event.customerId, redactedAt}, ctx.now);
    return {ok: true, erased: true};
  },
  'shop.redact': async (_event, ctx) => {
    await ctx.people.forgetConnection(ctx.connectionId);
    await ctx.consentEvidence.forgetConnection(ctx.connectionId);
    await ctx.syncState.removeConnection(ctx.connectionId, ENTITY.store);
    await desire(ctx, ENTITY.store, 'store', {deleted: true, reason: 'shop/redact'}, ctx.now);
    return {ok: true};
  },
  'app.uninstalled': async (_event, ctx) => {
    await ctx.connections.markUninstalled(ctx.connectionId, ctx.now);
    // Shopify revoked an app-installed shop's tokens: they are dropped (a re-install stores new ones, active again).
    if (ctx.box) await ctx.connections.dropAppShopTokens(ctx.connectionId, ctx.box, ctx.now);
    return {ok: true, note: 'connection paused: app uninstalled'};
  },
  'mailchimp.consent': (event, ctx) => projectMailchimpConsent(event, ctx),
  'mailchimp.profile': (event, ctx) => projectMailchimpProfile(event, ctx),
  'mailchimp.email_change': (event, ctx) => projectMailchimpEmailChange(event, ctx),
  ignored: async ({reason}) => ({ok: true, note: reason}),
};

/**
 * The backfill lane leaves members to its members phase, which computes each member once from everything read
 * (refreshMembers) instead of once per customer and again per order of theirs (that cost grew with each buyer's
 * orders, and every intermediate state was written only to be overwritten). Live events refresh at once.
 */
function deferMemberRefresh(ctx: ProjectionContext): boolean {
  return ctx.lane === 'backfill';
}

async function currentDesired<T>(ctx: ProjectionContext, type: string, id: string): Promise<T | undefined> {
  return ctx.syncState.desiredOf<T>({connectionId: ctx.connectionId, entityType: type, entityId: id});
}

/** A refund moves a paid order to partially refunded, or refunded once nothing is left (orders/updated may lag). */
function statusAfterRefunds(order: Order, refunds: Refund[]): Order['financialStatus'] {
  if (order.financialStatus !== 'paid' && order.financialStatus !== 'partially_refunded') return order.financialStatus;
  return adjustedOrderTotal({...order, refunds}).minor > 0 ? 'partially_refunded' : 'refunded';
}

function mergeRefunds(known: Refund[], incoming: Refund[]): Refund[] {
  const byId = new Map(known.map((r) => [r.id, r]));
  for (const r of incoming) byId.set(r.id, r);
  return [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

function emailOfCustomer(ctx: ProjectionContext, customerId: string): Promise<string | undefined> {
  return ctx.people.emailOfCustomer(ctx.connectionId, customerId);
}

function recordPurchase(ctx: ProjectionContext, email: string, order: Order): Promise<void> {
  return ctx.people.recordPurchase(ctx.connectionId, email, order);
}
