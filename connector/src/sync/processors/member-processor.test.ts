import {startMailchimpTarget, syncRecord, type MailchimpTarget} from '../../../../test/support/mailchimp-target.js';
import type {Member} from '../../mailchimp/types/members.js';
import type {Consent} from '../../model/consent.js';
import {openStore, type Store} from '../../store/database.js';
import {ENTITY} from '../entity-types.js';
import type {MemberDesired} from '../projector.js';
import {MemberProcessor} from './member-processor.js';
import {ProductCatalog} from './product-catalog.js';

const EMAIL = 'ada@shop.test';

let store: Store;
let mc: MailchimpTarget;
let processor: MemberProcessor;

async function start(options: {doubleOptIn?: boolean} = {}) {
  mc = await startMailchimpTarget({store: true, ...options});
  processor = new MemberProcessor({target: () => Promise.resolve(mc.target)}, new ProductCatalog(store.db), () => ({}));
}

beforeEach(async () => {
  store = await openStore({url: 'sqlite::memory:'});
});
afterEach(async () => {
  await mc.close();
  await store.close();
});

const send = (desired: MemberDesired) => processor.process(syncRecord(ENTITY.member, desired.email, desired), desired);
const member = () => mc.target.client.members.get(mc.target.listId, EMAIL, {fields: ['status', 'email_address']});

function consent(over: Partial<Consent> = {}): Consent {
  return {state: 'subscribed', source: 'shopify', updatedAt: new Date(Date.now() - 60_000).toISOString(), ...over};
}

describe('member processor', () => {
  it('a contact made transactional between the look-up and the write still ends subscribed (first contact)', async () => {
    await start();
    const {client, storeId} = mc.target;
    const lookUp = client.members.get.bind(client.members);
    // Our own e-commerce customer write lands right after the member look-up answered 404: Mailchimp then holds a
    // transactional contact, on which the member write's status_if_new does nothing.
    jest.spyOn(client.members, 'get').mockImplementationOnce(async (...args) => {
      const found = await lookUp(...args);
      await client.customers.upsert(storeId, {id: 'cust-1', email_address: EMAIL, opt_in_status: false});
      return found;
    });
    const outcome = await send({email: EMAIL, customerId: 'cust-1', consent: consent(), purchases: []});
    expect(outcome).toEqual({kind: 'synced'});
    expect((await member())?.status).toBe('subscribed');
  });

  it('a new member with consent is subscribed, one without is a transactional contact', async () => {
    await start();
    await send({email: EMAIL, customerId: 'cust-1', consent: consent(), purchases: []});
    expect((await member())?.status).toBe('subscribed');
    await send({email: 'bo@shop.test', customerId: 'cust-2', purchases: []});
    const other = await mc.target.client.members.get(mc.target.listId, 'bo@shop.test', {fields: ['status']});
    expect(other?.status).toBe('transactional');
  });

  it('makes no contact for a person without a reason (no customer, no order, no consent)', async () => {
    await start();
    expect(await send({email: EMAIL, purchases: []})).toEqual({kind: 'synced'});
    expect(await member()).toBeNull();
  });

  it('writes nothing for a redacted address', async () => {
    await start();
    await send({email: EMAIL, customerId: 'cust-1', consent: consent({state: 'redacted'}), purchases: []});
    expect(await member()).toBeNull();
  });

  it('a write refused for the compliance state falls back to pending when the consent may ask again', async () => {
    await start();
    await send({email: EMAIL, customerId: 'cust-1', consent: consent(), purchases: []});
    // The person unsubscribes themselves right after our look-up (which still saw a transactional contact): the
    // subscribed write is refused ("Member In Compliance State"), and only a confirmation request may follow.
    const {client} = mc.target;
    jest.spyOn(client.members, 'get').mockResolvedValueOnce({status: 'transactional', tags: []} as unknown as Member);
    const unsubscribed = await mc.sandbox
      .http()
      .post(`/__sandbox/lists/${mc.target.listId}/members/${EMAIL}/unsubscribe`)
      .send({});
    expect(unsubscribed.status).toBe(200);
    const upserts = jest.spyOn(client.members, 'upsert');
    const fresh = consent({updatedAt: new Date(Date.now() + 60_000).toISOString()});
    expect(await send({email: EMAIL, customerId: 'cust-1', consent: fresh, purchases: []})).toEqual({kind: 'synced'});
    expect(upserts.mock.calls.map(([, body]) => body.status)).toEqual(['subscribed', 'pending']);
    expect((await member())?.status).toBe('pending');
  });
});
