import {createHash} from 'node:crypto';
import type {StoreEvent} from '../model/events.js';
import type {TombstoneKey} from '../security/tombstone-key.js';
import {isJsonObject, JsonNumber, parseLossless, type JsonValue} from '../shopify/lossless-json.js';
import type {ProjectionContext} from './projector.js';
import {ENTITY, PRIORITY} from './entity-types.js';
import {stableEcommerceId} from './mappers/ecommerce-ids.js';

/**
 * GDPR redaction, locally: every stored copy of a person's data is erased, and a tombstone (keyed hashes of their
 * addresses and customer ids, security/tombstone-key.ts) remembers that and when they were, so that nothing older
 * brings them back.
 *
 * What is erased, per connection:
 * - inbox events whose payload names the person (address as text or URL-encoded, customer id or order id where the
 *   payload carries one), found by a LIKE prefilter in the database and confirmed here, a chunk at a time: the
 *   payload is replaced (the row keeps its id, topic and times; a dedupe key holding the address is replaced too)
 *   and the event is marked redacted, so it is never replayed. Events from after the redaction stay: they are the
 *   person's own later doing (a sign-up after the redaction may recreate them);
 * - consent evidence of the address or of an erased inbox event (with what the storefront notes by the address's
 *   hash); people, purchases, e-mail aliases, the backfill's audience snapshot and resync fingerprints;
 * - sync state naming the person (member, customer, orders, carts, write-backs, anything whose desired or last
 *   error mentions them): deleted, except a cart Mailchimp holds, which becomes a deletion to send;
 * - dead letters about those records or whose problem names the person.
 * The redaction's own sync record keeps the address until Mailchimp has deleted the person; then it is scrubbed too
 * (SyncStateRepository.markSynced). SQLite zeroes what was deleted (`secure_delete`), and the WAL is checkpointed
 * and truncated after the transaction (releaseErasedBytes).
 */

export const ERASED_PAYLOAD = '{"redacted":true}';
const CHUNK = 500;

/** Everything that identifies the person locally. Addresses lower-cased. */
export interface PersonKeys {
  emails: string[];
  customerIds: string[];
  orderIds: string[];
}

interface Matcher {
  emails: string[];
  /** What the person's addresses look like in stored text: as typed, URL-encoded (Mailchimp's form bodies), and
   *  Mailchimp's subscriber hash (the MD5 of the address, in member URLs and guest customer ids). */
  textForms: string[];
  customerIds: Set<string>;
  orderIds: Set<string>;
}

type Ctx = Pick<ProjectionContext, 'people' | 'syncState' | 'erasure' | 'connectionId' | 'now'>;

/** The person as known locally: the given address and ids, plus the addresses and orders recorded with them. */
export async function knownPerson(
  ctx: Ctx,
  given: {email?: string; customerId?: string; orderIds: string[]},
): Promise<PersonKeys> {
  const emails = new Set<string>(given.email ? [given.email.trim().toLowerCase()] : []);
  const customerIds = new Set<string>(given.customerId ? [given.customerId] : []);
  const orderIds = new Set<string>(given.orderIds);
  const {people, erasure} = ctx;
  if (customerIds.size > 0) {
    const ids = [...customerIds];
    for (const row of await people.emailsOfCustomers(ctx.connectionId, ids)) emails.add(row.email);
    const aliasIds = ids.map((id) => stableEcommerceId(id));
    for (const email of await erasure.aliasEmails(aliasIds)) emails.add(email);
  }
  if (emails.size > 0) {
    for (const customerId of await people.customerIdsOf(ctx.connectionId, [...emails])) customerIds.add(customerId);
  }
  if (emails.size > 0 || customerIds.size > 0) {
    for (const orderId of await people.orderIdsOf(ctx.connectionId, [...emails], [...customerIds]))
      orderIds.add(orderId);
  }
  return {emails: [...emails], customerIds: [...customerIds], orderIds: [...orderIds]};
}

/** Erases every stored copy of the person's data (see above). `redactedAt`: inbox events up to then are erased. */
export async function erasePerson(
  ctx: Ctx,
  person: PersonKeys,
  redactedAt: string,
  options: {inboxEventId?: number} = {},
): Promise<void> {
  const m = matcherFor(person);
  if (m.emails.length === 0 && m.customerIds.size === 0 && m.orderIds.size === 0) return;
  const erasedEvents = await eraseInboxEvents(ctx, m, Date.parse(redactedAt), options.inboxEventId);
  await eraseRows(ctx, person, erasedEvents);
  const removed = await eraseSyncState(ctx, m);
  await eraseDeadLetters(ctx, m, removed);
}

