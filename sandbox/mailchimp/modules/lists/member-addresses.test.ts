import {startTestSandbox, type TestSandbox} from '../../../../test/support/sandbox.js';
import {createList, hashOf, putMember} from './testing/list-fixtures.js';

/** Addresses on member writes, as recorded Mailchimp traffic shows them. */
describe('member addresses', () => {
  let ts: TestSandbox;
  let listId: string;
  beforeEach(async () => {
    ts = await startTestSandbox();
    listId = await createList(ts);
  });
  afterEach(() => ts.close());

  const path = (idOrEmail: string) =>
    `/3.0/lists/${listId}/members/${idOrEmail.includes('@') ? hashOf(idOrEmail) : idOrEmail}`;
  const put = (id: string, body: Record<string, unknown>) =>
    ts.http().put(path(id)).set('Authorization', ts.auth).send(body);
  const patch = (id: string, body: Record<string, unknown>) =>
    ts.http().patch(path(id)).set('Authorization', ts.auth).send(body);
  const post = (body: Record<string, unknown>) =>
    ts.http().post(`/3.0/lists/${listId}/members`).set('Authorization', ts.auth).send(body);
  const get = (id: string) => ts.http().get(path(id)).set('Authorization', ts.auth);

  describe('PUT on an existing member needs no email_address', () => {
    it('takes a status or merge fields alone', async () => {
      await putMember(ts, listId, 'kim@shop.test', {merge_fields: {FNAME: 'Kim'}});
      const unsubscribed = await put('kim@shop.test', {status: 'unsubscribed'});
      expect(unsubscribed.status).toBe(200);
      expect(unsubscribed.body).toMatchObject({email_address: 'kim@shop.test', status: 'unsubscribed'});
      const renamed = await put('kim@shop.test', {merge_fields: {LNAME: 'Park'}});
      expect(renamed.status).toBe(200);
      expect(renamed.body.merge_fields).toMatchObject({FNAME: 'Kim', LNAME: 'Park'});
    });

    it('still requires it to create a member, with the documented "Required fields" answer', async () => {
      const res = await put('nobody@shop.test', {status_if_new: 'subscribed'});
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        title: 'Invalid Resource',
        errors: [{field: '', message: 'Required fields were not provided: email_address'}],
      });
      expect((await get('nobody@shop.test')).status).toBe(404);
    });
  });

  describe('PUT whose path is not the body address: an upsert of the body address', () => {
    const otherHash = hashOf('someone-else@shop.test');

    it('creates a new address under its own hash', async () => {
      const res = await put(otherHash, {email_address: 'fresh@shop.test', status_if_new: 'subscribed'});
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: hashOf('fresh@shop.test'),
        email_address: 'fresh@shop.test',
        status: 'subscribed',
      });
      expect((await get('fresh@shop.test')).status).toBe(200);
      expect((await get(otherHash)).status).toBe(404);
    });

    it('revives an archived address with its old merge values', async () => {
      await putMember(ts, listId, 'old@shop.test', {merge_fields: {FNAME: 'Olga', LNAME: 'Old'}});
      expect((await ts.http().delete(path('old@shop.test')).set('Authorization', ts.auth)).status).toBe(204);
      const res = await put(otherHash, {
        email_address: 'old@shop.test',
        status_if_new: 'subscribed',
        merge_fields: {LNAME: 'Back'},
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: hashOf('old@shop.test'),
        status: 'subscribed',
        merge_fields: {FNAME: 'Olga', LNAME: 'Back'},
      });
    });

    it('refuses an address already subscribed as "Member Exists"', async () => {
      await putMember(ts, listId, 'taken@shop.test');
      const res = await put(otherHash, {email_address: 'taken@shop.test', status_if_new: 'subscribed'});
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        title: 'Member Exists',
        detail: 'taken@shop.test is already a list member. Use PUT to insert or update list members.',
      });
    });
  });

  describe('changing a member address onto one already in the list', () => {
    it('answers Invalid Resource naming that member status, for PUT and PATCH', async () => {
      await putMember(ts, listId, 'mover@shop.test');
      await putMember(ts, listId, 'sub@shop.test');
      await putMember(ts, listId, 'pend@shop.test', {status_if_new: 'pending'});
      const cases: Array<[method: typeof put, target: string, status: string]> = [
        [put, 'sub@shop.test', 'subscribed'],
        [patch, 'sub@shop.test', 'subscribed'],
        [patch, 'pend@shop.test', 'pending'],
      ];
      for (const [send, target, status] of cases) {
        const res = await send('mover@shop.test', {email_address: target});
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          title: 'Invalid Resource',
          errors: [
            {field: 'email address', message: `"${target}" is already in this list with a status of "${status}".`},
          ],
        });
      }
      expect((await get('mover@shop.test')).body.email_address).toBe('mover@shop.test');
    });

    it('still moves a member onto a free address', async () => {
      await putMember(ts, listId, 'mover@shop.test');
      const res = await put('mover@shop.test', {email_address: 'moved@shop.test'});
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({id: hashOf('moved@shop.test'), email_address: 'moved@shop.test'});
    });
  });

  describe('fake and invalid addresses', () => {
    const fakeDetail = (email: string) => `${email} looks fake or invalid, please enter a real email address.`;

    it('refuses the RFC 2606 example domains (any letter case) on POST and on a creating PUT', async () => {
      for (const email of ['jane@example.com', 'JOHN@Example.NET', 'x@example.org']) {
        const byPost = await post({email_address: email, status: 'subscribed'});
        expect(byPost.status).toBe(400);
        expect(byPost.body).toMatchObject({title: 'Invalid Resource', detail: fakeDetail(email)});
        const byPut = await put(email, {email_address: email, status_if_new: 'subscribed'});
        expect(byPut.status).toBe(400);
        expect(byPut.body).toMatchObject({title: 'Invalid Resource', detail: fakeDetail(email)});
        expect((await get(email)).status).toBe(404);
      }
    });

    it('accepts subdomains and look-alike domains', async () => {
      for (const email of ['ann@mail.example.com', 'bob@example-mail.com', 'cy@example.co']) {
        expect((await post({email_address: email, status: 'subscribed'})).status).toBe(200);
      }
    });

    it('refuses a malformed address with "Please provide a valid email address."', async () => {
      const byPost = await post({email_address: 'AAAAA', status: 'subscribed'});
      const byPut = await put(hashOf('AAAAA'), {email_address: 'AAAAA', status_if_new: 'subscribed'});
      await putMember(ts, listId, 'valid@shop.test');
      const byChange = await patch('valid@shop.test', {email_address: 'AAAAA'});
      for (const res of [byPost, byPut, byChange]) {
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({title: 'Invalid Resource', detail: 'Please provide a valid email address.'});
      }
    });
  });
});
