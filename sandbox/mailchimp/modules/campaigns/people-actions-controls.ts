import type {Request, Response, Router} from 'express';
import type {ModuleContext} from '../../core/module.js';
import {MailchimpProblem, problems} from '../../core/problem.js';
import {sendProblem} from '../../core/server.js';
import {
  findRecipient,
  recordBounce,
  recordClick,
  recordOpen,
  recordPurchase,
  recordUnsubscribe,
} from './people-actions.js';

type Body = Record<string, unknown>;

/**
 * /__sandbox/campaigns/{id}/open|click|unsubscribe|bounce|purchase, JSON in and out. Each answers 200 with what was
 * recorded, or a problem (404 when the address did not receive the campaign).
 */
export function peopleActionsControls(router: Router, ctx: ModuleContext): void {
  const {state, table} = ctx;
  const handle = (action: string, run: (req: Request, body: Body) => unknown) => {
    router.post(`/campaigns/:campaign_id/${action}`, async (req: Request, res: Response) => {
      try {
        const body = (req.body ?? {}) as Body;
        const outcome = await run(req, body);
        res
          .status(200)
          .json({campaign_id: req.params.campaign_id, email_address: body.email, action, ...(outcome as object)});
      } catch (err) {
        sendProblem(res, err instanceof MailchimpProblem ? err : problems.internal());
      }
    });
  };
  const recipient = (req: Request, body: Body) => findRecipient(state, String(req.params.campaign_id), body.email);

  handle('open', (req, body) => recordOpen(state, recipient(req, body)));
  handle('click', (req, body) => recordClick(state, recipient(req, body), body.url));
  handle('unsubscribe', (req, body) => recordUnsubscribe(state, recipient(req, body), body.reason));
  handle('bounce', (req, body) => recordBounce(state, recipient(req, body), body.type));
  router.post('/campaigns/:campaign_id/purchase', async (req: Request, res: Response) => {
    try {
      const body = (req.body ?? {}) as Body;
      const result = await recordPurchase(state, table, recipient(req, body), body.store_id, body.order);
      res
        .status(result.status)
        .type(result.status >= 400 ? 'application/problem+json' : 'application/json')
        .send(JSON.stringify(result.body ?? {}));
    } catch (err) {
      sendProblem(res, err instanceof MailchimpProblem ? err : problems.internal());
    }
  });
}