/** Remembers the person (keyed hashes of each address and customer id) as erased at `redactedAt`. */
export async function writeTombstones(
  ctx: Ctx,
  key: TombstoneKey,
  person: PersonKeys,
  redactedAt: string,
): Promise<void> {
  const subjects = [...person.emails.map((e) => key.email(e)), ...person.customerIds.map((id) => key.customer(id))];
  const erasure = ctx.erasure;
  for (const subject of subjects) await erasure.writeTombstone(subject, redactedAt, ctx.now);
}

/** The latest redaction of anyone the event is about, if any (tombstones are matched by keyed hash). */
export async function redactionOf(
  ctx: Ctx,
  key: TombstoneKey,
  refs: {emails: string[]; customerIds: string[]},
): Promise<string | undefined> {
  const subjects = [...refs.emails.map((e) => key.email(e)), ...refs.customerIds.map((id) => key.customer(id))];
  if (subjects.length === 0) return undefined;
  return ctx.erasure.latestRedaction(subjects);
}

/** Whom a canonical event is about (addresses and platform customer ids), for the tombstone check. */
export function personRefsOf(event: StoreEvent): {emails: string[]; customerIds: string[]} {
  const refs = (emails: Array<string | undefined>, customerIds: Array<string | undefined>) => ({
    emails: emails.filter((e): e is string => !!e).map((e) => e.trim().toLowerCase()),
    customerIds: customerIds.filter((id): id is string => !!id),
  });
  switch (event.kind) {
    case 'customer.upsert':
      return refs([event.customer.email], [event.customer.id]);
    case 'consent.update':
      return refs([event.email], [event.customerId]);
    case 'order.upsert':
      return refs([event.order.customer.email], [event.order.customer.id]);
    case 'cart.upsert':
      return refs([event.cart.customer.email], [event.cart.customer.id]);
    case 'mailchimp.consent':
    case 'mailchimp.profile':
      return refs([event.email], []);
    case 'mailchimp.email_change':
      return refs([event.oldEmail, event.newEmail], []);
    default:
      return refs([], []);
  }
}

/** Erases one inbox event's payload in place (an event about a redacted person, dropped by the projector). */
export async function eraseInboxEvent(ctx: Pick<ProjectionContext, 'erasure' | 'now'>, id: number): Promise<void> {
  await ctx.erasure.eraseInboxPayload(id, ERASED_PAYLOAD, ctx.now);
}

function matcherFor(person: PersonKeys): Matcher {
  const emails = [...new Set(person.emails.map((e) => e.trim().toLowerCase()).filter((e) => e !== ''))];
  const textForms = [
    ...new Set(
      emails.flatMap((e) => [e, encodeURIComponent(e).toLowerCase(), createHash('md5').update(e).digest('hex')]),
    ),
  ];
  return {emails, textForms, customerIds: new Set(person.customerIds), orderIds: new Set(person.orderIds)};
}

function needlesOf(m: Matcher): string[] {
  return [...m.textForms, ...m.customerIds, ...m.orderIds];
}

/** When an inbox event happened: its trigger time, but never later than its receipt (a future time is not believed). */
export function deliveryTime(row: {triggered_at: string | null; received_at: string}): string {
  return new Date(eventTime(row)).toISOString();
}

function eventTime(row: {triggered_at: string | null; received_at: string}): number {
  const received = Date.parse(row.received_at);
  const triggered = row.triggered_at ? Date.parse(row.triggered_at) : NaN;
  return Number.isNaN(triggered) ? received : Math.min(triggered, received);
}

async function eraseInboxEvents(
  ctx: Ctx,
  m: Matcher,
  redactedAt: number,
  currentId: number | undefined,
): Promise<number[]> {
  const erased: number[] = [];
  for (const needles of batches(needlesOf(m)))
    erased.push(...(await eraseInboxEventsMentioning(ctx, m, needles, redactedAt, currentId)));
  return erased;
}

