import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startTestConnector, type TestConnector} from '../support/connector.js';
import {consentPayload, customerPayload} from '../support/shopify-webhooks.js';

/**
 * What a member write does in Mailchimp beyond the first contact: who made an opt-out decides whether newer store
 * consent may reverse it, older deliveries never overwrite a newer profile, and an address Mailchimp refuses as fake
 * becomes one dead letter per record naming it, never retried.
 */
describe('member writes', () => {
  let t: TestConnector;
  beforeEach(async () => {
    t = await startTestConnector({env: {LAPSED_AFTER_DAYS: '36500'}});
  });
  afterEach(() => t.close());

  const member = (email: string) => t.list.members.get(subscriberHash(email));
  const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
  async function send(topic: string, body: string) {
    expect((await t.webhook(topic, body)).status).toBe(200);
  }

  it('newer store consent reverses an opt-out the connector wrote from the store: subscribed again, not pending', async () => {
    const email = 'store.optout@member-writes.test';
    await send('customers/create', customerPayload({id: '610001', email, updatedAt: ago(60)}));
    await send(
      'customers_email_marketing_consent/update',
      consentPayload({customerId: '610001', email, state: 'subscribed', updatedAt: ago(50)}),
    );
    await t.settle();
    expect(member(email)?.status).toBe('subscribed');
    await send(
      'customers_email_marketing_consent/update',
      consentPayload({customerId: '610001', email, state: 'unsubscribed', updatedAt: ago(40)}),
    );
    await t.settle();
    expect(member(email)).toMatchObject({status: 'unsubscribed', unsubscribe_reason: 'N/A (Unsubscribed by admin)'});
    await send(
      'customers_email_marketing_consent/update',
      consentPayload({customerId: '610001', email, state: 'subscribed', updatedAt: ago(30)}),
    );
    await t.settle();
    expect(member(email)?.status).toBe('subscribed');
  });

  it('an opt-out the person made in Mailchimp is only asked again through pending', async () => {
    const email = 'own.optout@member-writes.test';
    await send(
      'customers/create',
      customerPayload({id: '610002', email, updatedAt: ago(60), consent: {state: 'subscribed', updatedAt: ago(60)}}),
    );
    await t.settle();
    expect(member(email)?.status).toBe('subscribed');
    // The person clicks "unsubscribe" in a campaign; the connector has not heard of it.
    expect(
      (await t.sandbox.http().post(`/__sandbox/lists/${t.list.id}/members/${email}/unsubscribe`).send({})).status,
    ).toBeLessThan(300);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // Mailchimp's last_changed has whole seconds
    await send(
      'customers_email_marketing_consent/update',
      consentPayload({customerId: '610002', email, state: 'subscribed', updatedAt: new Date().toISOString()}),
    );
    await t.settle();
    expect(member(email)?.status).toBe('pending');
  });

  it('an older customer payload arriving after a newer one does not bring back old names', async () => {
    const email = 'names@member-writes.test';
    await send('customers/update', customerPayload({id: '610003', email, firstName: 'Newer', updatedAt: ago(30)}));
    await send('customers/create', customerPayload({id: '610003', email, firstName: 'Older', updatedAt: ago(60)}));
    await t.settle();
    expect(member(email)?.merge_fields.FNAME).toBe('Newer');
    expect(t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)?.customers.get('610003')?.first_name).toBe(
      'Newer',
    );
  });

  it('an address Mailchimp calls fake becomes dead letters naming it, each tried once', async () => {
    const email = 'foo@example.com';
    await send(
      'customers/create',
      customerPayload({id: '610004', email, updatedAt: ago(60), consent: {state: 'subscribed', updatedAt: ago(60)}}),
    );
    await t.settle();
    const letters = await t.http().get('/v1/dead-letters').set('Authorization', `Bearer ${t.adminToken}`);
    expect(letters.status).toBe(200);
    const entries = letters.body.deadLetters as Array<{entityType: string; problem: {detail?: string}}>;
    expect(entries.length).toBeGreaterThan(0);
    for (const letter of entries)
      expect(letter.problem.detail).toBe(`${email} looks fake or invalid, please enter a real email address.`);
    const writes = t.sandbox.sandbox.recorder
      .all()
      .filter((r) => r.method !== 'GET' && JSON.stringify(r.body ?? '').includes(email));
    expect(writes.length).toBe(entries.length);
    expect(member(email)).toBeUndefined();
  });
});
