import {createHash} from 'node:crypto';
import {gunzipSync} from 'node:zlib';
import {extract} from 'tar-stream';
import mailchimp from '@mailchimp/mailchimp_marketing';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import {startTestSandbox, type TestSandbox} from '../support/sandbox.js';

/**
 * Flows driven through Mailchimp's own Node client (`@mailchimp/mailchimp_marketing`, a client nobody here wrote)
 * against the sandbox: if the sandbox spoke a dialect of its own, these would fail where our connector's tests pass.
 * The client is a process-wide singleton; it is pointed at the sandbox by setting `basePath` (stack notes §6).
 */

const md5 = (email: string) => createHash('md5').update(email.toLowerCase()).digest('hex');

/** The client rejects non-2xx answers with superagent's error: `status` and the parsed problem in `response.body`. */
interface ClientError {
  status: number;
  response: {body: {title: string; status: number; detail: string; errors?: Array<{field: string; message: string}>}};
}

async function rejectionOf(promise: Promise<unknown>): Promise<ClientError> {
  try {
    await promise;
  } catch (err) {
    return err as ClientError;
  }
  throw new Error('expected the call to be rejected');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the batch results archive: every JSON file's `{status_code, operation_id, response}` entries. */
async function readResultsArchive(
  url: string,
): Promise<Array<{status_code: number; operation_id: string | null; response: string}>> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const tar = gunzipSync(Buffer.from(await res.arrayBuffer()));
  const reader = extract();
  const results: Array<{status_code: number; operation_id: string | null; response: string}> = [];
  const done = (async () => {
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (entry.header.type === 'file' && entry.header.name.endsWith('.json'))
        results.push(...JSON.parse(Buffer.concat(chunks).toString('utf8')));
    }
  })();
  reader.end(tar);
  await done;
  return results;
}