async function eraseInboxEventsMentioning(
  ctx: Ctx,
  m: Matcher,
  needles: string[],
  redactedAt: number,
  currentId: number | undefined,
): Promise<number[]> {
  const erased: number[] = [];
  const erasure = ctx.erasure;
  let after = 0;
  for (;;) {
    const rows = await erasure.inboxEventsMentioning(needles, after, CHUNK);
    for (const row of rows) {
      const id = Number(row.id);
      if (id !== currentId && eventTime(row) > redactedAt) continue; // the person's own later doing
      if (!inboxMentions(row, m)) continue;
      const dedupe = m.emails.some((e) => row.dedupe_key.toLowerCase().includes(e)) ? `redacted:${id}` : row.dedupe_key;
      await erasure.eraseInboxEvent(id, {
        payload: ERASED_PAYLOAD,
        dedupeKey: dedupe,
        now: ctx.now,
        // Nothing is left to process: a waiting or failed event is done (the current one is marked by its processor).
        ...(row.status !== 'processed' && id !== currentId ? {processedAt: ctx.now} : {}),
      });
      erased.push(id);
    }
    if (rows.length < CHUNK) return erased;
    after = Number(rows[rows.length - 1]!.id);
  }
}

function inboxMentions(row: {topic: string; payload: string; dedupe_key: string}, m: Matcher): boolean {
  const text = row.payload.toLowerCase();
  if (m.textForms.some((form) => text.includes(form))) return true;
  if (m.emails.some((e) => row.dedupe_key.toLowerCase().includes(e))) return true;
  const parsed = parseLossless(row.payload);
  if (!parsed.ok) return false;
  return topLevelMentions(row.topic, parsed.value, m) || jsonMentions(parsed.value, m);
}

/** A Shopify customers/… or orders/… payload is the customer or order itself; a generic ingest event carries it in `data`. */
function topLevelMentions(topic: string, value: JsonValue, m: Matcher): boolean {
  if (!isJsonObject(value)) return false;
  const body = isJsonObject(value.data) && typeof value.type === 'string' ? value.data : value;
  const id = scalar(body.id);
  if (id === undefined) return false;
  if (/^customers?[/.]/.test(topic)) return m.customerIds.has(id);
  if (/^orders?[/.]/.test(topic)) return m.orderIds.has(id);
  return false;
}

const CUSTOMER_ID_KEYS = new Set(['customer_id', 'customerId']);
const ORDER_ID_KEYS = new Set(['order_id', 'orderId']);

/** Anywhere in a JSON document: the address in a string, a customer or order id under a key that names one. */
function jsonMentions(value: JsonValue, m: Matcher, depth = 0): boolean {
  if (depth > 64 || value === null || typeof value === 'boolean' || value instanceof JsonNumber) return false;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (m.emails.some((e) => lower.includes(e))) return true;
    const gid = /^gid:\/\/shopify\/(Customer|Order)\/(.+)$/.exec(value);
    return gid !== null && (gid[1] === 'Customer' ? m.customerIds : m.orderIds).has(gid[2]!);
  }
  if (Array.isArray(value)) return value.some((v) => jsonMentions(v, m, depth + 1));
  for (const [key, v] of Object.entries(value)) {
    const id = scalar(v);
    if (id !== undefined && CUSTOMER_ID_KEYS.has(key) && m.customerIds.has(id)) return true;
    if (id !== undefined && ORDER_ID_KEYS.has(key) && m.orderIds.has(id)) return true;
    if (key === 'customer' && isJsonObject(v)) {
      const customerId = scalar(v.id);
      if (customerId !== undefined && m.customerIds.has(customerId)) return true;
    }
    if (jsonMentions(v, m, depth + 1)) return true;
  }
  return false;
}

function scalar(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.text;
  return undefined;
}

function textMentions(text: string | null, m: Matcher): boolean {
  if (!text) return false;
  const lower = text.toLowerCase();
  if (m.textForms.some((form) => lower.includes(form))) return true;
  const parsed = parseLossless(text);
  return parsed.ok && jsonMentions(parsed.value, m);
}

