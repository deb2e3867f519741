import type {Kysely} from 'kysely';
import type {Cart, Order} from '../model/entities.js';
import {addressHash, ConsentEvidenceRepository, type ConsentEvidenceRow} from '../store/consent-evidence-repository.js';
import type {Database} from '../store/schema.js';
import type {ProjectionContext, ProjectionResult} from '../sync/projector.js';
import {refreshMember, rememberPerson} from '../sync/member-state.js';
import {DEFAULT_CONFIRM_WINDOW_MS} from './record-storefront-consent.js';
import {consentFromEvidence} from './storefront-consent.js';

/**
 * The checkout checkbox proves nothing by itself: its beacon (`POST /v1/consent`) is an unauthenticated request whose
 * `Origin` any script can write, so anyone could "tick the box" for anyone's address. It takes effect only when a
 * signed order or checkout for the same address (a Shopify webhook, verified by HMAC, or the generic ingest, by its
 * bearer token) was placed within the confirmation window around the tick (STOREFRONT_CONSENT_CONFIRM_HOURS, before
 * or after: the order webhook usually comes seconds after the beacon, but may come first).
 *
 * Both arrivals meet here, whichever comes first, inside the projection transaction of the event that arrives:
 * - the beacon's claim (`consent.checkout_claim`) looks for a signed order or checkout noted for the address;
 * - an order or checkout notes itself (`checkout_sightings`: the address hashed, kept for the window) and confirms
 *   the claims waiting for the address.
 * Confirming applies the beacon's consent with its evidence (as a `consent.update` would) and links the evidence row to
 * the order or checkout. A claim nothing confirms before `confirm_until` is marked `expired` and never subscribes.
 * On Postgres one advisory lock per address serialises the two sides across processes, so neither misses the other.
 */

export interface CheckoutSighting {
  type: 'order' | 'checkout';
  id: string;
  /** The order's or checkout's own time. */
  at: string;
}

export function orderSighting(order: Pick<Order, 'id' | 'processedAt' | 'updatedAt'>): CheckoutSighting {
  return {
    type: 'order',
    id: order.id,
    at: Number.isNaN(Date.parse(order.processedAt)) ? order.updatedAt : order.processedAt,
  };
}

export function cartSighting(cart: Pick<Cart, 'id' | 'updatedAt'>): CheckoutSighting {
  return {type: 'checkout', id: cart.id, at: cart.updatedAt};
}

/** Projects a ticked checkbox: confirmed at once by an order or checkout already noted, else left waiting for one. */
export async function projectCheckoutClaim(
  event: {email: string; inboxEventId: number},
  ctx: ProjectionContext,
): Promise<ProjectionResult> {
  const email = event.email.toLowerCase();
  const evidence = ctx.consentEvidence;
  await evidence.lockAddress(ctx.engine, ctx.connectionId, email);
  const row = await evidence.byInboxEvent(ctx.connectionId, event.inboxEventId);
  if (!row) return {ok: true, note: 'checkout consent without its evidence (forgotten since): nothing to confirm'};
  if (row.confirmation === 'confirmed') return {ok: true, note: 'checkout consent already confirmed by its order'};
  if (row.confirmation === 'expired') return {ok: true, note: 'checkout consent expired without an order'};
  const until = row.confirm_until ?? new Date(Date.parse(row.recorded_at) + DEFAULT_CONFIRM_WINDOW_MS).toISOString();
  if (row.confirmation === null) {
    // Stored before the confirmation rule, still unprocessed: it waits like any other, for the default window.
    await evidence.awaitOrder(row.id, until);
  }
  const claim = {...row, confirm_until: until};
  if (Date.parse(ctx.now) > Date.parse(until)) {
    await evidence.markExpired([row.id]);
    return {ok: true, note: 'checkout consent expired without an order'};
  }
  const sightings = await evidence.sightingsOf(ctx.connectionId, email);
  const match = sightings
    .map((s) => ({type: s.type, id: s.entity_id, at: s.seen_at}))
    .find((s) => withinWindow(claim, s));
  if (!match) return {ok: true, note: 'checkout consent waits for a signed order or checkout for the address'};
  await confirm(ctx, claim, match);
  await refreshMember(ctx, email);
  return {ok: true};
}

/**
 * Called by the projector for every signed order and checkout with an address (live lane only: the backfill reads
 * history, not checkouts happening now): notes it, and confirms the address's waiting claims it falls in the window of.
 */
export async function confirmCheckoutConsent(
  ctx: ProjectionContext,
  emailRaw: string,
  sighting: CheckoutSighting,
): Promise<void> {
  if (ctx.lane === 'backfill' || Number.isNaN(Date.parse(sighting.at))) return;
  const email = emailRaw.toLowerCase();
  const evidence = ctx.consentEvidence;
  await evidence.lockAddress(ctx.engine, ctx.connectionId, email);
  await evidence.noteSighting({
    connection_id: ctx.connectionId,
    email_hash: addressHash(email),
    type: sighting.type,
    entity_id: sighting.id,
    seen_at: new Date(sighting.at).toISOString(),
    recorded_at: ctx.now,
  });
  const waiting = await evidence.awaitingOrder(ctx.connectionId, email);
  const expired: number[] = [];
  let confirmed = false;
  for (const row of waiting) {
    const claim = {
      ...row,
      confirm_until:
        row.confirm_until ?? new Date(Date.parse(row.recorded_at) + DEFAULT_CONFIRM_WINDOW_MS).toISOString(),
    };
    if (Date.parse(ctx.now) > Date.parse(claim.confirm_until)) expired.push(row.id);
    else if (withinWindow(claim, sighting)) {
      await confirm(ctx, claim, sighting);
      confirmed = true;
    }
  }
  await evidence.markExpired(expired);
  if (confirmed) await refreshMember(ctx, email);
}

/**
 * Marks the claims no order confirmed in time as expired, and forgets signed orders and checkouts too old to confirm
 * a new claim. Run now and then (connector start-up, then periodically); returns how many claims expired.
 */
export async function expireCheckoutConsents(db: Kysely<Database>, now: Date, windowMs: number): Promise<number> {
  return new ConsentEvidenceRepository(db).expireDue(
    now.toISOString(),
    new Date(now.getTime() - windowMs).toISOString(),
  );
}

type Claim = Pick<
  ConsentEvidenceRow,
  'id' | 'email' | 'source' | 'recorded_at' | 'text' | 'text_version' | 'ip' | 'user_agent' | 'page'
> & {confirm_until: string};

/** The order or checkout was placed within the claim's window: as long before the tick as `confirm_until` is after it. */
function withinWindow(claim: Claim, sighting: CheckoutSighting): boolean {
  const tick = Date.parse(claim.recorded_at);
  const windowMs = Date.parse(claim.confirm_until) - tick;
  const at = Date.parse(sighting.at);
  return !Number.isNaN(at) && Math.abs(at - tick) <= windowMs;
}

async function confirm(ctx: ProjectionContext, claim: Claim, sighting: CheckoutSighting): Promise<void> {
  await rememberPerson(ctx, claim.email, {}, consentFromEvidence(claim));
  await ctx.consentEvidence.markConfirmed(claim.id, sighting, ctx.now);
}
