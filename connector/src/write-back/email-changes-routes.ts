import express, {type Router} from 'express';
import type {Kysely} from 'kysely';
import type {Database} from '../store/schema.js';
import {skippedRecords} from '../store/sync-state-repository.js';
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
      const rows = await skippedRecords(deps.db, EMAIL_CHANGE_ENTITY, {
        shop: typeof req.query.shop === 'string' ? req.query.shop : undefined,
        limit: 500,
      });
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
