import {createHash} from 'node:crypto';
import type {TestSandbox} from '../../../../../test/support/sandbox.js';

/** Test helpers: an audience made over HTTP, and the member id Mailchimp derives from an address. */

export const LIST_BODY = {
  name: 'Loopback Shop',
  contact: {
    company: 'Loopback Shop',
    address1: '1 Loopback Way',
    city: 'Localhost',
    state: 'LH',
    zip: '00000',
    country: 'US',
  },
  permission_reminder: 'You bought from our shop.',
  campaign_defaults: {from_name: 'Loopback Shop', from_email: 'shop@loopback.test', subject: 'News', language: 'en'},
  email_type_option: false,
};

export async function createList(ts: TestSandbox, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await ts
    .http()
    .post('/3.0/lists')
    .set('Authorization', ts.auth)
    .send({...LIST_BODY, ...overrides});
  if (res.status !== 200) throw new Error(`POST /lists answered ${res.status}: ${res.text}`);
  return res.body.id as string;
}

export function hashOf(email: string): string {
  return createHash('md5').update(email.toLowerCase()).digest('hex');
}

/** PUT a member (status_if_new) and fail loudly when the sandbox refuses. */
export async function putMember(
  ts: TestSandbox,
  listId: string,
  email: string,
  body: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const res = await ts
    .http()
    .put(`/3.0/lists/${listId}/members/${hashOf(email)}`)
    .set('Authorization', ts.auth)
    .send({email_address: email, status_if_new: 'subscribed', ...body});
  if (res.status !== 200) throw new Error(`PUT member answered ${res.status}: ${res.text}`);
  return res.body as Record<string, unknown>;
}
