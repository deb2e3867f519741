import type {CampaignRecord} from '../../core/state.js';
import type {Recipients} from './recipients.js';

export interface ChecklistItem {
  type: 'success' | 'warning' | 'error';
  id: number;
  heading: string;
  details: string;
}

export interface SendChecklist {
  is_ready: boolean;
  items: ChecklistItem[];
}

/** Stable ids of the checklist items (the spec types `id` as an integer). */
export const CHECK = {audience: 1, fromName: 2, replyTo: 3, subject: 4, content: 5, previewText: 6} as const;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * What stands between a campaign and sending (GET /campaigns/{id}/send-checklist; POST …/actions/send refuses
 * with "Your Campaign is not ready to send." while any item is an error): an audience with subscribed contacts,
 * from name, reply-to address, subject line and content. A missing preview text is only a warning.
 */
export function sendChecklist(campaign: CampaignRecord, recipients: Recipients): SendChecklist {
  const settings = campaign.settings;
  const items: ChecklistItem[] = [
    audienceItem(recipients),
    filled(settings.from_name)
      ? ok(CHECK.fromName, 'From name', `Sent from "${String(settings.from_name)}".`)
      : error(CHECK.fromName, 'From name', 'You need to set a from name.'),
    !filled(settings.reply_to)
      ? error(CHECK.replyTo, 'From email address', 'You need to set a from email address (reply_to).')
      : EMAIL.test(String(settings.reply_to))
        ? ok(CHECK.replyTo, 'From email address', `Replies go to ${String(settings.reply_to)}.`)
        : error(CHECK.replyTo, 'From email address', `"${String(settings.reply_to)}" is not a valid email address.`),
    filled(settings.subject_line)
      ? ok(CHECK.subject, 'Subject line', `"${String(settings.subject_line)}"`)
      : error(CHECK.subject, 'Subject line', 'You need to set a subject line.'),
    hasContent(campaign)
      ? ok(CHECK.content, 'Content', 'Your campaign has content.')
      : error(
          CHECK.content,
          'Content',
          campaign.type === 'plaintext'
            ? 'You need to add plain-text content.'
            : 'You need to add content (HTML or a template).',
        ),
  ];
  if (!filled(settings.preview_text)) {
    items.push({
      type: 'warning',
      id: CHECK.previewText,
      heading: 'Preview text',
      details: 'No preview text is set; inboxes will show the first line of the content.',
    });
  }
  return {is_ready: items.every((i) => i.type !== 'error'), items};
}

function audienceItem(recipients: Recipients): ChecklistItem {
  switch (recipients.kind) {
    case 'no-list':
      return error(CHECK.audience, 'Audience', 'You need to choose an audience to send to.');
    case 'list-missing':
      return error(CHECK.audience, 'Audience', `The audience ${recipients.listId} no longer exists.`);
    case 'segment-missing':
      return error(
        CHECK.audience,
        'Segment',
        `The segment ${recipients.segmentId} of list "${recipients.list.name}" no longer exists.`,
      );
    case 'ok': {
      const count = recipients.members.length;
      if (count === 0) {
        const segmented = recipients.segment !== undefined || recipients.conditions;
        return error(
          CHECK.audience,
          segmented ? 'Segment' : 'Audience',
          segmented
            ? `Your segment of list "${recipients.list.name}" is empty.`
            : `Your list "${recipients.list.name}" has no subscribed contacts.`,
        );
      }
      return ok(
        CHECK.audience,
        'Audience',
        `This campaign will be sent to ${count} subscribed contact${count === 1 ? '' : 's'} of "${recipients.list.name}".`,
      );
    }
  }
}

export function hasContent(campaign: CampaignRecord): boolean {
  const content = campaign.content;
  if (!content) return false;
  if (campaign.type === 'plaintext') return filled(content.plain_text);
  return filled(content.html);
}

function filled(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}

const ok = (id: number, heading: string, details: string): ChecklistItem => ({type: 'success', id, heading, details});
const error = (id: number, heading: string, details: string): ChecklistItem => ({type: 'error', id, heading, details});
