import express, {type Router} from 'express';
import type {Kysely} from 'kysely';
import type {Database} from '../store/schema.js';
import {EMAIL_CHANGE_ENTITY, type EmailChangeRecord} from './write-back-desired.js';

/**
 * `GET /v1/email-changes` (behind the admin token): address changes reported by Mailchimp's list webhook that were
 * not written to the store's customer, newest first, for the operator to apply in the store (or not): `confirmed`
 * ones (Mailchimp holds the member at the new address and no longer at the old; MAILCHIMP_EMAIL_CHANGE_WRITE_BACK is
 * off) and unconfirmed ones with the `reason` (a forged delivery, or the old address still on the audience), for
 * people the store knows. `?shop=` narrows them to one shop.
 */
export function emailChangesRouter(deps: {db: Kysely<Database>}): Router {
  const router = express.Router();
  router.get('/v1/email-changes', async (req, res, next) => {
    try {
      let query = deps.db
        .selectFrom('sync_state')
        .innerJoin('connections', 'connections.id', 'sync_state.connection_id')
        .select(['connections.shop_domain', 'sync_state.desired', 'sync_state.updated_at'])
        .where('sync_state.entity_type', '=', EMAIL_CHANGE_ENTITY)
        .where('sync_state.status', '=', 'skipped')
        .orderBy('sync_state.updated_at', 'desc')
        .limit(500);
      if (typeof req.query.shop === 'string') query = query.where('connections.shop_domain', '=', req.query.shop);
      const rows = await query.execute();
      res.json({
        email_changes: rows.map((row) => {
          const change = JSON.parse(row.desired) as EmailChangeRecord;
          return {
            shop: row.shop_domain,
            customer_id: change.customerId ?? null,
            old_email: change.oldEmail,
            new_email: change.newEmail,
            changed_at: change.changedAt,
            recorded_at: change.recordedAt,
            confirmed: change.confirmed,
            ...(change.reason ? {reason: change.reason} : {}),
          };
        }),
      });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
