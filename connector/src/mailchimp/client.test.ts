import {accountFromApiKey} from './account.js';
import {AccountLimiters} from './account-limiters.js';
import {MailchimpClient} from './client.js';
import {isMailchimpError} from './mailchimp-error.js';
import {subscriberHash} from './subscriber-hash.js';
import {
  sendEmpty,
  sendJson,
  sendProblem,
  startLocalHttpServer,
  type LocalHttpServer,
  type ReceivedRequest,
} from './testing/local-http-server.js';
import type {CallEvent} from './transport.js';
import type {OrderCreateRequest, ProductCreateRequest} from './types/index.js';
import type {ServerResponse} from 'node:http';

/** A few Mailchimp routes over in-memory maps: enough to drive the client's typed methods end to end. */
function fakeMailchimp() {
  const products = new Map<string, Record<string, unknown>>();
  const orders = new Map<string, Record<string, unknown>>();
  const members = new Map<string, Record<string, unknown>>();
  const segments = Array.from({length: 7}, (_, i) => ({id: i + 1, name: `segment ${i + 1}`, type: 'static'}));
  const notFound = (res: ServerResponse) =>
    sendProblem(res, 404, 'Resource Not Found', 'The requested resource could not be found.');
  const handler = (req: ReceivedRequest, res: ServerResponse) => {
    const url = new URL(req.url, 'http://x');
    const path = url.pathname.replace(/^\/3\.0/, '');
    const body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    let m: RegExpExecArray | null;
    if ((m = /^\/lists\/(\w+)\/members\/([0-9a-f]{32})$/.exec(path))) {
      const key = `${m[1]}/${m[2]}`;
      if (req.method === 'PUT') {
        const member = {
          ...members.get(key),
          id: m[2],
          email_address: body.email_address,
          status: members.get(key)?.status ?? body.status_if_new,
          list_id: m[1],
        };
        members.set(key, member);
        return sendJson(res, 200, member);
      }
      const member = members.get(key);
      return member ? sendJson(res, 200, member) : notFound(res);
    }
    if ((m = /^\/lists\/(\w+)\/members\/([0-9a-f]{32})\/tags$/.exec(path)) && req.method === 'POST') {
      return members.has(`${m[1]}/${m[2]}`) ? sendEmpty(res, 204) : notFound(res);
    }
    if (path === '/lists/l1/segments' && req.method === 'GET') {
      const count = Number(url.searchParams.get('count'));
      const offset = Number(url.searchParams.get('offset'));
      return sendJson(res, 200, {
        segments: segments.slice(offset, offset + count),
        total_items: segments.length,
        list_id: 'l1',
      });
    }
    if ((m = /^\/ecommerce\/stores\/s1\/products(?:\/(\w+))?$/.exec(path))) {
      const id = m[1];
      if (req.method === 'POST') {
        if (products.has(String(body.id)))
          return sendProblem(
            res,
            400,
            'Bad Request',
            'We were unable to process the request. A product with the provided ID already exists in the account',
          );
        products.set(String(body.id), body);
        return sendJson(res, 200, body);
      }
      if (req.method === 'PATCH' && id) {
        if (id === 'race' && !products.has(id)) {
          // Another worker creates the product between this PATCH and our POST.
          products.set(id, {id, title: 'theirs'});
          return notFound(res);
        }
        const existing = products.get(id);
        if (!existing) return notFound(res);
        products.set(id, {...existing, ...body});
        return sendJson(res, 200, products.get(id));
      }
    }
    if ((m = /^\/ecommerce\/stores\/s1\/orders(?:\/(\w+))?$/.exec(path))) {
      const id = m[1];
      if (req.method === 'POST') {
        orders.set(String(body.id), body);
        return sendJson(res, 200, body);
      }
      if (req.method === 'PATCH' && id) {
        const existing = orders.get(id);
        if (!existing) return notFound(res);
        orders.set(id, {...existing, ...body});
        return sendJson(res, 200, orders.get(id));
      }
    }
    if (/^\/ecommerce\/stores\/s1\/carts\/\w+$/.test(path) && req.method === 'DELETE') return notFound(res);
    if (/^\/campaigns\/c1\/actions\/(send|test|schedule)$/.test(path)) return sendEmpty(res, 204);
    if (path === '/ping') return sendJson(res, 200, {health_status: "Everything's Chimpy!"});
    return notFound(res);
  };
  return {handler, products, orders, members};
}

let server: LocalHttpServer;
let limiters: AccountLimiters;
let client: MailchimpClient;
let fake: ReturnType<typeof fakeMailchimp>;
let events: CallEvent[];

beforeEach(async () => {
  fake = fakeMailchimp();
  server = await startLocalHttpServer(fake.handler);
  limiters = new AccountLimiters();
  events = [];
  client = new MailchimpClient({
    account: accountFromApiKey('abc123-us5', {baseUrl: `${server.origin}/3.0`}),
    limiters,
    retry: {baseDelayMs: 1, maxDelayMs: 5},
    onCall: (e) => events.push(e),
  });
});

afterEach(async () => {
  await limiters.close();
  await server.close();
});

