import fc from 'fast-check';
import {webhookEventToStoreEvents} from './webhook-event-mapper.js';
import {firedAtToIso, parseWebhookBody, type MailchimpWebhookEvent} from './webhook-payload.js';

/** Mailchimp's sample deliveries (notes §7, "About Webhooks"), as the form bodies arrive. */
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const SAMPLES = {
  subscribe: form({
    type: 'subscribe',
    fired_at: '2009-03-26 21:35:57',
    'data[id]': '8a25ff1d98',
    'data[list_id]': 'a6b5da1054',
    'data[email]': 'api@mailchimp.com',
    'data[email_type]': 'html',
    'data[merges][EMAIL]': 'api@mailchimp.com',
    'data[merges][FNAME]': 'Mailchimp',
    'data[merges][LNAME]': 'API',
    'data[merges][INTERESTS]': 'Group1,Group2',
    'data[ip_opt]': '10.20.10.30',
    'data[ip_signup]': '10.20.10.30',
  }),
  unsubscribe: form({
    type: 'unsubscribe',
    fired_at: '2009-03-26 21:40:57',
    'data[action]': 'unsub',
    'data[reason]': 'manual',
    'data[id]': '8a25ff1d98',
    'data[list_id]': 'a6b5da1054',
    'data[email]': 'api+unsub@mailchimp.com',
    'data[email_type]': 'html',
    'data[merges][EMAIL]': 'api+unsub@mailchimp.com',
    'data[merges][FNAME]': 'Mailchimp',
    'data[merges][LNAME]': 'API',
    'data[ip_opt]': '10.20.10.30',
    'data[campaign_id]': 'cb398d21d2',
  }),
  profile: form({
    type: 'profile',
    fired_at: '2009-03-26 21:31:21',
    'data[id]': '8a25ff1d98',
    'data[list_id]': 'a6b5da1054',
    'data[email]': 'api@mailchimp.com',
    'data[email_type]': 'html',
    'data[merges][EMAIL]': 'api@mailchimp.com',
    'data[merges][FNAME]': 'Mailchimp',
    'data[merges][LNAME]': 'API',
    'data[ip_opt]': '10.20.10.30',
  }),
  upemail: form({
    type: 'upemail',
    fired_at: '2009-03-26 22:15:09',
    'data[list_id]': 'a6b5da1054',
    'data[new_id]': '51da8c3259',
    'data[new_email]': 'api+new@mailchimp.com',
    'data[old_email]': 'api+old@mailchimp.com',
  }),
  cleaned: form({
    type: 'cleaned',
    fired_at: '2009-03-26 22:01:00',
    'data[list_id]': 'a6b5da1054',
    'data[campaign_id]': '4fjk2ma9xd',
    'data[reason]': 'hard',
    'data[email]': 'api+cleaned@mailchimp.com',
  }),
  campaign: form({
    type: 'campaign',
    fired_at: '2009-03-26 22:01:00',
    'data[id]': '5aa2102003',
    'data[subject]': 'Test Campaign Subject',
    'data[status]': 'sent',
    'data[reason]': '',
    'data[list_id]': 'a6b5da1054',
  }),
};

function parse(body: string): MailchimpWebhookEvent {
  const result = parseWebhookBody(body);
  if (!result.ok) throw new Error(result.error);
  return result.event;
}

