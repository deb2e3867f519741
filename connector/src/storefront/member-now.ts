import type {Logger} from '../logging/logger.js';
import type {SyncStateRepository} from '../store/sync-state-repository.js';
import {ENTITY} from '../sync/entity-types.js';
import {currentMember, MEMBER_FIELDS} from '../sync/processors/member-processor.js';
import type {SyncContext} from '../sync/processors/sync-context.js';
import type {MemberNowLookup} from './storefront-answer.js';

/**
 * How long the subscribe form waits for Mailchimp before answering from local knowledge: a person is waiting on the
 * page, and the request is already stored, so a slow Mailchimp only costs the answer its precision.
 */
export const MEMBER_LOOKUP_DEADLINE_MS = 2_500;

/** The storefront's MemberNowLookup over the connection's Mailchimp client (through its shared limiter). */
export function mailchimpMemberNow(deps: {targets: Pick<SyncContext, 'target'>; syncState: SyncStateRepository; logger: Logger; deadlineMs?: number}): MemberNowLookup {
  return async (connectionId, emailRaw) => {
    const email = emailRaw.toLowerCase();
    try {
      const {client, listId} = await deps.targets.target(connectionId);
      const found = await client.members.get(listId, email, {fields: [...MEMBER_FIELDS]}, {signal: AbortSignal.timeout(deps.deadlineMs ?? MEMBER_LOOKUP_DEADLINE_MS)});
      const lastWrite = await deps.syncState.get({connectionId, entityType: ENTITY.member, entityId: email});
      return {current: found ? currentMember(found) : null, lastWrite};
    } catch (err) {
      deps.logger.info({err}, 'storefront answer from local knowledge: Mailchimp did not answer the member lookup in time');
      return undefined;
    }
  };
}
