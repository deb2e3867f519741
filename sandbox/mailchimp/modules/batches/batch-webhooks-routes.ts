import {link, paginate} from '../../core/collection.js';
import type {RouteDef} from '../../core/routes.js';
import {problems, type FieldError} from '../../core/problem.js';
import type {BatchWebhookRecord, SandboxState} from '../../core/state.js';
import {batchWebhookView} from './batch-view.js';
import {schemaMismatch} from './schema-type.js';

/** "You may only have a maximum of 20 batch webhooks." (spec, POST /batch-webhooks) */
export const MAX_BATCH_WEBHOOKS = 20;

/** /batch-webhooks: the URLs called when any batch finishes. */
export function batchWebhooksRoutes(apiBase: () => string): RouteDef[] {
  const find = (state: SandboxState, id: string | undefined): BatchWebhookRecord => {
    const webhook = id === undefined ? undefined : state.batchWebhooks.get(id);
    if (!webhook) throw problems.notFound();
    return webhook;
  };
  return [
    {
      method: 'GET',
      path: '/batch-webhooks',
      handler: (req, state) => {
        const {page, total_items} = paginate([...state.batchWebhooks.values()], req.query);
        return {
          status: 200,
          body: {
            webhooks: page.map((w) => batchWebhookView(w, apiBase())),
            total_items,
            _links: [
              link('self', `${apiBase()}/batch-webhooks`),
              link('create', `${apiBase()}/batch-webhooks`, 'POST'),
            ],
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/batch-webhooks',
      handler: (req, state) => {
        const input = parseWebhookInput(req.body, true);
        if (state.batchWebhooks.size >= MAX_BATCH_WEBHOOKS) {
          throw problems.badRequest(`You may only have a maximum of ${MAX_BATCH_WEBHOOKS} batch webhooks.`);
        }
        const webhook: BatchWebhookRecord = {id: state.newId(10), url: input.url!, enabled: input.enabled ?? true};
        state.batchWebhooks.set(webhook.id, webhook);
        return {status: 200, body: batchWebhookView(webhook, apiBase())};
      },
    },
    {
      method: 'GET',
      path: '/batch-webhooks/{batch_webhook_id}',
      handler: (req, state) => ({
        status: 200,
        body: batchWebhookView(find(state, req.params.batch_webhook_id), apiBase()),
      }),
    },
    {
      method: 'PATCH',
      path: '/batch-webhooks/{batch_webhook_id}',
      handler: (req, state) => {
        const webhook = find(state, req.params.batch_webhook_id);
        const input = parseWebhookInput(req.body, false);
        if (input.url !== undefined) webhook.url = input.url;
        if (input.enabled !== undefined) webhook.enabled = input.enabled;
        return {status: 200, body: batchWebhookView(webhook, apiBase())};
      },
    },
    {
      method: 'DELETE',
      path: '/batch-webhooks/{batch_webhook_id}',
      handler: (req, state) => {
        state.batchWebhooks.delete(find(state, req.params.batch_webhook_id).id);
        return {status: 204};
      },
    },
  ];
}

function parseWebhookInput(body: unknown, urlRequired: boolean): {url?: string; enabled?: boolean} {
  const input = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<
    string,
    unknown
  >;
  const errors: FieldError[] = [];
  if (input.url === undefined) {
    if (urlRequired) errors.push({field: '', message: 'Required fields were not provided: url'});
  } else if (input.url === '') {
    errors.push({field: 'url', message: 'This value should not be blank.'});
  } else if (typeof input.url !== 'string') {
    errors.push({field: 'url', message: schemaMismatch('string', input.url)});
  } else if (!isHttpUrl(input.url)) {
    errors.push({field: 'url', message: 'This value is not a valid URL.'});
  }
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') {
    errors.push({field: 'enabled', message: schemaMismatch('boolean', input.enabled)});
  }
  if (errors.length > 0) throw problems.invalidResource(errors);
  return {url: input.url as string | undefined, enabled: input.enabled as boolean | undefined};
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
