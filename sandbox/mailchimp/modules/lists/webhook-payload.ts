import type {MemberEvent} from '../../core/state.js';

/**
 * The form fields of a list webhook delivery, in the order of Mailchimp's sample payloads (notes §7): `type`,
 * `fired_at` (`YYYY-MM-DD HH:MM:SS`, UTC) and PHP-style `data[...]` keys. Pure: call it when the event happens, so
 * that later changes to the member do not leak into the payload.
 */
export function webhookFields(
  event: MemberEvent,
  mergeTags: readonly string[],
  firedAt: Date,
): Array<[string, string]> {
  const m = event.member;
  const extra = event.data ?? {};
  const fields: Array<[string, string]> = [
    ['type', event.type],
    ['fired_at', formatFiredAt(firedAt)],
  ];
  const add = (key: string, value: string | number | undefined) => {
    if (value !== undefined) fields.push([`data[${key}]`, String(value)]);
  };
  const merges = () => {
    add('merges][EMAIL', m.email_address);
    for (const tag of mergeTags) addMerge(fields, tag, m.merge_fields[tag]);
  };
  switch (event.type) {
    case 'subscribe':
    case 'profile':
      add('id', m.unique_email_id);
      add('list_id', event.listId);
      add('email', m.email_address);
      add('email_type', m.email_type);
      merges();
      add('ip_opt', m.ip_opt);
      add('ip_signup', m.ip_signup);
      add('web_id', m.web_id);
      break;
    case 'unsubscribe':
      add('action', extra.action ?? 'unsub');
      add('reason', extra.reason ?? 'manual');
      add('id', m.unique_email_id);
      add('list_id', event.listId);
      add('email', m.email_address);
      add('email_type', m.email_type);
      merges();
      add('ip_opt', m.ip_opt);
      add('web_id', m.web_id);
      add('campaign_id', extra.campaign_id);
      break;
    case 'cleaned':
      add('list_id', event.listId);
      add('campaign_id', extra.campaign_id);
      add('reason', extra.reason ?? 'hard');
      add('email', m.email_address);
      break;
    case 'upemail':
      add('list_id', event.listId);
      add('new_id', extra.new_id ?? m.unique_email_id);
      add('new_email', extra.new_email ?? m.email_address);
      add('old_email', extra.old_email);
      break;
  }
  return fields;
}

/** Address merge values are objects: they go out as `data[merges][ADDRESS][addr1]` and so on. */
function addMerge(fields: Array<[string, string]>, tag: string, value: unknown): void {
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      fields.push([`data[merges][${tag}][${k}]`, v === null || v === undefined ? '' : String(v)]);
  } else {
    fields.push([`data[merges][${tag}]`, value === null || value === undefined ? '' : String(value)]);
  }
}

export function formatFiredAt(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
