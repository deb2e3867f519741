import {openEngine, type EngineName} from '../../../test/support/databases.js';
import {describeWithService, POSTGRES} from '../../../test/support/services.js';
import {recordStorefrontConsent} from '../storefront/record-storefront-consent.js';
import {parseStorefrontRequest} from '../storefront/storefront-request.js';
import {project, projectionContext} from '../sync/projector.js';
import type {Connection} from './connections-repository.js';
import {ConsentEvidenceRepository, deleteConsentEvidence} from './consent-evidence-repository.js';
import type {Store} from './database.js';

const T0 = '2026-03-01T12:00:00.000Z';
const CONNECTION = {
  id: 'c1',
  shopDomain: 'x.myshopify.com',
  platform: 'shopify',
  doubleOptIn: false,
  status: 'active',
  settings: {},
} as unknown as Connection;

describe('consent evidence on sqlite', () => evidenceSuite('sqlite'));
describeWithService(POSTGRES, 'consent evidence on postgres', () => evidenceSuite('postgres'));

function evidenceSuite(engine: EngineName): void {
  let store: Store & {dropAll(): Promise<void>};
  beforeEach(async () => {
    store = await openEngine(engine);
  });
  afterEach(async () => {
    await store.dropAll();
  });

  const subscribe = (email: string, requestId?: string) => {
    const parsed = parseStorefrontRequest('subscribe', {
      shop: 'x.myshopify.com',
      email,
      consent_text: 'Yes, email me.',
      ...(requestId ? {request_id: requestId} : {}),
    });
    if (!parsed.ok) throw new Error('invalid request');
    return recordStorefrontConsent(store.db, {
      connection: CONNECTION,
      kind: 'subscribe',
      request: parsed.request,
      context: {receivedAt: T0, ip: '2001:db8::1', userAgent: 'UA'},
    });
  };

  it('stores the inbox event and its evidence together, once per submission', async () => {
    const first = await subscribe('Ada@Example-mail.com', 'submission-0001');
    const retry = await subscribe('ada@example-mail.com', 'submission-0001');
    const other = await subscribe('ada@example-mail.com');
    expect(first).toEqual({status: 'pending_confirmation', inboxEventId: expect.any(Number), duplicate: false});
    expect(retry).toEqual({status: 'pending_confirmation', inboxEventId: first.inboxEventId, duplicate: true});
    expect(other.duplicate).toBe(false);
    const rows = await new ConsentEvidenceRepository(store.db).forEmail('c1', 'ADA@example-mail.com');
    expect(rows.map((r) => r.inbox_event_id)).toEqual([first.inboxEventId, other.inboxEventId]);
    expect(rows[0]).toMatchObject({
      email: 'ada@example-mail.com',
      source: 'subscribe_form',
      state: 'subscribed',
      text: 'Yes, email me.',
      ip: '2001:db8::1',
      user_agent: 'UA',
      recorded_at: T0,
    });
    const inbox = await store.db.selectFrom('inbox_events').select(['source', 'topic']).execute();
    expect(inbox).toEqual([
      {source: 'storefront', topic: 'storefront/subscribe'},
      {source: 'storefront', topic: 'storefront/subscribe'},
    ]);
  });

  it('keeps the storefront opt-in sources on the person (migration 0002) until an opt-out', async () => {
    const ctx = projectionContext(store.db, store.engine, {connectionId: 'c1', now: T0});
    const evidence = {text: 'Yes'};
    await project(
      {
        kind: 'consent.update',
        email: 'lin@example-mail.com',
        consent: {state: 'subscribed', source: 'subscribe_form', updatedAt: '2026-03-01T10:00:00Z', evidence},
      },
      ctx,
    );
    await project(
      {
        kind: 'consent.update',
        email: 'lin@example-mail.com',
        consent: {state: 'subscribed', source: 'checkout_checkbox', updatedAt: '2026-03-01T11:00:00Z', evidence},
      },
      ctx,
    );
    const person = () =>
      store.db
        .selectFrom('people')
        .select(['opt_in_sources'])
        .where('email', '=', 'lin@example-mail.com')
        .executeTakeFirstOrThrow();
    expect(JSON.parse((await person()).opt_in_sources!)).toEqual(['checkout_checkbox', 'subscribe_form']);
    const member = await store.db
      .selectFrom('sync_state')
      .select('desired')
      .where('entity_type', '=', 'member')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(member.desired).optInSources).toEqual(['checkout_checkbox', 'subscribe_form']);
    await project(
      {
        kind: 'consent.update',
        email: 'lin@example-mail.com',
        consent: {state: 'unsubscribed', source: 'shopify', updatedAt: '2026-03-01T12:00:00Z'},
      },
      ctx,
    );
    expect((await person()).opt_in_sources).toBeNull();
  });

  it("deletes a person's evidence, or a whole shop's", async () => {
    await subscribe('a@example-mail.com');
    await subscribe('b@example-mail.com');
    await deleteConsentEvidence(store.db, 'c1', 'A@example-mail.com');
    expect((await store.db.selectFrom('consent_evidence').select('email').execute()).map((r) => r.email)).toEqual([
      'b@example-mail.com',
    ]);
    await deleteConsentEvidence(store.db, 'c1');
    expect(await store.db.selectFrom('consent_evidence').selectAll().execute()).toEqual([]);
  });
}
