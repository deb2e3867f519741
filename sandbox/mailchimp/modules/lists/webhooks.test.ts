import {startTestSandbox, type TestSandbox} from '../../../../test/support/sandbox.js';
import type {MailchimpSandboxOptions} from '../../index.js';
import {createList, hashOf, putMember} from './testing/list-fixtures.js';
import {WebhookReceiver} from './testing/webhook-receiver.js';

const NOW = new Date('2024-03-20T12:34:56Z');
const ALL_EVENTS = {subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: true};
const ALL_SOURCES = {user: true, admin: true, api: true};

describe('list webhooks', () => {
  let ts: TestSandbox;
  let receiver: WebhookReceiver;
  let url: string;
  let listId: string;

  async function start(options: MailchimpSandboxOptions = {}) {
    ts = await startTestSandbox({now: () => NOW, ...options});
    listId = await createList(ts);
  }
  beforeEach(async () => {
    receiver = new WebhookReceiver();
    url = await receiver.start();
  });
  afterEach(async () => {
    await ts.close();
    await receiver.close();
  });

  const api = () => ts.http();
  const hooks = () => `/3.0/lists/${listId}/webhooks`;
  const addHook = (body: Record<string, unknown> = {}) =>
    api()
      .post(hooks())
      .set('Authorization', ts.auth)
      .send({url, events: ALL_EVENTS, sources: ALL_SOURCES, ...body});

  it('checks the URL with a validator GET, then stores the webhook; GET, PATCH and DELETE it', async () => {
    await start();
    const created = await addHook({events: {subscribe: true, unsubscribe: true}, sources: {api: true}});
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      url,
      list_id: listId,
      events: {subscribe: true, unsubscribe: true, profile: false, cleaned: false, upemail: false, campaign: false},
      sources: {user: false, admin: false, api: true},
    });
    expect(receiver.calls).toHaveLength(1);
    expect(receiver.calls[0]).toMatchObject({
      method: 'GET',
      path: '/hooks/mailchimp?secret=s3cret',
      userAgent: 'MailChimp.com WebHook Validator',
    });

    const id = created.body.id as string;
    const list = await api().get(hooks()).set('Authorization', ts.auth);
    expect(list.body).toMatchObject({list_id: listId, total_items: 1});
    expect(list.body.webhooks[0].id).toBe(id);
    expect((await api().get(`${hooks()}/${id}`).set('Authorization', ts.auth)).body.url).toBe(url);
    const patched = await api()
      .patch(`${hooks()}/${id}`)
      .set('Authorization', ts.auth)
      .send({events: {profile: true}});
    expect(patched.body.events).toMatchObject({subscribe: true, unsubscribe: true, profile: true});
    expect((await api().delete(`${hooks()}/${id}`).set('Authorization', ts.auth)).status).toBe(204);
    expect((await api().get(`${hooks()}/${id}`).set('Authorization', ts.auth)).status).toBe(404);
  });

  it('defaults to every event from users and admins but not the API when events/sources are left out', async () => {
    await start();
    const created = await api().post(hooks()).set('Authorization', ts.auth).send({url});
    expect(created.body.events).toEqual(ALL_EVENTS);
    expect(created.body.sources).toEqual({user: true, admin: true, api: false});
  });

  it('refuses a URL that does not answer 200 to the validator, with the HTTP code in the detail', async () => {
    await start({webhookTimeoutMs: 150});
    receiver.respond = () => 404;
    const notFound = await addHook();
    expect(notFound.status).toBe(400);
    expect(notFound.body).toMatchObject({
      title: 'Invalid Resource',
      detail: "We couldn't verify the URL is working. Please double check and try again. HTTP Code: 404",
    });
    receiver.respond = () => 200;
    receiver.delayMs = 1_000;
    const slow = await addHook();
    expect(slow.status).toBe(400);
    expect(slow.body.detail).toBe(
      "We couldn't verify the URL is working. Please double check and try again. HTTP Code: 0",
    );
    const invalid = await addHook({url: 'not a url'});
    expect(invalid.status).toBe(400);
    expect((await api().get(hooks()).set('Authorization', ts.auth)).body.total_items).toBe(0);
  });

  it('POSTs subscribe, unsubscribe, profile and upemail events form-encoded, exactly like Mailchimp', async () => {
    await start();
    await addHook();
    const subscribed = await putMember(ts, listId, 'ann@shop.test', {merge_fields: {FNAME: 'Ann', LNAME: 'Lee'}});
    await receiver.waitFor((calls) => calls.filter((c) => c.method === 'POST').length === 1);
    const [subscribe] = receiver.posts();
    expect(subscribe).toMatchObject({
      userAgent: 'MailChimp.com',
      contentType: 'application/x-www-form-urlencoded',
      path: '/hooks/mailchimp?secret=s3cret',
    });
    expect(subscribe!.fields).toEqual([
      ['type', 'subscribe'],
      ['fired_at', '2024-03-20 12:34:56'],
      ['data[id]', subscribed.unique_email_id],
      ['data[list_id]', listId],
      ['data[email]', 'ann@shop.test'],
      ['data[email_type]', 'html'],
      ['data[merges][EMAIL]', 'ann@shop.test'],
      ['data[merges][FNAME]', 'Ann'],
      ['data[merges][LNAME]', 'Lee'],
      ['data[merges][ADDRESS]', ''],
      ['data[merges][PHONE]', ''],
      ['data[ip_opt]', ''],
      ['data[ip_signup]', ''],
      ['data[web_id]', String(subscribed.web_id)],
    ]);

    const member = `/3.0/lists/${listId}/members/${hashOf('ann@shop.test')}`;
    await api()
      .patch(member)
      .set('Authorization', ts.auth)
      .send({merge_fields: {FNAME: 'Anne'}});
    await receiver.waitFor((calls) => calls.filter((c) => c.method === 'POST').length === 2);
    const profile = receiver.posts()[1]!;
    expect(profile.fields.slice(0, 3)).toEqual([
      ['type', 'profile'],
      ['fired_at', '2024-03-20 12:34:56'],
      ['data[id]', subscribed.unique_email_id],
    ]);
    expect(profile.fields).toContainEqual(['data[merges][FNAME]', 'Anne']);

    await api().patch(member).set('Authorization', ts.auth).send({email_address: 'anne@shop.test'});
    await receiver.waitFor((calls) => calls.filter((c) => c.method === 'POST').length === 3);
    const renamed = (
      await api()
        .get(`/3.0/lists/${listId}/members/${hashOf('anne@shop.test')}`)
        .set('Authorization', ts.auth)
    ).body;
    expect(receiver.posts()[2]!.fields).toEqual([
      ['type', 'upemail'],
      ['fired_at', '2024-03-20 12:34:56'],
      ['data[list_id]', listId],
      ['data[new_id]', renamed.unique_email_id],
      ['data[new_email]', 'anne@shop.test'],
      ['data[old_email]', 'ann@shop.test'],
    ]);

    await api()
      .patch(`/3.0/lists/${listId}/members/${hashOf('anne@shop.test')}`)
      .set('Authorization', ts.auth)
      .send({status: 'unsubscribed'});
    await receiver.waitFor((calls) => calls.filter((c) => c.method === 'POST').length === 4);
    expect(receiver.posts()[3]!.fields).toEqual([
      ['type', 'unsubscribe'],
      ['fired_at', '2024-03-20 12:34:56'],
      ['data[action]', 'unsub'],
      ['data[reason]', 'manual'],
      ['data[id]', renamed.unique_email_id],
      ['data[list_id]', listId],
      ['data[email]', 'anne@shop.test'],
      ['data[email_type]', 'html'],
      ['data[merges][EMAIL]', 'anne@shop.test'],
      ['data[merges][FNAME]', 'Anne'],
      ['data[merges][LNAME]', 'Lee'],
      ['data[merges][ADDRESS]', ''],
      ['data[merges][PHONE]', ''],
      ['data[ip_opt]', ''],
      ['data[web_id]', String(subscribed.web_id)],
    ]);
  });

  it('delivers only the events and sources the webhook asks for', async () => {
    await start();
    await addHook({events: {unsubscribe: true}, sources: {user: true, admin: true, api: true}});
    await addHook({url: `${url}&second=1`, events: ALL_EVENTS, sources: {user: true, admin: true, api: false}});
    await putMember(ts, listId, 'x@shop.test'); // subscribe (api): neither webhook wants it
    await api()
      .patch(`/3.0/lists/${listId}/members/${hashOf('x@shop.test')}`)
      .set('Authorization', ts.auth)
      .send({status: 'unsubscribed'});
    await ts.http().post(`/__sandbox/lists/${listId}/members/x@shop.test/resubscribe`).send({}); // subscribe (user): second only
    await receiver.waitFor((calls) => calls.filter((c) => c.method === 'POST').length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    const posts = receiver.posts().map((c) => [c.path.includes('second') ? 'second' : 'first', c.fields[0]![1]]);
    expect(posts.sort()).toEqual([
      ['first', 'unsubscribe'],
      ['second', 'subscribe'],
    ]);
  });

  it('does not make the API call wait for the delivery', async () => {
    await start();
    await addHook();
    let release!: () => void;
    receiver.gate = new Promise((resolve) => (release = resolve));
    const res = await api()
      .put(`/3.0/lists/${listId}/members/${hashOf('quick@shop.test')}`)
      .set('Authorization', ts.auth)
      .send({email_address: 'quick@shop.test', status_if_new: 'subscribed'});
    expect(res.status).toBe(200);
    // The receiver has the delivery but has not answered it yet, and the API call is already done.
    await receiver.waitFor((calls) => calls.some((c) => c.method === 'POST'));
    release();
  });

  it('retries a failed delivery after each configured delay, then gives up', async () => {
    await start({webhookRetryDelaysMs: [30, 60, 90]});
    await addHook();
    let posts = 0;
    receiver.respond = (call) => (call.method === 'POST' && ++posts <= 2 ? 500 : 200);
    await putMember(ts, listId, 'retry@shop.test');
    await receiver.waitFor((calls) => calls.filter((c) => c.method === 'POST').length === 3);
    const attempts = receiver.posts();
    expect(attempts.map((c) => c.fields)).toEqual([attempts[0]!.fields, attempts[0]!.fields, attempts[0]!.fields]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(25);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(55);

    receiver.respond = (call) => (call.method === 'POST' ? 503 : 200);
    receiver.calls.length = 0;
    await putMember(ts, listId, 'never@shop.test');
    await receiver.waitFor((calls) => calls.length === 4);
    await new Promise((r) => setTimeout(r, 250));
    expect(receiver.posts()).toHaveLength(4); // one attempt and three retries
  });

  it('drops pending retries when the webhook is deleted or the sandbox stops', async () => {
    await start({webhookRetryDelaysMs: [150, 150]});
    const hook = (await addHook()).body;
    receiver.respond = (call) => (call.method === 'POST' ? 500 : 200);
    await putMember(ts, listId, 'a@shop.test');
    await receiver.waitFor((calls) => calls.filter((c) => c.method === 'POST').length === 1);
    await api().delete(`${hooks()}/${hook.id}`).set('Authorization', ts.auth);
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.posts()).toHaveLength(1);

    await addHook();
    receiver.calls.length = 0;
    await putMember(ts, listId, 'b@shop.test');
    await receiver.waitFor((calls) => calls.filter((c) => c.method === 'POST').length === 1);
    await ts.sandbox.close();
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.posts()).toHaveLength(1);
  });
});