async function eraseRows(ctx: Ctx, person: PersonKeys, erasedEvents: number[]): Promise<void> {
  const erasure = ctx.erasure;
  const emails = person.emails;
  const customerIds = person.customerIds;
  for (let i = 0; i < erasedEvents.length; i += CHUNK)
    await erasure.deleteEvidenceOfInboxEvents(erasedEvents.slice(i, i + CHUNK));
  // The evidence of each address, with what the storefront keeps by it (consent-evidence-repository.ts).
  for (const email of emails) await erasure.deleteEvidenceOfEmail(email);
  if (emails.length > 0) await erasure.deleteSnapshotOf(emails);
  await ctx.people.forget(ctx.connectionId, person);
  if (emails.length > 0) await erasure.deleteAliasesOfEmails(emails);
  const mailchimpCustomerIds = customerIds.map((id) => stableEcommerceId(id));
  if (mailchimpCustomerIds.length > 0) await erasure.deleteAliasesOfCustomers(mailchimpCustomerIds);
  const seen = [...mailchimpCustomerIds, ...person.orderIds];
  if (seen.length > 0) await erasure.deleteResyncSeen(seen);
}

/** Records kept whatever they mention: the redaction's own (it carries the erasure to Mailchimp) and the store's. */
const KEPT_TYPES: string[] = [ENTITY.redaction, ENTITY.store];

async function eraseSyncState(ctx: Ctx, m: Matcher): Promise<Set<string>> {
  const removed = new Set<string>();
  for (const needles of batches(needlesOf(m))) await eraseSyncStateMentioning(ctx, m, needles, removed);
  return removed;
}

async function eraseSyncStateMentioning(ctx: Ctx, m: Matcher, needles: string[], removed: Set<string>): Promise<void> {
  let after: {type: string; id: string} | undefined;
  const repo = ctx.syncState;
  const erasure = ctx.erasure;
  for (;;) {
    const rows = await erasure.syncStateMentioning(needles, KEPT_TYPES, after, CHUNK);
    for (const row of rows) {
      const named =
        m.emails.includes(row.entity_id.toLowerCase()) ||
        (row.entity_type === ENTITY.customer && m.customerIds.has(row.entity_id)) ||
        (row.entity_type === ENTITY.order && m.orderIds.has(row.entity_id)) ||
        textMentions(row.desired, m) ||
        textMentions(row.synced_desired, m) ||
        textMentions(row.last_error, m);
      if (!named) continue;
      await repo.remove({connectionId: ctx.connectionId, entityType: row.entity_type, entityId: row.entity_id});
      removed.add(`${row.entity_type}\n${row.entity_id}`);
      if (row.entity_type === ENTITY.cart && row.synced_hash !== null) {
        // Mailchimp holds the cart (its customer, its recovery link): it goes there too, as a deletion naming nobody.
        await repo.desire(
          {connectionId: ctx.connectionId, entityType: ENTITY.cart, entityId: row.entity_id},
          {id: row.entity_id, deleted: true, reason: 'redacted'},
          ctx.now,
          {now: ctx.now, priority: PRIORITY.live},
        );
      }
    }
    if (rows.length < CHUNK) return;
    const last = rows[rows.length - 1]!;
    after = {type: last.entity_type, id: last.entity_id};
  }
}

async function eraseDeadLetters(ctx: Ctx, m: Matcher, removed: Set<string>): Promise<void> {
  const erasure = ctx.erasure;
  // The dead letters of the records just removed, by key.
  const byType = new Map<string, string[]>();
  for (const key of removed) {
    const [type, id] = key.split('\n') as [string, string];
    byType.set(type, [...(byType.get(type) ?? []), id]);
  }
  for (const [type, ids] of byType) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await erasure.deleteDeadLettersOf(type, ids.slice(i, i + CHUNK));
    }
  }
  // And any other whose problem or entity names the person.
  for (const needles of batches(needlesOf(m))) {
    let after = 0;
    for (;;) {
      const rows = await erasure.deadLettersMentioning(needles, ENTITY.redaction, after, CHUNK);
      const doomed = rows
        .filter(
          (row) =>
            m.emails.includes(row.entity_id.toLowerCase()) ||
            (row.entity_type === ENTITY.customer && m.customerIds.has(row.entity_id)) ||
            (row.entity_type === ENTITY.order && m.orderIds.has(row.entity_id)) ||
            textMentions(row.problem, m),
        )
        .map((row) => Number(row.id));
      if (doomed.length > 0) await erasure.deleteDeadLetters(doomed);
      if (rows.length < CHUNK) break;
      after = Number(rows[rows.length - 1]!.id);
    }
  }
}

/** Needles a query at a time: every needle is a LIKE per column, and SQLite caps an expression's depth (1000). */
function batches(needles: string[], size = 40): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < needles.length; i += size) out.push(needles.slice(i, i + size));
  return out;
}
