import {problems} from '../../core/problem.js';
import type {CampaignRecord, SandboxState} from '../../core/state.js';
import {resolveRecipients} from './recipients.js';
import {sendChecklist} from './send-checklist.js';

/** "Your Campaign is not ready to send." (notes §6, §9.24): the one answer Mailchimp gives whatever is missing. */
export const notReady = () => problems.badRequest('Your Campaign is not ready to send.');

/** Refuses unless the send checklist has no errors; returns the subscribed members it would reach. */
export function assertReady(state: SandboxState, campaign: CampaignRecord): string[] {
  if (campaign.status === 'sent' || campaign.status === 'sending')
    throw problems.badRequest('This campaign has already been sent.');
  const recipients = resolveRecipients(state, campaign);
  if (recipients.kind !== 'ok' || !sendChecklist(campaign, recipients).is_ready) throw notReady();
  return recipients.members.map((m) => m.id);
}

/**
 * Sends now: to exactly the subscribed members of the segment (or list) at this moment. The campaign becomes
 * `sent` with emails_sent, send_time and the recipients kept for reports and people's actions.
 */
export function sendCampaign(state: SandboxState, campaign: CampaignRecord): void {
  const memberIds = assertReady(state, campaign);
  campaign.sent_to = memberIds;
  campaign.emails_sent = memberIds.length;
  campaign.send_time = state.timestamp();
  campaign.status = 'sent';
  delete campaign.schedule_time;
}
