import {startMailchimpTarget, syncRecord, type MailchimpTarget} from '../../../../test/support/mailchimp-target.js';
import {ENTITY} from '../entity-types.js';
import {tee} from '../mappers/fixtures/catalog.js';
import {productToMailchimp} from '../mappers/product-to-mailchimp.js';
import {ProductProcessor} from './product-processor.js';

let mc: MailchimpTarget;
let processor: ProductProcessor;
beforeEach(async () => {
  mc = await startMailchimpTarget({store: true});
  processor = new ProductProcessor({storeTarget: () => Promise.resolve(mc.target)});
  mc.sandbox.sandbox.recorder.clear();
});
afterEach(async () => {
  await mc.close();
});

/** The product requests Mailchimp received, as `METHOD status`. */
const productCalls = () =>
  mc.sandbox.sandbox.recorder
    .all()
    .filter((r) => r.path.includes('/products'))
    .map((r) => `${r.method} ${r.status}`);
const held = () => mc.target.client.products.get(mc.target.storeId, tee.id);

describe('product processor', () => {
  it('sends a product our state says Mailchimp never held with one request (POST)', async () => {
    expect(await processor.process(syncRecord(ENTITY.product, tee.id, tee), tee)).toEqual({kind: 'synced'});
    expect(productCalls()).toEqual(['POST 200']);
    expect((await held())?.title).toBe(tee.title);
  });

  it('updates a product sent before with one request (PATCH)', async () => {
    await mc.target.client.products.create(mc.target.storeId, productToMailchimp(tee));
    mc.sandbox.sandbox.recorder.clear();
    const renamed = {...tee, title: 'Renamed Tee'};
    const record = syncRecord(ENTITY.product, tee.id, renamed, {synced_hash: 'sent-before'});
    expect(await processor.process(record, renamed)).toEqual({kind: 'synced'});
    expect(productCalls()).toEqual(['PATCH 200']);
    expect((await held())?.title).toBe('Renamed Tee');
  });

  it('a product Mailchimp already holds while our state believes it new: POST answered 400, then PATCH, synced', async () => {
    await mc.target.client.products.create(mc.target.storeId, productToMailchimp(tee));
    mc.sandbox.sandbox.recorder.clear();
    const renamed = {...tee, title: 'Renamed Tee'};
    expect(await processor.process(syncRecord(ENTITY.product, tee.id, renamed), renamed)).toEqual({kind: 'synced'});
    expect(productCalls()).toEqual(['POST 400', 'PATCH 200']);
    expect((await held())?.title).toBe('Renamed Tee');
  });
});
