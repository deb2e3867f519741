import pino from 'pino';
import {
  startMailchimpTarget,
  syncRecord,
  TEST_CONNECTION_ID,
  type MailchimpTarget,
} from '../../../../test/support/mailchimp-target.js';
import type {Order} from '../../model/entities.js';
import {asId, type CustomerId, type ProductId, type VariantId} from '../../model/ids.js';
import {openStore, type Store} from '../../store/database.js';
import {SyncStateRepository} from '../../store/sync-state-repository.js';
import {ENTITY} from '../entity-types.js';
import {guestCustomerId} from '../mappers/ecommerce-ids.js';
import {oneLineOrder} from '../mappers/fixtures/orders.js';
import {contentHash, stableStringify} from '../stable-json.js';
import {CampaignCache} from './campaign-cache.js';
import {CustomerEmails} from './customer-emails.js';
import {CustomerIdentities} from './customer-identity.js';
import {LineReadiness} from './line-readiness.js';
import {OrderProcessor} from './order-processor.js';
import {ProductCatalog} from './product-catalog.js';

const T1 = '2026-01-01T10:00:00.000Z';
const money = (minor: number) => ({minor, currency: 'EUR'});

let store: Store;
let mc: MailchimpTarget;
let processor: OrderProcessor;
beforeEach(async () => {
  store = await openStore({url: 'sqlite::memory:'});
  mc = await startMailchimpTarget({store: true});
  const products = new ProductCatalog(store.db);
  const campaigns = new CampaignCache({logger: pino({level: 'silent'})});
  processor = new OrderProcessor({
    stores: {storeTarget: () => Promise.resolve(mc.target)},
    lines: new LineReadiness(products, campaigns),
    emails: new CustomerEmails(store.db),
    identities: new CustomerIdentities(store.db, () => new Date(T1)),
    campaigns,
  });
});
afterEach(async () => {
  await mc.close();
  await store.close();
});

function order(over: Partial<Order> = {}): Order {
  return oneLineOrder({id: 'o1', lineId: 'l1', email: 'ada@shop.test', priceMinor: 2_500, at: T1}, over);
}

const send = (value: Order) => processor.process(syncRecord(ENTITY.order, value.id, value), value);
const mailchimpOrder = (id = 'o1') => mc.target.client.orders.get(mc.target.storeId, id);

/** A product the projector has desired but the worker has not sent yet. */
async function pendingProduct(id: string) {
  const json = stableStringify({id, title: id, images: [], variants: [], collections: [], updatedAt: T1});
  await new SyncStateRepository(store.db, store.engine).upsertDesired({
    connectionId: TEST_CONNECTION_ID,
    entityType: ENTITY.product,
    entityId: id,
    desired: json,
    version: T1,
    hash: contentHash(json),
    now: T1,
  });
}

/** A product Mailchimp holds and our sync state knows as sent (p1 with variant v1, the fixture order's line). */
async function sentProduct(id = 'p1') {
  const product = {
    id,
    title: 'Mug',
    handle: 'mug',
    images: [],
    collections: [],
    variants: [{id: 'v1', productId: id, title: 'Mug', price: money(2_500), visible: true}],
    updatedAt: T1,
  };
  await mc.target.client.products.create(mc.target.storeId, {
    id,
    title: 'Mug',
    variants: [{id: 'v1', title: 'Mug', price: 25}],
  });
  const json = stableStringify(product);
  const repo = new SyncStateRepository(store.db, store.engine);
  const key = {connectionId: TEST_CONNECTION_ID, entityType: ENTITY.product, entityId: id};
  await repo.upsertDesired({...key, desired: json, version: T1, hash: contentHash(json), now: T1});
  await repo.acknowledge(key, contentHash(json), json, T1);
}

/** The requests Mailchimp received since the last clear, as `METHOD template-ish path status`. */
const calls = () =>
  mc.sandbox.sandbox.recorder.all().map((r) => `${r.method} ${r.path.replace(/^.*\/stores\/[^/]+/, '')} ${r.status}`);

