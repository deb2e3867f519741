import type {Logger} from '../logging/logger.js';
import type {Store} from '../store/database.js';
import type {SyncRecord} from '../store/sync-state-repository.js';
import {applyConfirmedChange} from '../sync/mailchimp-projection.js';
import {projectionContext} from '../sync/projector.js';
import type {SyncContext} from '../sync/processors/sync-context.js';
import type {EntityProcessor, ProcessOutcome} from '../sync/sync-worker.js';
import {recordUnconfirmedEmailChange} from '../write-back/write-back-desired.js';
import {
  CONFIRM_MEMBER_FIELDS,
  confirmHint,
  type MailchimpChangeHint,
  type MemberNow,
} from './mailchimp-confirmation.js';

export interface MailchimpConfirmProcessorDeps {
  store: Store;
  /** The connection's Mailchimp client and audience (through the account's shared limiter). */
  targets: Pick<SyncContext, 'target'>;
  logger: Logger;
  now(): Date;
  /** MAILCHIMP_EMAIL_CHANGE_WRITE_BACK: confirmed address changes are written to the store's customer. */
  emailChangeWriteBack: boolean;
}

/**
 * Confirms a list-webhook hint with Mailchimp and applies what Mailchimp confirms (mailchimp-confirmation.ts says
 * why here). One GET of the member (two for an address change: the old address must be gone); a failure to read
 * is thrown, so the worker retries the record later with back-off and never applies or drops it. What Mailchimp
 * does not confirm is logged and left alone.
 */
export class MailchimpConfirmProcessor implements EntityProcessor<MailchimpChangeHint> {
  constructor(private readonly deps: MailchimpConfirmProcessorDeps) {}

  /** `hint`: the record's desired state, decoded by the worker (its entity type has no decoder: plain JSON). */
  async process(record: SyncRecord, hint: MailchimpChangeHint): Promise<ProcessOutcome> {
    const {client, listId} = await this.deps.targets.target(record.connection_id);
    const fields = {fields: [...CONFIRM_MEMBER_FIELDS]};
    const member: MemberNow | null = await client.members.get(listId, hint.email, fields);
    const oldMember: MemberNow | null | undefined = hint.emailChange
      ? await client.members.get(listId, hint.emailChange.oldEmail, fields)
      : undefined;
    const {changes, rejected, unconfirmedEmailChange} = confirmHint(hint, member, oldMember);
    const log = this.deps.logger.child({connectionId: record.connection_id, email: hint.email});
    if (rejected.length > 0)
      log.warn({rejected}, 'Mailchimp webhook delivery not confirmed by Mailchimp (stale or forged); not applied');
    if (changes.length === 0 && !unconfirmedEmailChange) return {kind: 'synced'};
    const now = this.deps.now().toISOString();
    const {store} = this.deps;
    const notes = await store.db.transaction().execute(async (trx) => {
      const ctx = projectionContext(trx, store.engine, {connectionId: record.connection_id, now});
      const out: string[] = [];
      for (const change of changes) {
        const result = await applyConfirmedChange(change, ctx, {emailChangeWriteBack: this.deps.emailChangeWriteBack});
        if (!result.ok) throw new Error(result.error);
        if (result.note) out.push(result.note);
      }
      if (unconfirmedEmailChange) {
        const {oldEmail, newEmail, at, reason} = unconfirmedEmailChange;
        if (await recordUnconfirmedEmailChange(ctx, {email: oldEmail, newEmail, at}, reason))
          out.push('unconfirmed address change shown to the operator');
      }
      return out;
    });
    if (changes.length > 0)
      log.info({applied: changes.map((c) => c.kind), notes}, 'Mailchimp change confirmed and applied');
    return {kind: 'synced'};
  }
}
