import express, {type Router} from 'express';
import type {Kysely} from 'kysely';
import {z} from 'zod';
import type {Database} from '../store/schema.js';
import {InboxRepository, requeueInboxEvent} from '../store/inbox-repository.js';
import {SyncStateRepository} from '../store/sync-state-repository.js';
import type {Engine} from '../store/database.js';
import type {Connection, ConnectionsRepository} from '../store/connections-repository.js';
import {storeCurrencyStatus} from '../sync/store-currency.js';
import {problem, sendProblem} from '../http/problem.js';

export interface OperatorRouteDeps {
  db: Kysely<Database>;
  engine: Engine;
  connections: ConnectionsRepository;
  now(): Date;
  /** Wakes the inbox processor and the sync worker after an operator action. */
  wake(): void;
}

const idParam = z.coerce.number().int().positive();

/** Sync status, dead letters (retry / discard) and inbox replay. Mounted behind the admin token. */
export function operatorRouter(deps: OperatorRouteDeps): Router {
  const router = express.Router();
  const syncState = new SyncStateRepository(deps.db, deps.engine);
  const inbox = new InboxRepository(deps.db);

  router.get('/v1/sync/status', async (req, res, next) => {
    try {
      const counts = await syncState.countsByTypeAndStatus();
      const entities: Record<string, Record<string, number>> = {};
      for (const {entity_type, status, n} of counts) (entities[entity_type] ??= {})[status] = n;
      const lastErrors = await syncState.lastErrors(20);
      res.json({
        entities,
        inbox: await inbox.countByStatus(),
        oldestPending: (await syncState.oldestPending()) ?? null,
        lastErrors,
        store: await storeStatus(deps.connections, typeof req.query.shop === 'string' ? req.query.shop : undefined),
        connections: await connectionsStatus(deps.connections),
      });
    } catch (err) {
      next(err);
    }
  });

  router.get('/v1/dead-letters', async (req, res, next) => {
    try {
      const includeResolved = req.query.include_resolved === 'true';
      const rows = await syncState.deadLetters({includeResolved, limit: 200});
      res.json({deadLetters: rows.map((r) => ({...r, id: Number(r.id), problem: parseJson(r.problem)}))});
    } catch (err) {
      next(err);
    }
  });

  const resolve =
    (resolution: 'retried' | 'discarded') =>
    async (req: express.Request, res: express.Response, next: express.NextFunction) => {
      try {
        const id = idParam.safeParse(req.params.id);
        if (!id.success)
          return sendProblem(
            res,
            problem(400, 'invalid-id', 'Bad Request', 'The dead letter id must be a positive integer.', {
              instance: req.path,
            }),
          );
        const now = deps.now().toISOString();
        const letter = await syncState.deadLetter(id.data);
        if (!letter)
          return sendProblem(
            res,
            problem(404, 'not-found', 'Not Found', `No dead letter ${id.data}.`, {instance: req.path}),
          );
        if (letter.resolved_at)
          return sendProblem(
            res,
            problem(409, 'already-resolved', 'Conflict', `Dead letter ${id.data} was already ${letter.resolution}.`, {
              instance: req.path,
            }),
          );
        if (resolution === 'retried') await syncState.retryDeadLetter(letter, now);
        else await syncState.discardDeadLetter(letter, now);
        if (resolution === 'retried') deps.wake();
        res.json({id: id.data, resolution});
      } catch (err) {
        next(err);
      }
    };
  router.post('/v1/dead-letters/:id/retry', resolve('retried'));
  router.post('/v1/dead-letters/:id/discard', resolve('discarded'));

  router.post('/v1/inbox/:id/replay', async (req, res, next) => {
    try {
      const id = idParam.safeParse(req.params.id);
      if (!id.success)
        return sendProblem(
          res,
          problem(400, 'invalid-id', 'Bad Request', 'The inbox event id must be a positive integer.', {
            instance: req.path,
          }),
        );
      const stored = await inbox.get(id.data);
      if (!stored)
        return sendProblem(
          res,
          problem(404, 'not-found', 'Not Found', `No inbox event ${id.data}.`, {instance: req.path}),
        );
      if (stored.redacted_at) {
        // Its payload was erased by a GDPR redaction: there is nothing to replay, and replaying it must never bring
        // the person back (events about them from before the redaction are dropped by the projector as well).
        return sendProblem(
          res,
          problem(
            410,
            'redacted',
            'Gone',
            `Inbox event ${id.data} was erased by a GDPR redaction at ${stored.redacted_at}; it cannot be replayed.`,
            {instance: req.path},
          ),
        );
      }
      if (!(await requeueInboxEvent(deps.db, id.data))) {
        return sendProblem(
          res,
          problem(404, 'not-found', 'Not Found', `No inbox event ${id.data}.`, {instance: req.path}),
        );
      }
      deps.wake();
      res.status(202).json({id: id.data, status: 'pending'});
    } catch (err) {
      next(err);
    }
  });
  return router;
}

/**
 * The Mailchimp store of `?shop=`, or of the only connection (null when there is none, or several and no `?shop=`):
 * its id and its currency (STORE_CURRENCY, the shop's, Mailchimp's, whether they disagree and why).
 */
async function storeStatus(connections: ConnectionsRepository, shop: string | undefined) {
  let connection: Connection | undefined;
  if (shop) {
    connection = await connections.byShopDomain(shop);
  } else {
    const all = await connections.all();
    connection = all.length === 1 ? all[0] : undefined;
  }
  if (!connection) return null;
  return {
    shop: connection.shopDomain,
    id: connection.mailchimpStoreId,
    created: connection.storeCreated,
    currency: storeCurrencyStatus(connection.currency),
  };
}

/**
 * Every connection's Mailchimp state: `connected`, `not_connected` (an installed shop that has not connected yet) or
 * `reconnect_needed` (Mailchimp refused its credentials: its sync waits, queue kept) with what Mailchimp answered.
 */
async function connectionsStatus(connections: ConnectionsRepository) {
  return (await connections.all()).map((connection) => ({
    id: connection.id,
    shop: connection.shopDomain,
    status: connection.status,
    installSource: connection.installSource,
    mailchimp: {
      status: connection.mailchimpStatus,
      detail: connection.mailchimpStatusDetail ?? null,
      account: connection.mailchimpAccountName ?? null,
    },
  }));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
