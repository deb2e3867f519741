import {startTestSandbox, type TestSandbox} from '../../../../test/support/sandbox.js';
import {createList, hashOf, putMember} from './testing/list-fixtures.js';
import {WebhookReceiver} from './testing/webhook-receiver.js';

const ALL_EVENTS = {subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: true};

describe("people's actions (/__sandbox controls)", () => {
  let ts: TestSandbox;
  let receiver: WebhookReceiver;
  let listId: string;

  beforeEach(async () => {
    ts = await startTestSandbox({now: () => new Date('2024-05-01T08:00:00Z')});
    receiver = new WebhookReceiver();
    const url = await receiver.start();
    listId = await createList(ts);
    // Subscriber and admin sources only: these actions must fire without the API source.
    await ts
      .http()
      .post(`/3.0/lists/${listId}/webhooks`)
      .set('Authorization', ts.auth)
      .send({url, events: ALL_EVENTS, sources: {user: true, admin: true, api: false}});
    await putMember(ts, listId, 'sam@shop.test', {merge_fields: {FNAME: 'Sam'}});
  });
  afterEach(async () => {
    await ts.close();
    await receiver.close();
  });

  const act = (email: string, action: string, body: Record<string, unknown> = {}) =>
    ts.http().post(`/__sandbox/lists/${listId}/members/${email}/${action}`).send(body);
  const nextPost = async (n: number) => {
    await receiver.waitFor((calls) => calls.filter((c) => c.method === 'POST').length >= n);
    return new Map(receiver.posts()[n - 1]!.fields);
  };

  it('unsubscribe: the member unsubscribes (source user) with the campaign and reason in the webhook', async () => {
    const res = await act('sam@shop.test', 'unsubscribe', {campaign_id: 'cmp123'});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      email_address: 'sam@shop.test',
      status: 'unsubscribed',
      unsubscribe_reason: 'N/A (Unsubscribe link)',
    });
    const fields = await nextPost(1);
    expect(fields.get('type')).toBe('unsubscribe');
    expect(fields.get('data[action]')).toBe('unsub');
    expect(fields.get('data[reason]')).toBe('manual');
    expect(fields.get('data[campaign_id]')).toBe('cmp123');
    expect(fields.get('fired_at')).toBe('2024-05-01 08:00:00');

    // And the API may not subscribe them again.
    const again = await ts
      .http()
      .put(`/3.0/lists/${listId}/members/${hashOf('sam@shop.test')}`)
      .set('Authorization', ts.auth)
      .send({email_address: 'sam@shop.test', status: 'subscribed'});
    expect(again.body.title).toBe('Member In Compliance State');
  });

  it('a spam complaint unsubscribes with reason abuse', async () => {
    await act('sam@shop.test', 'unsubscribe', {reason: 'abuse'});
    expect((await nextPost(1)).get('data[reason]')).toBe('abuse');
  });

  it('bounce: a hard bounce cleans the address (source admin); a soft one changes nothing', async () => {
    const soft = await act('sam@shop.test', 'bounce', {type: 'soft'});
    expect(soft.body.status).toBe('subscribed');
    const hard = await act('sam@shop.test', 'bounce', {type: 'hard', campaign_id: 'cmp9'});
    expect(hard.body.status).toBe('cleaned');
    expect([...(await nextPost(1)).entries()]).toEqual([
      ['type', 'cleaned'],
      ['fired_at', '2024-05-01 08:00:00'],
      ['data[list_id]', listId],
      ['data[campaign_id]', 'cmp9'],
      ['data[reason]', 'hard'],
      ['data[email]', 'sam@shop.test'],
    ]);
  });

  it('resubscribe: the person signs up again, even after unsubscribing or a permanent delete', async () => {
    await act('sam@shop.test', 'unsubscribe');
    const back = await act('sam@shop.test', 'resubscribe');
    expect(back.body.status).toBe('subscribed');
    expect((await nextPost(2)).get('type')).toBe('subscribe');

    await ts
      .http()
      .post(`/3.0/lists/${listId}/members/${hashOf('sam@shop.test')}/actions/delete-permanent`)
      .set('Authorization', ts.auth);
    const returned = await act('sam@shop.test', 'resubscribe');
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({status: 'subscribed', source: 'Hosted Signup Form'});
    expect((await nextPost(3)).get('type')).toBe('subscribe');
  });

  it('change-email: upemail with the old and new address', async () => {
    const res = await act('sam@shop.test', 'change-email', {new_email: 'samuel@shop.test'});
    expect(res.body).toMatchObject({email_address: 'samuel@shop.test', id: hashOf('samuel@shop.test')});
    const fields = await nextPost(1);
    expect(fields.get('type')).toBe('upemail');
    expect(fields.get('data[old_email]')).toBe('sam@shop.test');
    expect(fields.get('data[new_email]')).toBe('samuel@shop.test');
    expect(fields.get('data[new_id]')).toBe(res.body.unique_email_id);
    const taken = await act('samuel@shop.test', 'change-email', {new_email: 'samuel@shop.test'});
    expect(taken.status).toBe(200);
    await putMember(ts, listId, 'other@shop.test');
    const clash = await act('samuel@shop.test', 'change-email', {new_email: 'other@shop.test'});
    expect(clash.status).toBe(400);
    expect(clash.body.title).toBe('Member Exists');
  });

  it('update-profile: new merge values and a profile event', async () => {
    const res = await act('sam@shop.test', 'update-profile', {merge_fields: {FNAME: 'Samantha', LNAME: 'Stone'}});
    expect(res.body.merge_fields).toMatchObject({FNAME: 'Samantha', LNAME: 'Stone'});
    const fields = await nextPost(1);
    expect(fields.get('type')).toBe('profile');
    expect(fields.get('data[merges][FNAME]')).toBe('Samantha');
  });

  it('answers 404 for an unknown member or list', async () => {
    expect((await act('nobody@shop.test', 'unsubscribe')).status).toBe(404);
    expect((await ts.http().post('/__sandbox/lists/nope/members/sam@shop.test/unsubscribe').send({})).status).toBe(404);
  });
});
