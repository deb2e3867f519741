import {link, paginate} from '../../core/collection.js';
import {createListRecord, type NewListInput} from '../../core/lists.js';
import {findMember, getList} from '../../core/members.js';
import type {ModuleContext} from '../../core/module.js';
import {problems, type FieldError} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {ListRecord} from '../../core/state.js';
import {listView} from './list-view.js';
import {
  bodyObject,
  oneOf,
  optionalBoolean,
  optionalObject,
  optionalString,
  queryFlag,
  requireFields,
  type Body,
} from './request-body.js';

/** /lists and /lists/{list_id}: audiences. */
export function listRoutes(ctx: ModuleContext): RouteDef[] {
  const view = () => ({state: ctx.state, origin: ctx.origin()});
  return [
    {
      method: 'POST',
      path: '/lists',
      handler: (req, state) => {
        const body = bodyObject(req.body);
        requireFields(body, ['name', 'contact', 'permission_reminder', 'campaign_defaults', 'email_type_option']);
        const list = createListRecord(state, {...readSettings(body), name: optionalString(body, 'name')!});
        return {status: 200, body: listView(view(), list, false)};
      },
    },
    {
      method: 'GET',
      path: '/lists',
      handler: (req, state) => {
        let lists = [...state.lists.values()];
        const q = req.query;
        if (q.since_date_created) lists = lists.filter((l) => l.date_created > q.since_date_created!);
        if (q.before_date_created) lists = lists.filter((l) => l.date_created < q.before_date_created!);
        if (q.email) lists = lists.filter((l) => findMember(l, q.email!) !== undefined);
        if (q.has_ecommerce_store !== undefined) {
          const withStore = new Set([...state.stores.values()].map((s) => s.list_id));
          lists = lists.filter((l) => withStore.has(l.id) === queryFlag(q, 'has_ecommerce_store'));
        }
        if (q.sort_field === 'date_created') {
          lists.sort((a, b) => a.date_created.localeCompare(b.date_created) * (q.sort_dir === 'DESC' ? -1 : 1));
        }
        const {page, total_items} = paginate(lists, q);
        return {
          status: 200,
          body: {
            lists: page.map((l) => listView(view(), l, queryFlag(q, 'include_total_contacts'))),
            total_items,
            constraints: {may_create: true, max_instances: 100},
            _links: [link('self', `${ctx.origin()}/3.0/lists`), link('create', `${ctx.origin()}/3.0/lists`, 'POST')],
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/lists/{list_id}',
      handler: (req, state) => ({
        status: 200,
        body: listView(view(), getList(state, req.params.list_id!), queryFlag(req.query, 'include_total_contacts')),
      }),
    },
    {
      method: 'PATCH',
      path: '/lists/{list_id}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const body = bodyObject(req.body);
        applySettings(list, {...readSettings(body), name: optionalString(body, 'name')});
        return {status: 200, body: listView(view(), list, false)};
      },
    },
    {
      method: 'DELETE',
      path: '/lists/{list_id}',
      handler: (req, state) => {
        getList(state, req.params.list_id!);
        state.lists.delete(req.params.list_id!);
        return {status: 204};
      },
    },
  ];
}

type Settings = Omit<NewListInput, 'name'>;

function readSettings(body: Body): Settings {
  const contact = optionalObject(body, 'contact');
  const defaults = optionalObject(body, 'campaign_defaults');
  const errors: FieldError[] = [];
  if (contact) nestedRequired(errors, 'contact', contact, ['company', 'address1', 'city', 'country']);
  if (defaults)
    nestedRequired(errors, 'campaign_defaults', defaults, ['from_name', 'from_email', 'subject', 'language']);
  if (errors.length > 0) throw problems.invalidResource(errors);
  return {
    contact,
    permission_reminder: optionalString(body, 'permission_reminder'),
    campaign_defaults: defaults as Settings['campaign_defaults'],
    email_type_option: optionalBoolean(body, 'email_type_option'),
    double_optin: optionalBoolean(body, 'double_optin'),
    marketing_permissions: optionalBoolean(body, 'marketing_permissions'),
    use_archive_bar: optionalBoolean(body, 'use_archive_bar'),
    visibility: oneOf(body, 'visibility', ['pub', 'prv'] as const),
    notify_on_subscribe: optionalString(body, 'notify_on_subscribe'),
    notify_on_unsubscribe: optionalString(body, 'notify_on_unsubscribe'),
  };
}

function nestedRequired(errors: FieldError[], field: string, value: Body, required: string[]): void {
  const missing = required.filter((k) => typeof value[k] !== 'string' || value[k] === '');
  if (missing.length > 0) errors.push({field, message: `Required fields were not provided: ${missing.join(', ')}`});
}

/** PATCH: only what was sent changes. */
function applySettings(list: ListRecord, s: Settings & {name?: string}): void {
  if (s.name !== undefined) list.name = s.name;
  if (s.contact) list.contact = s.contact;
  if (s.permission_reminder !== undefined) list.permission_reminder = s.permission_reminder;
  if (s.campaign_defaults) list.campaign_defaults = s.campaign_defaults;
  if (s.email_type_option !== undefined) list.email_type_option = s.email_type_option;
  if (s.double_optin !== undefined) list.double_optin = s.double_optin;
  if (s.marketing_permissions !== undefined) list.marketing_permissions = s.marketing_permissions;
  if (s.use_archive_bar !== undefined) list.use_archive_bar = s.use_archive_bar;
  if (s.visibility !== undefined) list.visibility = s.visibility;
  if (s.notify_on_subscribe !== undefined) list.notify_on_subscribe = s.notify_on_subscribe;
  if (s.notify_on_unsubscribe !== undefined) list.notify_on_unsubscribe = s.notify_on_unsubscribe;
}
