import {startTestSandbox, type TestSandbox} from '../../../../test/support/sandbox.js';
import {createList, hashOf, putMember} from './testing/list-fixtures.js';

/**
 * Who unsubscribed a member decides whether the API may subscribe them again (recorded Mailchimp traffic): an API or
 * admin unsubscribe may be undone by a later PUT/PATCH; the contact's own unsubscribe, and cleaning, may not.
 */
describe('member status: admin and contact unsubscribes', () => {
  let ts: TestSandbox;
  let listId: string;
  beforeEach(async () => {
    ts = await startTestSandbox();
    listId = await createList(ts);
  });
  afterEach(() => ts.close());

  const path = (email: string) => `/3.0/lists/${listId}/members/${hashOf(email)}`;
  const put = (email: string, body: Record<string, unknown>) =>
    ts.http().put(path(email)).set('Authorization', ts.auth).send(body);
  const patch = (email: string, body: Record<string, unknown>) =>
    ts.http().patch(path(email)).set('Authorization', ts.auth).send(body);
  const get = (email: string) => ts.http().get(path(email)).set('Authorization', ts.auth);
  const control = (email: string, action: string, body: Record<string, unknown> = {}) =>
    ts.http().post(`/__sandbox/lists/${listId}/members/${email}/${action}`).send(body);
  const complianceDetail = (email: string) =>
    `${email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`;

  it('an API unsubscribe (PUT, PATCH, POST, status_if_new) reads "N/A (Unsubscribed by admin)" and a later PUT/PATCH subscribes again', async () => {
    await putMember(ts, listId, 'put@shop.test');
    await putMember(ts, listId, 'patch@shop.test');
    const byPut = await put('put@shop.test', {email_address: 'put@shop.test', status: 'unsubscribed'});
    const byPatch = await patch('patch@shop.test', {status: 'unsubscribed'});
    const byPost = await ts
      .http()
      .post(`/3.0/lists/${listId}/members`)
      .set('Authorization', ts.auth)
      .send({email_address: 'post@shop.test', status: 'unsubscribed'});
    const asNew = await put('new@shop.test', {email_address: 'new@shop.test', status_if_new: 'unsubscribed'});
    for (const res of [byPut, byPatch, byPost, asNew]) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({status: 'unsubscribed', unsubscribe_reason: 'N/A (Unsubscribed by admin)'});
    }
    expect((await get('patch@shop.test')).body.unsubscribe_reason).toBe('N/A (Unsubscribed by admin)');

    const back = await put('put@shop.test', {email_address: 'put@shop.test', status: 'subscribed'});
    expect(back.status).toBe(200);
    expect(back.body.status).toBe('subscribed');
    expect(back.body).not.toHaveProperty('unsubscribe_reason');
    for (const email of ['patch@shop.test', 'post@shop.test', 'new@shop.test']) {
      const res = await patch(email, {status: 'subscribed'});
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('subscribed');
    }
  });

  it("a contact's own unsubscribe keeps their reason and is a compliance state: subscribed is refused, pending allowed", async () => {
    await putMember(ts, listId, 'self@shop.test');
    await putMember(ts, listId, 'link@shop.test');
    const own = await control('self@shop.test', 'unsubscribe', {reason: 'I no longer want to receive these emails'});
    expect(own.body).toMatchObject({
      status: 'unsubscribed',
      unsubscribe_reason: 'I no longer want to receive these emails',
    });
    await control('link@shop.test', 'unsubscribe', {campaign_id: 'cmp1'});
    expect((await get('link@shop.test')).body.unsubscribe_reason).toBe('N/A (Unsubscribe link)');

    const refusedPut = await put('self@shop.test', {email_address: 'self@shop.test', status: 'subscribed'});
    expect(refusedPut.status).toBe(400);
    expect(refusedPut.body).toMatchObject({
      title: 'Member In Compliance State',
      detail: complianceDetail('self@shop.test'),
    });
    const refusedPatch = await patch('link@shop.test', {status: 'subscribed'});
    expect(refusedPatch.status).toBe(400);
    expect(refusedPatch.body.title).toBe('Member In Compliance State');
    expect((await get('self@shop.test')).body).toMatchObject({
      status: 'unsubscribed',
      unsubscribe_reason: 'I no longer want to receive these emails',
    });

    // Pending asks the contact to confirm: that is how an integration brings them back.
    const pending = await patch('self@shop.test', {status: 'pending'});
    expect(pending.status).toBe(200);
    expect(pending.body.status).toBe('pending');
    expect(pending.body).not.toHaveProperty('unsubscribe_reason');
  });

  it("the contact's own unsubscribe binds the API even after an admin unsubscribed them first", async () => {
    await putMember(ts, listId, 'both@shop.test');
    await patch('both@shop.test', {status: 'unsubscribed'});
    const own = await control('both@shop.test', 'unsubscribe');
    expect(own.body.unsubscribe_reason).toBe('N/A');
    expect((await patch('both@shop.test', {status: 'subscribed'})).body.title).toBe('Member In Compliance State');
  });

  it('a cleaned address (hard bounce, or written as cleaned) is a compliance state; pending stays allowed', async () => {
    await putMember(ts, listId, 'bounced@shop.test');
    expect((await control('bounced@shop.test', 'bounce', {type: 'hard'})).body.status).toBe('cleaned');
    await putMember(ts, listId, 'written@shop.test', {status_if_new: 'cleaned'});
    for (const email of ['bounced@shop.test', 'written@shop.test']) {
      const res = await put(email, {status: 'subscribed'});
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({title: 'Member In Compliance State', detail: complianceDetail(email)});
      expect(res.body).not.toHaveProperty('unsubscribe_reason');
    }
    expect((await put('bounced@shop.test', {status: 'pending'})).body.status).toBe('pending');
  });

  it('members that never unsubscribed carry no unsubscribe_reason', async () => {
    const subscribed = await putMember(ts, listId, 'sub@shop.test');
    const transactional = await putMember(ts, listId, 'tx@shop.test', {status_if_new: 'transactional'});
    expect(subscribed).not.toHaveProperty('unsubscribe_reason');
    expect(transactional).not.toHaveProperty('unsubscribe_reason');
    const listed = await ts.http().get(`/3.0/lists/${listId}/members`).set('Authorization', ts.auth);
    expect(listed.body.members.every((m: Record<string, unknown>) => !('unsubscribe_reason' in m))).toBe(true);
  });
});
