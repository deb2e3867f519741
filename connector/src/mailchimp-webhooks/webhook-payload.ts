/**
 * Mailchimp list-webhook deliveries: `application/x-www-form-urlencoded` POSTs with `type`, `fired_at`
 * (`YYYY-MM-DD HH:MM:SS`, UTC) and PHP-style `data[...]` keys (notes §7: subscribe, unsubscribe, profile, upemail,
 * cleaned, campaign). Parsing is pure and returns a typed result instead of throwing.
 */

export type MailchimpWebhookEvent =
  | {type: 'subscribe' | 'profile'; firedAt: string; listId: string; email: string; merges: Record<string, string>}
  | {
      type: 'unsubscribe';
      firedAt: string;
      listId: string;
      email: string;
      action: 'unsub' | 'delete';
      reason: string;
      campaignId?: string;
      merges: Record<string, string>;
    }
  | {type: 'cleaned'; firedAt: string; listId: string; email: string; reason: string; campaignId?: string}
  | {type: 'upemail'; firedAt: string; listId: string; oldEmail: string; newEmail: string}
  | {type: 'campaign'; firedAt: string; listId: string; campaignId: string; status: string};

export type WebhookParseResult = {ok: true; event: MailchimpWebhookEvent} | {ok: false; error: string};

const FIRED_AT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/** `2024-03-20 12:34:56` → `2024-03-20T12:34:56.000Z`; undefined when it is not in Mailchimp's format. */
export function firedAtToIso(value: string): string | undefined {
  const m = FIRED_AT.exec(value.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}Z`);
  if (Number.isNaN(ms)) return undefined;
  const iso = new Date(ms).toISOString();
  // A day that does not exist (02-30) would silently roll over.
  return iso.startsWith(`${m[1]}T${m[2]}`) ? iso : undefined;
}

export function parseWebhookBody(body: string): WebhookParseResult {
  const form = new URLSearchParams(body);
  const get = (key: string) => {
    const v = form.get(key);
    return v === null ? undefined : v.trim();
  };
  const type = get('type');
  const firedAtRaw = get('fired_at');
  if (!type) return {ok: false, error: 'type is missing'};
  if (!firedAtRaw) return {ok: false, error: 'fired_at is missing'};
  const firedAt = firedAtToIso(firedAtRaw);
  if (!firedAt) return {ok: false, error: `fired_at is not YYYY-MM-DD HH:MM:SS: ${firedAtRaw}`};
  const listId = get('data[list_id]');
  if (!listId) return {ok: false, error: 'data[list_id] is missing'};
  const merges: Record<string, string> = {};
  for (const [key, value] of form) {
    const m = /^data\[merges\]\[([^\]]+)\]$/.exec(key);
    if (m) merges[m[1]!] = value;
  }
  const email = get('data[email]');
  const needEmail = (): WebhookParseResult | undefined =>
    email && email.includes('@') ? undefined : {ok: false, error: 'data[email] is missing'};
  const campaignId = get('data[campaign_id]') || undefined;
  switch (type) {
    case 'subscribe':
    case 'profile':
      return needEmail() ?? {ok: true, event: {type, firedAt, listId, email: email!, merges}};
    case 'unsubscribe': {
      const action = get('data[action]') === 'delete' ? 'delete' : 'unsub';
      return (
        needEmail() ?? {
          ok: true,
          event: {
            type,
            firedAt,
            listId,
            email: email!,
            action,
            reason: get('data[reason]') ?? 'manual',
            ...(campaignId ? {campaignId} : {}),
            merges,
          },
        }
      );
    }
    case 'cleaned':
      return (
        needEmail() ?? {
          ok: true,
          event: {
            type,
            firedAt,
            listId,
            email: email!,
            reason: get('data[reason]') ?? 'hard',
            ...(campaignId ? {campaignId} : {}),
          },
        }
      );
    case 'upemail': {
      const oldEmail = get('data[old_email]');
      const newEmail = get('data[new_email]');
      if (!oldEmail?.includes('@') || !newEmail?.includes('@'))
        return {ok: false, error: 'data[old_email] and data[new_email] are required'};
      return {ok: true, event: {type, firedAt, listId, oldEmail, newEmail}};
    }
    case 'campaign':
      return {
        ok: true,
        event: {type, firedAt, listId, campaignId: get('data[id]') ?? '', status: get('data[status]') ?? ''},
      };
    default:
      return {ok: false, error: `unknown webhook type ${type}`};
  }
}