const product: ProductCreateRequest = {id: 'p1', title: 'Mug', variants: [{id: 'p1', title: 'Mug', price: 12.5}]};
const order: OrderCreateRequest = {
  id: 'o1',
  customer: {id: 'c1', email_address: 'a@example-mail.org', opt_in_status: false},
  currency_code: 'EUR',
  order_total: 12.5,
  lines: [{id: 'l1', product_id: 'p1', product_variant_id: 'p1', quantity: 1, price: 12.5}],
};

describe('MailchimpClient', () => {
  it('pings', async () => {
    await expect(client.ping()).resolves.toEqual({health_status: "Everything's Chimpy!"});
  });

  it('upserts a member with PUT on the lower-cased hash, reads it back, and answers null for an unknown one', async () => {
    const member = await client.members.upsert('l1', {
      email_address: 'Jane@Example-mail.org',
      status_if_new: 'subscribed',
    });
    expect(member.status).toBe('subscribed');
    expect(server.requests[0]).toMatchObject({
      method: 'PUT',
      url: `/3.0/lists/l1/members/${subscriberHash('jane@example-mail.org')}`,
    });
    await expect(client.members.get('l1', 'jane@example-mail.org')).resolves.toMatchObject({
      email_address: 'Jane@Example-mail.org',
    });
    await expect(client.members.get('l1', 'nobody@example-mail.org')).resolves.toBeNull();
  });

  it('reports route templates to onCall, never the expanded path', async () => {
    await client.members.get('l1', 'nobody@example-mail.org');
    expect(events).toEqual([
      expect.objectContaining({
        method: 'GET',
        route: '/lists/{list_id}/members/{subscriber_hash}',
        outcome: 'failure',
        status: 404,
        kind: 'not_found',
        attempts: 1,
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('nobody');
  });

  it('posts member tags, and a 404 for an unknown member is a typed not_found', async () => {
    await client.members.upsert('l1', {email_address: 'a@example-mail.org', status_if_new: 'transactional'});
    await client.members.updateTags('l1', 'a@example-mail.org', [{name: 'vip', status: 'active'}], {isSyncing: true});
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({
      tags: [{name: 'vip', status: 'active'}],
      is_syncing: true,
    });
    const error = await client.members
      .updateTags('l1', 'b@example-mail.org', [{name: 'vip', status: 'active'}])
      .catch((e: unknown) => e);
    expect(isMailchimpError(error, 'not_found')).toBe(true);
  });

  it('pages through a collection with count/offset until total_items', async () => {
    const names: string[] = [];
    for await (const segment of client.segments.list('l1', {}, {pageSize: 3})) names.push(segment.name);
    expect(names).toHaveLength(7);
    expect(server.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('offset'))).toEqual(['0', '3', '6']);
  });

  it('upserts a product: PATCH, POST on 404, then PATCH when it exists', async () => {
    await client.products.upsert('s1', product);
    expect(server.requests.map((r) => r.method)).toEqual(['PATCH', 'POST']);
    expect(JSON.parse(server.requests[0]!.body)).not.toHaveProperty('id');
    await client.products.upsert('s1', {...product, title: 'Big mug'});
    expect(server.requests.map((r) => r.method)).toEqual(['PATCH', 'POST', 'PATCH']);
    expect(fake.products.get('p1')).toMatchObject({title: 'Big mug'});
  });

  it('upserts a product created by someone else meanwhile: PATCH 404, POST "already exists", PATCH', async () => {
    await client.products.upsert('s1', {...product, id: 'race', title: 'ours'});
    expect(server.requests.map((r) => r.method)).toEqual(['PATCH', 'POST', 'PATCH']);
    expect(fake.products.get('race')).toMatchObject({title: 'ours'});
  });

  it('upserts an order: PATCH (without the customer), POST on 404', async () => {
    await client.orders.upsert('s1', order);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PATCH /3.0/ecommerce/stores/s1/orders/o1',
      'POST /3.0/ecommerce/stores/s1/orders',
    ]);
    expect(JSON.parse(server.requests[0]!.body)).not.toHaveProperty('customer');
    expect(JSON.parse(server.requests[1]!.body)).toMatchObject({id: 'o1', customer: {id: 'c1'}});
    await client.orders.upsert('s1', {...order, financial_status: 'paid'});
    expect(server.requests).toHaveLength(3);
    expect(fake.orders.get('o1')).toMatchObject({financial_status: 'paid'});
  });

  it('deleting a cart that is gone answers false', async () => {
    await expect(client.carts.delete('s1', 'cart1')).resolves.toBe(false);
  });

  it('sends campaign actions (204)', async () => {
    await client.campaigns.sendTest('c1', {test_emails: ['t@example-mail.org'], send_type: 'html'});
    await client.campaigns.schedule('c1', {schedule_time: '2030-01-01T10:15:00+00:00'});
    await client.campaigns.send('c1');
    expect(server.requests.map((r) => r.url)).toEqual([
      '/3.0/campaigns/c1/actions/test',
      '/3.0/campaigns/c1/actions/schedule',
      '/3.0/campaigns/c1/actions/send',
    ]);
  });
});
