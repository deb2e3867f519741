import {link} from '../../core/collection.js';
import {getList} from '../../core/members.js';
import type {ModuleContext} from '../../core/module.js';
import {problems} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {ListRecord, ListWebhookRecord} from '../../core/state.js';
import {bodyObject, optionalObject, optionalString, requireFields, type Body} from './request-body.js';
import {verifyWebhookUrl} from './webhook-dispatcher.js';

type Events = ListWebhookRecord['events'];
type Sources = ListWebhookRecord['sources'];

/**
 * Defaults when `events` / `sources` are left out altogether: every event, and changes made by subscribers and
 * admins but not through the API (Mailchimp's documented defaults of its API 2.0 webhook-add; UNVERIFIED for 3.0).
 * When the object is sent, the keys it leaves out are off.
 */
const DEFAULT_EVENTS: Events = {
  subscribe: true,
  unsubscribe: true,
  profile: true,
  cleaned: true,
  upemail: true,
  campaign: true,
};
const DEFAULT_SOURCES: Sources = {user: true, admin: true, api: false};

/** /lists/{list_id}/webhooks: audience webhooks. The URL must answer Mailchimp's validator GET first. */
export function webhookRoutes(ctx: ModuleContext): RouteDef[] {
  const view = (list: ListRecord, w: ListWebhookRecord) => webhookView(ctx.origin(), list, w);
  return [
    {
      method: 'POST',
      path: '/lists/{list_id}/webhooks',
      handler: async (req, state) => {
        const list = getList(state, req.params.list_id!);
        const body = bodyObject(req.body);
        requireFields(body, ['url']);
        const url = readUrl(body)!;
        const events = readFlags(body, 'events', DEFAULT_EVENTS);
        const sources = readFlags(body, 'sources', DEFAULT_SOURCES);
        await verifyWebhookUrl(ctx, url);
        const webhook: ListWebhookRecord = {id: state.newId(10), url, events, sources, list_id: list.id};
        list.webhooks.set(webhook.id, webhook);
        return {status: 200, body: view(list, webhook)};
      },
    },
    {
      method: 'GET',
      path: '/lists/{list_id}/webhooks',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const webhooks = [...list.webhooks.values()];
        return {
          status: 200,
          body: {
            webhooks: webhooks.map((w) => view(list, w)),
            list_id: list.id,
            total_items: webhooks.length,
            _links: [link('self', `${ctx.origin()}/3.0/lists/${list.id}/webhooks`)],
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/lists/{list_id}/webhooks/{webhook_id}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        return {status: 200, body: view(list, requireWebhook(list, req.params.webhook_id!))};
      },
    },
    {
      method: 'PATCH',
      path: '/lists/{list_id}/webhooks/{webhook_id}',
      handler: async (req, state) => {
        const list = getList(state, req.params.list_id!);
        const webhook = requireWebhook(list, req.params.webhook_id!);
        const body = bodyObject(req.body);
        const url = readUrl(body);
        const events = optionalObject(body, 'events') ? readFlags(body, 'events', webhook.events, true) : undefined;
        const sources = optionalObject(body, 'sources') ? readFlags(body, 'sources', webhook.sources, true) : undefined;
        if (url !== undefined && url !== webhook.url) await verifyWebhookUrl(ctx, url);
        if (url !== undefined) webhook.url = url;
        if (events) webhook.events = events;
        if (sources) webhook.sources = sources;
        return {status: 200, body: view(list, webhook)};
      },
    },
    {
      method: 'DELETE',
      path: '/lists/{list_id}/webhooks/{webhook_id}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        list.webhooks.delete(requireWebhook(list, req.params.webhook_id!).id);
        return {status: 204};
      },
    },
  ];
}

function webhookView(origin: string, list: ListRecord, w: ListWebhookRecord): Record<string, unknown> {
  const self = `${origin}/3.0/lists/${list.id}/webhooks/${w.id}`;
  return {
    id: w.id,
    url: w.url,
    events: {...w.events},
    sources: {...w.sources},
    list_id: list.id,
    _links: [
      link('self', self),
      link('parent', `${origin}/3.0/lists/${list.id}/webhooks`),
      link('update', self, 'PATCH'),
      link('delete', self, 'DELETE'),
    ],
  };
}

function requireWebhook(list: ListRecord, id: string): ListWebhookRecord {
  const webhook = list.webhooks.get(id);
  if (!webhook) throw problems.notFound();
  return webhook;
}

function readUrl(body: Body): string | undefined {
  const url = optionalString(body, 'url');
  if (url === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    throw problems.invalidResource([{field: 'url', message: 'Invalid URL'}]);
  return url;
}

/** The boolean flags of `events` or `sources`: the defaults when the object is absent, else what it says (missing keys off, or kept on PATCH). */
function readFlags<T extends Events | Sources>(
  body: Body,
  field: 'events' | 'sources',
  defaults: T,
  keepMissing = false,
): T {
  const given = optionalObject(body, field);
  if (!given) return {...defaults};
  const out = {...defaults};
  for (const key of Object.keys(defaults) as Array<keyof T & string>) {
    const value = given[key];
    if (value !== undefined && typeof value !== 'boolean')
      throw problems.invalidResource([
        {field: `${field}.${key}`, message: 'Schema describes boolean, ' + typeof value + ' found instead'},
      ]);
    (out as Record<string, boolean>)[key] =
      typeof value === 'boolean' ? value : keepMissing ? Boolean(defaults[key]) : false;
  }
  return out;
}