describe('order processor', () => {
  it('sends a new order (never sent, its products held) with exactly one request: the POST', async () => {
    await sentProduct();
    mc.sandbox.sandbox.recorder.clear();
    expect(await send(order())).toEqual({kind: 'synced'});
    expect(calls()).toEqual(['POST /orders 200']);
    expect((await mailchimpOrder())?.lines?.map((l) => l.product_id)).toEqual(['p1']);
  });

  it('an order Mailchimp already holds while our state believes it new: POST answered 400, then PATCH, synced', async () => {
    await sentProduct();
    await send(order());
    mc.sandbox.sandbox.recorder.clear();
    const fulfilled = order({fulfillmentStatus: 'fulfilled'});
    expect(await send(fulfilled)).toEqual({kind: 'synced'});
    expect(calls()).toEqual(['POST /orders 400', 'PATCH /orders/o1 200']);
    expect((await mailchimpOrder())?.fulfillment_status).toBe('shipped');
  });

  it('updates an order sent before with one request (PATCH)', async () => {
    await sentProduct();
    await send(order());
    mc.sandbox.sandbox.recorder.clear();
    const fulfilled = order({fulfillmentStatus: 'fulfilled'});
    const record = syncRecord(ENTITY.order, 'o1', fulfilled, {synced_hash: 'sent-before'});
    expect(await processor.process(record, fulfilled)).toEqual({kind: 'synced'});
    expect(calls()).toEqual(['PATCH /orders/o1 200']);
  });

  it.each([
    ['unpaid', {financialStatus: 'pending'}],
    ['test', {isTest: true}],
    ['voided', {financialStatus: 'voided'}],
  ] as const)('does not send a %s order (not a purchase) and reports it synced', async (_kind, over) => {
    expect(await send(order(over))).toEqual({kind: 'synced'});
    expect(await mailchimpOrder()).toBeNull();
    expect(await mc.target.client.orders.count(mc.target.storeId)).toBe(0);
  });

  it('sends a line whose product Mailchimp does not hold with a placeholder product', async () => {
    expect(await send(order())).toEqual({kind: 'synced'});
    const sent = await mailchimpOrder();
    expect(sent?.lines?.map((l) => l.product_id)).toEqual(['deleted_p1']);
    const placeholder = await mc.target.client.products.get(mc.target.storeId, 'deleted_p1');
    expect(placeholder).not.toBeNull();
  });

  it('waits while a product the lines name is still on its way to Mailchimp', async () => {
    await pendingProduct('p1');
    const outcome = await send(order());
    expect(outcome).toMatchObject({kind: 'wait', reason: 'waiting for products p1'});
    expect(await mailchimpOrder()).toBeNull();
  });

  it("files a guest's order under the customer id derived from the address", async () => {
    await send(order({customer: {email: 'Guest@Shop.test'}}));
    expect((await mailchimpOrder())?.customer?.id).toBe(guestCustomerId('guest@shop.test'));
  });

  it('completes a customer named by id only with the address known locally; without one nothing is sent', async () => {
    await send(order({customer: {id: asId<CustomerId>('cust-9')}}));
    expect(await mailchimpOrder()).toBeNull();

    await store.db
      .insertInto('people')
      .values({
        connection_id: TEST_CONNECTION_ID,
        email: 'known@shop.test',
        customer_id: 'cust-9',
        first_name: null,
        last_name: null,
        consent: null,
        consent_at: null,
        opt_in_sources: null,
        updated_at: T1,
      })
      .execute();
    await send(order({customer: {id: asId<CustomerId>('cust-9')}}));
    expect((await mailchimpOrder())?.customer).toMatchObject({id: 'cust-9', email_address: 'known@shop.test'});
  });

  it('removes a line refunded in full from the order Mailchimp holds and reduces a partially refunded one', async () => {
    const lines: Order['lines'] = [
      {
        id: 'l1',
        productId: asId<ProductId>('p1'),
        variantId: asId<VariantId>('v1'),
        title: 'Mug',
        quantity: 3,
        price: money(1_000),
        discount: money(0),
      },
      {
        id: 'l2',
        productId: asId<ProductId>('p2'),
        variantId: asId<VariantId>('v2'),
        title: 'Plate',
        quantity: 1,
        price: money(500),
        discount: money(0),
      },
    ];
    const placed = order({total: money(3_500), lines});
    await send(placed);
    expect((await mailchimpOrder())?.lines?.map((l) => [l.id, l.quantity])).toEqual([
      ['l1', 3],
      ['l2', 1],
    ]);

    const refunded = order({
      total: money(3_500),
      lines,
      financialStatus: 'partially_refunded',
      refunds: [
        {
          id: 'r1',
          createdAt: T1,
          amount: money(1_500),
          lines: [
            {lineId: 'l2', quantity: 1, subtotal: money(500)},
            {lineId: 'l1', quantity: 1, subtotal: money(1_000)},
          ],
        },
      ],
    });
    expect(
      await processor.process(syncRecord(ENTITY.order, 'o1', refunded, {synced_hash: 'sent-before'}), refunded),
    ).toEqual({kind: 'synced'});
    const held = await mailchimpOrder();
    expect(held?.lines?.map((l) => [l.id, l.quantity])).toEqual([['l1', 2]]);
    expect(held?.order_total).toBe(20);
    expect(held?.financial_status).toBe('partially_refunded');
  });
});
