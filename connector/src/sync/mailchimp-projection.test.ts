import {openEngine, type EngineName} from '../../../test/support/databases.js';
import {describeWithService, POSTGRES} from '../../../test/support/services.js';
import type {Consent} from '../model/consent.js';
import type {StoreEvent} from '../model/events.js';
import {asId, type CustomerId} from '../model/ids.js';
import type {Store} from '../store/database.js';
import type {ConfirmedChange} from '../mailchimp-webhooks/mailchimp-confirmation.js';
import {applyConfirmedChange} from './mailchimp-projection.js';
import {project, projectionContext} from './projector.js';

const shopify = (state: Consent['state'], updatedAt: string): Consent => ({state, source: 'shopify', updatedAt});
const mailchimp = (state: Consent['state'], updatedAt: string): Consent => ({state, source: 'mailchimp', updatedAt});
const EMAIL = 'ada@shop.test';

describe('Mailchimp changes in the projection, on sqlite', () => suite('sqlite'));
describeWithService(POSTGRES, 'Mailchimp changes in the projection, on postgres', () => suite('postgres'));

function suite(engine: EngineName): void {
  let store: Store & {dropAll(): Promise<void>};
  beforeEach(async () => {
    store = await openEngine(engine);
    await store.db
      .insertInto('connections')
      .values({
        id: 'c1',
        shop_domain: 'ada-shop.myshopify.com',
        platform: 'shopify',
        mailchimp_store_id: 's1',
        mailchimp_list_id: 'L1',
        mailchimp_account: 'a',
        mailchimp_credentials: 'x',
        shopify_credentials: null,
        ingest_token_hash: null,
        double_opt_in: 0,
        settings: '{}',
        status: 'active',
        store_created: 1,
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
      })
      .execute();
  });
  afterEach(() => store.dropAll());

  const run = (event: StoreEvent, now = '2026-06-01T00:00:00.000Z') =>
    store.db.transaction().execute(async (trx) => {
      const result = await project(event, projectionContext(trx, store.engine, {connectionId: 'c1', now}));
      if (!result.ok) throw new Error(result.error);
      return result;
    });
  /** What the confirmation processor does once Mailchimp confirmed a change. */
  const apply = (change: ConfirmedChange, options = {emailChangeWriteBack: true}, now = '2026-06-01T00:00:00.000Z') =>
    store.db.transaction().execute(async (trx) => {
      const result = await applyConfirmedChange(
        change,
        projectionContext(trx, store.engine, {connectionId: 'c1', now}),
        options,
      );
      if (!result.ok) throw new Error(result.error);
      return result;
    });
  const row = (type: string, id = EMAIL) =>
    store.db
      .selectFrom('sync_state')
      .selectAll()
      .where('entity_type', '=', type)
      .where('entity_id', '=', id)
      .executeTakeFirst();
  const consent = async () => {
    const p = await store.db
      .selectFrom('people')
      .select('consent')
      .where('email', '=', EMAIL)
      .executeTakeFirstOrThrow();
    return JSON.parse(p.consent!) as Consent;
  };
  /** What the worker does once Mailchimp accepted the member. */
  const markMemberSent = () =>
    store.db
      .updateTable('sync_state')
      .set((eb) => ({status: 'synced', synced_hash: eb.ref('desired_hash'), synced_desired: eb.ref('desired')}))
      .where('entity_type', '=', 'member')
      .execute();
  const customer = (c: Consent): StoreEvent => ({
    kind: 'customer.upsert',
    customer: {
      id: asId<CustomerId>('42'),
      email: EMAIL,
      firstName: 'Ada',
      tags: [],
      consent: c,
      updatedAt: c.updatedAt,
    },
  });

  it('applies an unsubscribe as already in Mailchimp, queues the store write-back, and recognises its echo', async () => {
    await run(customer(shopify('subscribed', '2026-01-01T00:00:00.000Z')));
    await markMemberSent();
    await apply({
      kind: 'consent',
      email: 'ADA@shop.test',
      consent: mailchimp('unsubscribed', '2026-02-01T10:00:00.000Z'),
      reason: 'unsubscribe',
    });

    expect(await consent()).toEqual(mailchimp('unsubscribed', '2026-02-01T10:00:00.000Z'));
    const member = (await row('member'))!;
    expect(member.status).toBe('synced');
    expect(member.synced_hash).toBe(member.desired_hash);
    expect(JSON.parse((await row('shopify_consent'))!.desired)).toEqual({
      email: EMAIL,
      customerId: '42',
      state: 'UNSUBSCRIBED',
      consentUpdatedAt: '2026-02-01T10:00:00.000Z',
      reason: 'unsubscribe',
    });

    // Shopify reports the write-back back (same state, same consent time): nothing changes, nothing to send.
    const echo = await run({
      kind: 'consent.update',
      customerId: asId<CustomerId>('42'),
      email: EMAIL,
      consent: shopify('unsubscribed', '2026-02-01T10:00:00+00:00'),
    });
    expect(echo.note).toMatch(/write-back/);
    expect(await consent()).toEqual(mailchimp('unsubscribed', '2026-02-01T10:00:00.000Z'));
    expect((await row('member'))!.status).toBe('synced');
    // The same in an older customer payload that still carries the consent.
    await run(customer(shopify('unsubscribed', '2026-02-01T10:00:00.000Z')));
    expect(await consent()).toEqual(mailchimp('unsubscribed', '2026-02-01T10:00:00.000Z'));

    // A later, real change in the store is not an echo: it goes to Mailchimp.
    await run({
      kind: 'consent.update',
      customerId: asId<CustomerId>('42'),
      email: EMAIL,
      consent: shopify('subscribed', '2026-03-01T00:00:00.000Z'),
    });
    expect(await consent()).toEqual(shopify('subscribed', '2026-03-01T00:00:00.000Z'));
    expect((await row('member'))!.status).toBe('pending');
  });

  it('leaves an older Mailchimp event unapplied, and a member with unsent changes pending', async () => {
    await run(customer(shopify('subscribed', '2026-03-01T00:00:00.000Z')));
    // Not sent yet: the member stays pending whatever Mailchimp reports.
    await apply({
      kind: 'consent',
      email: EMAIL,
      consent: mailchimp('unsubscribed', '2026-02-01T00:00:00.000Z'),
      reason: 'unsubscribe',
    });
    expect(await consent()).toEqual(shopify('subscribed', '2026-03-01T00:00:00.000Z'));
    expect((await row('member'))!.status).toBe('pending');
    expect(await row('shopify_consent')).toBeUndefined();
  });

  it('moves a person to a new address and, with the address write-back on, queues names and address for the store', async () => {
    await run(customer(shopify('subscribed', '2026-01-01T00:00:00.000Z')));
    await markMemberSent();
    await apply({kind: 'profile', email: EMAIL, firstName: 'Adelaide', at: '2026-02-01T00:00:00.000Z'});
    await apply({kind: 'email_change', oldEmail: EMAIL, newEmail: 'ada.new@shop.test', at: '2026-02-02T00:00:00.000Z'});
    const moved = await store.db.selectFrom('people').selectAll().where('connection_id', '=', 'c1').execute();
    expect(moved.map((p) => [p.email, p.customer_id, p.first_name])).toEqual([['ada.new@shop.test', '42', 'Adelaide']]);
    expect(await row('member')).toBeUndefined();
    expect((await row('member', 'ada.new@shop.test'))!.status).toBe('synced');
    expect(JSON.parse((await row('shopify_customer', '42'))!.desired)).toEqual({
      email: EMAIL,
      customerId: '42',
      firstName: 'Adelaide',
      newEmail: 'ada.new@shop.test',
      at: '2026-02-02T00:00:00.000Z',
    });
  });
  it('without the address write-back, records a confirmed address change for the operator and queues only the names', async () => {
    await run(customer(shopify('subscribed', '2026-01-01T00:00:00.000Z')));
    await markMemberSent();
    await apply(
      {kind: 'profile', email: EMAIL, firstName: 'Adelaide', at: '2026-02-01T00:00:00.000Z'},
      {emailChangeWriteBack: false},
    );
    await apply(
      {kind: 'email_change', oldEmail: EMAIL, newEmail: 'ada.new@shop.test', at: '2026-02-02T00:00:00.000Z'},
      {emailChangeWriteBack: false},
      '2026-06-01T00:00:01.000Z',
    );
    expect(JSON.parse((await row('shopify_customer', '42'))!.desired)).toEqual({
      email: EMAIL,
      customerId: '42',
      firstName: 'Adelaide',
      at: '2026-02-01T00:00:00.000Z',
    });
    const change = (await row('shopify_email_change', '42'))!;
    expect(change.status).toBe('skipped');
    expect(JSON.parse(change.desired)).toEqual({
      oldEmail: EMAIL,
      newEmail: 'ada.new@shop.test',
      customerId: '42',
      changedAt: '2026-02-02T00:00:00.000Z',
      recordedAt: '2026-06-01T00:00:01.000Z',
      confirmed: true,
    });
    // A second change keeps the address the store knows.
    await apply(
      {
        kind: 'email_change',
        oldEmail: 'ada.new@shop.test',
        newEmail: 'ada.third@shop.test',
        at: '2026-02-03T00:00:00.000Z',
      },
      {emailChangeWriteBack: false},
      '2026-06-01T00:00:02.000Z',
    );
    expect(JSON.parse((await row('shopify_email_change', '42'))!.desired)).toMatchObject({
      oldEmail: EMAIL,
      newEmail: 'ada.third@shop.test',
    });
  });

  it('projecting a webhook event only records a hint to confirm with Mailchimp; hints for one address merge', async () => {
    await run(customer(shopify('subscribed', '2026-01-01T00:00:00.000Z')));
    await markMemberSent();
    const member = await row('member');
    await run(
      {
        kind: 'mailchimp.consent',
        email: 'ADA@shop.test',
        consent: mailchimp('unsubscribed', '2026-02-01T10:00:00.000Z'),
        reason: 'unsubscribe',
      },
      '2026-06-01T00:00:00.000Z',
    );
    await run(
      {kind: 'mailchimp.profile', email: EMAIL, firstName: 'Mallory', at: '2026-02-01T11:00:00.000Z'},
      '2026-06-01T00:00:01.000Z',
    );
    expect(await consent()).toEqual(shopify('subscribed', '2026-01-01T00:00:00.000Z'));
    expect(await row('member')).toEqual(member);
    expect(await row('shopify_consent')).toBeUndefined();
    expect(await row('shopify_customer', '42')).toBeUndefined();
    const hint = (await row('mailchimp_confirm'))!;
    expect(hint.status).toBe('pending');
    expect(JSON.parse(hint.desired)).toEqual({
      email: EMAIL,
      consent: {state: 'unsubscribed', reason: 'unsubscribe', at: '2026-02-01T10:00:00.000Z'},
      profile: {at: '2026-02-01T11:00:00.000Z'},
      requestedAt: '2026-06-01T00:00:01.000Z',
    });
    await run({
      kind: 'mailchimp.email_change',
      oldEmail: EMAIL,
      newEmail: 'Ada.New@shop.test',
      at: '2026-02-02T00:00:00.000Z',
    });
    expect(JSON.parse((await row('mailchimp_confirm', 'ada.new@shop.test'))!.desired)).toMatchObject({
      email: 'ada.new@shop.test',
      emailChange: {oldEmail: EMAIL},
    });
  });
}