describe('the official Mailchimp Node client against the sandbox', () => {
  let sandbox: TestSandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    mailchimp.setConfig({apiKey: sandbox.apiKey});
    mailchimp.basePath = sandbox.baseUrl;
  });
  afterAll(() => sandbox.close());

  it('pings', async () => {
    await expect(mailchimp.ping.get()).resolves.toEqual({health_status: "Everything's Chimpy!"});
  });

  it('creates an audience, upserts a member, then tags it and reads the tags back', async () => {
    const list = (await mailchimp.lists.createList({
      name: 'Official client audience',
      contact: {company: 'Shop', address1: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701', country: 'US'},
      permission_reminder: 'You bought something from us.',
      campaign_defaults: {from_name: 'Shop', from_email: 'shop@shop.example', subject: 'News', language: 'en'},
      email_type_option: false,
    })) as {id: string; name: string};
    expect(list).toMatchObject({name: 'Official client audience', id: expect.any(String)});

    const email = 'Ann.Buyer@Shop.example';
    const hash = md5(email);
    const created = await mailchimp.lists.setListMember(list.id, hash, {
      email_address: email,
      status_if_new: 'subscribed',
      merge_fields: {FNAME: 'Ann'},
    });
    expect(created).toMatchObject({
      id: hash,
      email_address: email,
      status: 'subscribed',
      merge_fields: expect.objectContaining({FNAME: 'Ann'}),
      list_id: list.id,
    });

    // An existing member needs no status_if_new; `status` changes it.
    const updated = await mailchimp.lists.setListMember(list.id, hash, {email_address: email, status: 'unsubscribed'});
    expect(updated).toMatchObject({id: hash, status: 'unsubscribed'});

    await expect(
      mailchimp.lists.updateListMemberTags(list.id, hash, {
        tags: [
          {name: 'vip', status: 'active'},
          {name: 'repeat buyer', status: 'active'},
        ],
      }),
    ).resolves.toBeNull(); // 204 No Content
    const tags = (await mailchimp.lists.getListMemberTags(list.id, hash)) as {
      tags: Array<{id: number; name: string; date_added: string}>;
      total_items: number;
    };
    expect(tags.total_items).toBe(2);
    expect(tags.tags.map((t) => t.name).sort()).toEqual(['repeat buyer', 'vip']);

    await mailchimp.lists.updateListMemberTags(list.id, hash, {tags: [{name: 'vip', status: 'inactive'}]});
    const after = (await mailchimp.lists.getListMemberTags(list.id, hash)) as {
      tags: Array<{name: string}>;
      total_items: number;
    };
    expect(after.tags.map((t) => t.name)).toEqual(['repeat buyer']);

    const invalid = await rejectionOf(
      mailchimp.lists.setListMember(list.id, md5('new@shop.example'), {
        email_address: 'new@shop.example',
        status_if_new: 'maybe',
      }),
    );
    expect(invalid.status).toBe(400);
    expect(invalid.response.body).toMatchObject({
      title: 'Invalid Resource',
      errors: [{field: 'status_if_new', message: expect.stringContaining('not one of the accepted values')}],
    });
  });

  it('syncs a store, a product and an order, and reads the order back', async () => {
    const list = createListRecord(sandbox.sandbox.state, {name: 'Store audience'});
    const store = await mailchimp.ecommerce.addStore({
      id: 'official-shop',
      list_id: list.id,
      name: 'Official Shop',
      currency_code: 'EUR',
      domain: 'official-shop.example',
    });
    expect(store).toMatchObject({id: 'official-shop', list_id: list.id, currency_code: 'EUR'});

    const product = await mailchimp.ecommerce.addStoreProduct('official-shop', {
      id: 'mug',
      title: 'Mug',
      variants: [{id: 'mug-blue', title: 'Blue mug', price: 12.5, inventory_quantity: 10}],
    });
    expect(product).toMatchObject({id: 'mug', title: 'Mug', variants: [expect.objectContaining({id: 'mug-blue'})]});

    const order = await mailchimp.ecommerce.addStoreOrder('official-shop', {
      id: 'order-1001',
      customer: {id: 'cust-1', email_address: 'buyer@shop.example', opt_in_status: true, first_name: 'Bo'},
      currency_code: 'EUR',
      order_total: 25,
      financial_status: 'paid',
      lines: [{id: 'line-1', product_id: 'mug', product_variant_id: 'mug-blue', quantity: 2, price: 12.5}],
    });
    expect(order).toMatchObject({id: 'order-1001', order_total: 25});

    const read = await mailchimp.ecommerce.getOrder('official-shop', 'order-1001');
    expect(read).toMatchObject({
      id: 'order-1001',
      store_id: 'official-shop',
      currency_code: 'EUR',
      order_total: 25,
      customer: expect.objectContaining({id: 'cust-1', email_address: 'buyer@shop.example'}),
      lines: [
        expect.objectContaining({
          id: 'line-1',
          product_id: 'mug',
          product_variant_id: 'mug-blue',
          product_title: 'Mug',
          quantity: 2,
          price: 12.5,
        }),
      ],
    });

    const unknownVariant = await rejectionOf(
      mailchimp.ecommerce.addStoreOrder('official-shop', {
        id: 'order-1002',
        customer: {id: 'cust-1'},
        currency_code: 'EUR',
        order_total: 5,
        lines: [{id: 'line-1', product_id: 'mug', product_variant_id: 'mug-red', quantity: 1, price: 5}],
      }),
    );
    expect(unknownVariant.status).toBe(400);
  });

  it('submits a batch, follows its status until finished and reads the results archive', async () => {
    const list = createListRecord(sandbox.sandbox.state, {name: 'Batch audience'});
    const email = 'batch@shop.example';
    const batch = (await mailchimp.batches.start({
      operations: [
        {
          method: 'PUT',
          path: `/lists/${list.id}/members/${md5(email)}`,
          operation_id: 'upsert-1',
          body: JSON.stringify({email_address: email, status_if_new: 'subscribed'}),
        },
        {method: 'GET', path: `/lists/${list.id}/members/${md5('nobody@shop.example')}`, operation_id: 'missing-1'},
      ],
    })) as {id: string; status: string};
    expect(batch).toMatchObject({id: expect.any(String), status: 'pending'});

    let status = batch as {
      status: string;
      total_operations?: number;
      finished_operations?: number;
      errored_operations?: number;
      response_body_url?: string;
    };
    const seen = new Set<string>([status.status]);
    for (const deadline = Date.now() + 10_000; status.status !== 'finished' && Date.now() < deadline;) {
      await sleep(10);
      status = (await mailchimp.batches.status(batch.id)) as typeof status;
      seen.add(status.status);
    }
    expect(status).toMatchObject({
      status: 'finished',
      total_operations: 2,
      finished_operations: 2,
      errored_operations: 1,
      response_body_url: expect.any(String),
    });
    expect([...seen].every((s) => ['pending', 'preprocessing', 'started', 'finalizing', 'finished'].includes(s))).toBe(
      true,
    );

    const results = await readResultsArchive(status.response_body_url!);
    const byId = new Map(results.map((r) => [r.operation_id, r]));
    expect(byId.get('upsert-1')?.status_code).toBe(200);
    expect(JSON.parse(byId.get('upsert-1')!.response)).toMatchObject({email_address: email, status: 'subscribed'});
    expect(byId.get('missing-1')?.status_code).toBe(404);

    await expect(mailchimp.lists.getListMember(list.id, md5(email))).resolves.toMatchObject({status: 'subscribed'});
  });
});
