import type {Consent} from '../model/consent.js';
import type {StoreEvent} from '../model/events.js';
import type {MailchimpWebhookEvent} from './webhook-payload.js';

/**
 * A Mailchimp list-webhook event in canonical terms (pure). The consent it carries has source `mailchimp` and the
 * delivery's `fired_at` as its time (clamped to the receive time by the inbox processor), so the newer-wins rules
 * order it against the store's own consent changes. These events are only what the delivery claims: projecting them
 * records a hint, applied once Mailchimp confirms it (mailchimp-confirmation.ts).
 *
 * - `unsubscribe` (the person, or an admin, unsubscribed) → consent `unsubscribed`;
 * - `cleaned` (the address bounced) → consent `unsubscribed`: the address must not be mailed, and a store knows
 *   no "cleaned" state (Shopify's consent write-back accepts subscribed, unsubscribed and pending only);
 * - `subscribe` (a Mailchimp form, or a confirmed double opt-in) → consent `subscribed`, one of the allowed sources;
 * - `unsubscribe` with action `delete` (an admin deleted/archived the contact) is housekeeping, not the person's
 *   choice: recorded, not applied to the store's consent;
 * - `profile` → the person's names; `upemail` → the person moves to the new address;
 * - `campaign` events and events of another audience are recorded and ignored.
 */
export function webhookEventToStoreEvents(
  event: MailchimpWebhookEvent,
  expectedListId: string | undefined,
): StoreEvent[] {
  if (expectedListId !== undefined && event.listId !== expectedListId)
    return [{kind: 'ignored', reason: `webhook for audience ${event.listId}, not the connection's`}];
  const consent = (state: Consent['state']): Consent => ({state, source: 'mailchimp', updatedAt: event.firedAt});
  switch (event.type) {
    case 'unsubscribe':
      if (event.action === 'delete')
        return [{kind: 'ignored', reason: 'contact deleted in Mailchimp by an admin; store consent left as is'}];
      return [{kind: 'mailchimp.consent', email: event.email, consent: consent('unsubscribed'), reason: 'unsubscribe'}];
    case 'cleaned':
      return [{kind: 'mailchimp.consent', email: event.email, consent: consent('unsubscribed'), reason: 'cleaned'}];
    case 'subscribe':
      return [
        {
          kind: 'mailchimp.consent',
          email: event.email,
          consent: consent('subscribed'),
          reason: 'subscribe',
          ...names(event.merges),
        },
      ];
    case 'profile':
      return [{kind: 'mailchimp.profile', email: event.email, at: event.firedAt, ...names(event.merges)}];
    case 'upemail':
      return [{kind: 'mailchimp.email_change', oldEmail: event.oldEmail, newEmail: event.newEmail, at: event.firedAt}];
    case 'campaign':
      return [{kind: 'ignored', reason: `campaign ${event.campaignId} ${event.status}`}];
  }
}

function names(merges: Record<string, string>): {firstName?: string; lastName?: string} {
  const first = merges.FNAME?.trim();
  const last = merges.LNAME?.trim();
  return {...(first ? {firstName: first} : {}), ...(last ? {lastName: last} : {})};
}
