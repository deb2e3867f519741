import {link, paginate} from '../../core/collection.js';
import type {RouteDef} from '../../core/routes.js';
import {problems} from '../../core/problem.js';
import type {SandboxState} from '../../core/state.js';
import {parseBatchRequest} from './batch-request.js';
import type {BatchRunner} from './batch-runner.js';
import {batchView} from './batch-view.js';

/** /batches: submit, list, status, delete. */
export function batchesRoutes(runner: BatchRunner, apiBase: () => string): RouteDef[] {
  const find = (state: SandboxState, id: string | undefined) => {
    const batch = id === undefined ? undefined : state.batches.get(id);
    if (!batch) throw problems.notFound();
    return batch;
  };
  return [
    {
      method: 'POST',
      path: '/batches',
      handler: (req) => {
        const parsed = parseBatchRequest(req.body);
        if (!parsed.ok) throw problems.invalidResource(parsed.errors);
        return {status: 200, body: batchView(runner.submit(parsed.operations), apiBase())};
      },
    },
    {
      method: 'GET',
      path: '/batches',
      handler: (req, state) => {
        const {page, total_items} = paginate([...state.batches.values()], req.query);
        return {
          status: 200,
          body: {
            batches: page.map((b) => batchView(b, apiBase())),
            total_items,
            _links: [link('self', `${apiBase()}/batches`), link('create', `${apiBase()}/batches`, 'POST')],
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/batches/{batch_id}',
      handler: (req, state) => ({status: 200, body: batchView(find(state, req.params.batch_id), apiBase())}),
    },
    {
      method: 'DELETE',
      path: '/batches/{batch_id}',
      handler: (req, state) => {
        const batch = find(state, req.params.batch_id);
        state.batches.delete(batch.id);
        runner.cancel(batch.id);
        return {status: 204};
      },
    },
  ];
}
