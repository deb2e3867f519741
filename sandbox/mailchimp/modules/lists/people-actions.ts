import type {Request, Response, Router} from 'express';
import {assertValidEmail} from '../../core/email-address.js';
import {
  changeStatus,
  createMember,
  findMember,
  getList,
  requireMember,
  unsubscribeByContact,
} from '../../core/members.js';
import type {ModuleContext} from '../../core/module.js';
import {MailchimpProblem, problems} from '../../core/problem.js';
import {subscriberHash, type ListRecord, type MemberRecord, type SandboxState} from '../../core/state.js';
import {memberView} from './member-view.js';
import {changeEmail, updateMember} from './member-writes.js';
import {bodyObject, oneOf, optionalObject, optionalString, requireFields, type Body} from './request-body.js';

/**
 * What people do outside the API, as test controls: POST /__sandbox/lists/{list_id}/members/{email}/<action> with a
 * JSON body, answering the member as JSON. They change the member the way Mailchimp would and raise the same
 * events, so list webhooks fire as for real (source `user`, except bounces).
 */
export function peopleActions(router: Router, ctx: ModuleContext): void {
  const action = (
    name: string,
    run: (state: SandboxState, list: ListRecord, email: string, body: Body) => MemberRecord,
  ) => {
    router.post(`/lists/:listId/members/:member/${name}`, (req: Request, res: Response) => {
      try {
        const list = getList(ctx.state, String(req.params.listId));
        const member = run(ctx.state, list, String(req.params.member), bodyObject(req.body));
        res.json(memberView({state: ctx.state, origin: ctx.origin()}, list, member));
      } catch (err) {
        if (!(err instanceof MailchimpProblem)) throw err;
        for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
        res.status(err.status).json(err.toBody());
      }
    });
  };

  // The contact unsubscribes themselves, through the unsubscribe link or the preferences page: {campaign_id?,
  // reason?}, reason being their own words (unsubscribe_reason); "abuse" is a spam complaint. This puts them in a
  // compliance state: the API can no longer subscribe them (only `pending`), unlike after an API unsubscribe.
  action('unsubscribe', (state, list, id, body) => {
    const member = requireMember(list, id);
    const campaignId = optionalString(body, 'campaign_id');
    const reason = optionalString(body, 'reason');
    const data: Record<string, string> = {action: 'unsub', reason: reason === 'abuse' ? 'abuse' : 'manual'};
    if (campaignId) data.campaign_id = campaignId;
    unsubscribeByContact(state, list, member, reason, data);
    recordCampaignActivity(state, campaignId, (c) =>
      c.activity.unsubscribes.push({member_id: member.id, at: state.timestamp()}),
    );
    return member;
  });

  // A bounce: {type: 'hard' | 'soft', campaign_id?}. Hard bounces clean the address (a compliance state, like the
  // contact's own unsubscribe); a soft one changes nothing.
  // Bounce processing is Mailchimp's own doing, neither the subscriber's nor an API call's; of the webhook sources
  // it is closest to `admin` (the account side), so cleaned events from bounces carry source admin. UNVERIFIED.
  action('bounce', (state, list, id, body) => {
    const member = requireMember(list, id);
    const type = oneOf(body, 'type', ['hard', 'soft'] as const) ?? 'hard';
    const campaignId = optionalString(body, 'campaign_id');
    if (type === 'hard')
      changeStatus(state, list, member, 'cleaned', 'admin', {
        reason: 'hard',
        ...(campaignId ? {campaign_id: campaignId} : {}),
      });
    recordCampaignActivity(state, campaignId, (c) =>
      c.activity.bounces.push({member_id: member.id, type, at: state.timestamp()}),
    );
    return member;
  });

  // Signing up again through a form: allowed even from unsubscribed, cleaned or permanently deleted, as
  // Mailchimp lets people re-subscribe themselves ("The contact must re-subscribe to get back on the list").
  action('resubscribe', (state, list, id) => {
    const member = findMember(list, id);
    if (member) {
      changeStatus(state, list, member, 'subscribed', 'user');
      return member;
    }
    if (!id.includes('@')) throw problems.notFound();
    assertValidEmail(id);
    list.forgotten.delete(subscriberHash(id));
    return createMember(state, list, {email_address: id, status: 'subscribed', source: 'Hosted Signup Form'}, 'user');
  });

  // The subscriber changes their address on the preferences page: {new_email}.
  action('change-email', (state, list, id, body) => {
    const member = requireMember(list, id);
    requireFields(body, ['new_email']);
    changeEmail(state, list, member, optionalString(body, 'new_email')!, 'user');
    return member;
  });

  // The subscriber edits their profile: {merge_fields}.
  action('update-profile', (state, list, id, body) => {
    const member = requireMember(list, id);
    requireFields(body, ['merge_fields']);
    optionalObject(body, 'merge_fields');
    return updateMember(
      state,
      list,
      member,
      {merge_fields: body.merge_fields},
      {skipMergeValidation: false, source: 'user'},
      undefined,
    );
  });
}

function recordCampaignActivity(
  state: SandboxState,
  campaignId: string | undefined,
  record: (c: NonNullable<ReturnType<SandboxState['campaigns']['get']>>) => void,
): void {
  if (!campaignId) return;
  const campaign = state.campaigns.get(campaignId);
  if (campaign) record(campaign);
}
