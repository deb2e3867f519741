import type {ModuleContext, SandboxModule} from '../core/module.js';
import {BatchRunner} from './batches/batch-runner.js';
import {batchesRoutes} from './batches/batches-routes.js';
import {batchWebhooksRoutes} from './batches/batch-webhooks-routes.js';

/** Public path (no auth) of the results archives, as Mailchimp serves them from storage. */
const RESULTS_PATH = '/batch-results';

// Module objects are shared by every sandbox in the process: each sandbox (context) gets its own runner.
const runners = new WeakMap<ModuleContext, BatchRunner>();

function runnerFor(ctx: ModuleContext): BatchRunner {
  let runner = runners.get(ctx);
  if (!runner) {
    runner = new BatchRunner({
      state: ctx.state,
      table: ctx.table,
      recorder: ctx.recorder,
      stepMs: ctx.batchStepMs,
      webhookTimeoutMs: ctx.webhookTimeoutMs,
      resultsBaseUrl: () => `${ctx.origin()}${RESULTS_PATH}`,
    });
    runners.set(ctx, runner);
  }
  return runner;
}

/** Batch operations (run in the background through the route table), their results archives, batch webhooks. */
export const batchesModule: SandboxModule = {
  name: 'batches',
  routes: (ctx) => {
    const apiBase = () => `${ctx.origin()}/3.0`;
    return [...batchesRoutes(runnerFor(ctx), apiBase), ...batchWebhooksRoutes(apiBase)];
  },
  publicRoutes(router, ctx) {
    router.get(`${RESULTS_PATH}/:file`, (req, res) => {
      const id = /^([a-z0-9]+)\.tar\.gz$/.exec(req.params.file)?.[1];
      const archive = id === undefined ? undefined : ctx.state.batches.get(id)?.archive;
      if (!archive) {
        res.status(404).type('text/plain').send('The batch results do not exist or have expired.');
        return;
      }
      res
        .status(200)
        .type('application/x-gzip')
        .setHeader('Content-Disposition', `attachment; filename="${id}-response.tar.gz"`);
      res.send(archive);
    });
  },
  controls(router, ctx) {
    // What the batch webhook calls returned (receiver status, or 0 and the error when unreachable).
    router.get('/batch-webhook-deliveries', (_req, res) => {
      res.json({deliveries: runnerFor(ctx).deliveries});
    });
  },
  async stop(ctx) {
    await runners.get(ctx)?.stop();
    runners.delete(ctx);
  },
};