describe('Mailchimp list webhook deliveries', () => {
  it('reads fired_at as UTC', () => {
    expect(firedAtToIso('2009-03-26 21:35:57')).toBe('2009-03-26T21:35:57.000Z');
    expect(firedAtToIso('2009-03-26T21:35:57Z')).toBeUndefined();
    expect(firedAtToIso('2009-02-30 10:00:00')).toBeUndefined();
  });

  it('turns an unsubscribe into an unsubscribed consent from Mailchimp at the time it fired', () => {
    const event = parse(SAMPLES.unsubscribe);
    expect(event).toMatchObject({
      type: 'unsubscribe',
      action: 'unsub',
      reason: 'manual',
      campaignId: 'cb398d21d2',
      email: 'api+unsub@mailchimp.com',
    });
    expect(webhookEventToStoreEvents(event, 'a6b5da1054')).toEqual([
      {
        kind: 'mailchimp.consent',
        email: 'api+unsub@mailchimp.com',
        reason: 'unsubscribe',
        consent: {state: 'unsubscribed', source: 'mailchimp', updatedAt: '2009-03-26T21:40:57.000Z'},
      },
    ]);
  });

  it('treats a cleaned address as unsubscribed, and an admin deletion as housekeeping', () => {
    expect(webhookEventToStoreEvents(parse(SAMPLES.cleaned), 'a6b5da1054')).toEqual([
      {
        kind: 'mailchimp.consent',
        email: 'api+cleaned@mailchimp.com',
        reason: 'cleaned',
        consent: {state: 'unsubscribed', source: 'mailchimp', updatedAt: '2009-03-26T22:01:00.000Z'},
      },
    ]);
    const deleted = SAMPLES.unsubscribe.replace('data%5Baction%5D=unsub', 'data%5Baction%5D=delete');
    expect(webhookEventToStoreEvents(parse(deleted), 'a6b5da1054')).toEqual([
      {kind: 'ignored', reason: expect.stringContaining('deleted')},
    ]);
  });

  it('reads subscribe and profile merges, and the old and new address of upemail', () => {
    expect(webhookEventToStoreEvents(parse(SAMPLES.subscribe), 'a6b5da1054')).toEqual([
      {
        kind: 'mailchimp.consent',
        email: 'api@mailchimp.com',
        reason: 'subscribe',
        firstName: 'Mailchimp',
        lastName: 'API',
        consent: {state: 'subscribed', source: 'mailchimp', updatedAt: '2009-03-26T21:35:57.000Z'},
      },
    ]);
    expect(webhookEventToStoreEvents(parse(SAMPLES.profile), 'a6b5da1054')).toEqual([
      {
        kind: 'mailchimp.profile',
        email: 'api@mailchimp.com',
        firstName: 'Mailchimp',
        lastName: 'API',
        at: '2009-03-26T21:31:21.000Z',
      },
    ]);
    expect(webhookEventToStoreEvents(parse(SAMPLES.upemail), 'a6b5da1054')).toEqual([
      {
        kind: 'mailchimp.email_change',
        oldEmail: 'api+old@mailchimp.com',
        newEmail: 'api+new@mailchimp.com',
        at: '2009-03-26T22:15:09.000Z',
      },
    ]);
  });

  it('ignores campaign events and other audiences', () => {
    expect(webhookEventToStoreEvents(parse(SAMPLES.campaign), 'a6b5da1054')[0]!.kind).toBe('ignored');
    expect(webhookEventToStoreEvents(parse(SAMPLES.unsubscribe), 'other-list')[0]!.kind).toBe('ignored');
  });

  it('refuses deliveries without type, a readable fired_at, a list or an address', () => {
    expect(parseWebhookBody('')).toEqual({ok: false, error: 'type is missing'});
    expect(parseWebhookBody(form({type: 'unsubscribe', fired_at: 'yesterday', 'data[list_id]': 'x'})).ok).toBe(false);
    expect(parseWebhookBody(form({type: 'unsubscribe', fired_at: '2009-03-26 21:40:57'})).ok).toBe(false);
    expect(parseWebhookBody(form({type: 'cleaned', fired_at: '2009-03-26 21:40:57', 'data[list_id]': 'x'})).ok).toBe(
      false,
    );
    expect(
      parseWebhookBody(form({type: 'sms_subscribe', fired_at: '2009-03-26 21:40:57', 'data[list_id]': 'x'})).ok,
    ).toBe(false);
  });

  it('never turns any delivery into a subscribed consent unless Mailchimp said subscribe', () => {
    const types = ['subscribe', 'unsubscribe', 'profile', 'cleaned', 'upemail', 'campaign'];
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.date({min: new Date('2000-01-01'), max: new Date('2099-01-01'), noInvalidDate: true}),
        fc.emailAddress(),
        fc.dictionary(fc.constantFrom('FNAME', 'LNAME', 'PHONE'), fc.string({maxLength: 30})),
        fc.constantFrom('unsub', 'delete'),
        (type, when, email, merges, action) => {
          const fields: Record<string, string> = {
            type,
            fired_at: when.toISOString().slice(0, 19).replace('T', ' '),
            'data[list_id]': 'L1',
            'data[email]': email,
            'data[old_email]': email,
            'data[new_email]': `new.${email}`,
            'data[action]': action,
          };
          for (const [k, v] of Object.entries(merges)) fields[`data[merges][${k}]`] = v;
          const event = parse(form(fields));
          for (const out of webhookEventToStoreEvents(event, 'L1')) {
            if (out.kind === 'mailchimp.consent') {
              expect(out.consent.source).toBe('mailchimp');
              expect(out.consent.updatedAt).toBe(new Date(Math.floor(when.getTime() / 1000) * 1000).toISOString());
              expect(out.consent.state === 'subscribed').toBe(type === 'subscribe');
            }
          }
        },
      ),
    );
  });
});
