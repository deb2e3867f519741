import {link, paginate} from '../../core/collection.js';
import {getList, requireMember} from '../../core/members.js';
import type {ModuleContext} from '../../core/module.js';
import type {RouteDef, SandboxRequest} from '../../core/routes.js';
import type {MemberRecord} from '../../core/state.js';
import {memberView} from './member-view.js';
import {
  addMember,
  archiveMember,
  deleteMemberPermanently,
  patchMember,
  upsertMember,
  type WriteOptions,
} from './member-writes.js';
import {bodyObject, queryFlag} from './request-body.js';

/** /lists/{list_id}/members…: thin handlers over the member use-cases in member-writes.ts. */
export function memberRoutes(ctx: ModuleContext): RouteDef[] {
  const view = () => ({state: ctx.state, origin: ctx.origin()});
  const options = (req: SandboxRequest): WriteOptions => ({
    skipMergeValidation: queryFlag(req.query, 'skip_merge_validation'),
    source: 'api',
  });
  return [
    {
      method: 'GET',
      path: '/lists/{list_id}/members',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const {page, total_items} = paginate(filterMembers([...list.members.values()], req.query), req.query);
        return {
          status: 200,
          body: {
            members: page.map((m) => memberView(view(), list, m)),
            list_id: list.id,
            total_items,
            _links: [
              link('self', `${ctx.origin()}/3.0/lists/${list.id}/members`),
              link('create', `${ctx.origin()}/3.0/lists/${list.id}/members`, 'POST'),
            ],
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/lists/{list_id}/members',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        return {
          status: 200,
          body: memberView(view(), list, addMember(state, list, bodyObject(req.body), options(req))),
        };
      },
    },
    {
      method: 'GET',
      path: '/lists/{list_id}/members/{subscriber_hash}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        return {status: 200, body: memberView(view(), list, requireMember(list, req.params.subscriber_hash!))};
      },
    },
    {
      method: 'PUT',
      path: '/lists/{list_id}/members/{subscriber_hash}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const member = upsertMember(state, list, req.params.subscriber_hash!, bodyObject(req.body), options(req));
        return {status: 200, body: memberView(view(), list, member)};
      },
    },
    {
      method: 'PATCH',
      path: '/lists/{list_id}/members/{subscriber_hash}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const member = patchMember(
          state,
          list,
          requireMember(list, req.params.subscriber_hash!),
          bodyObject(req.body),
          options(req),
        );
        return {status: 200, body: memberView(view(), list, member)};
      },
    },
    {
      method: 'DELETE',
      path: '/lists/{list_id}/members/{subscriber_hash}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        archiveMember(state, list, requireMember(list, req.params.subscriber_hash!));
        return {status: 204};
      },
    },
    {
      method: 'POST',
      path: '/lists/{list_id}/members/{subscriber_hash}/actions/delete-permanent',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        deleteMemberPermanently(state, list, requireMember(list, req.params.subscriber_hash!));
        return {status: 204};
      },
    },
  ];
}

const SORT_FIELDS = new Set(['timestamp_opt', 'timestamp_signup', 'last_changed']);

/** The collection's query filters (spec: status, email_type, since_/before_ dates, unique_email_id, vip_only, sort). */
function filterMembers(members: MemberRecord[], q: Record<string, string>): MemberRecord[] {
  let out = members;
  if (q.status) out = out.filter((m) => m.status === q.status);
  if (q.email_type) out = out.filter((m) => m.email_type === q.email_type);
  if (q.unique_email_id) out = out.filter((m) => m.unique_email_id === q.unique_email_id);
  if (queryFlag(q, 'vip_only')) out = out.filter((m) => m.vip);
  if (q.since_last_changed) out = out.filter((m) => toMs(m.last_changed) > toMs(q.since_last_changed!));
  if (q.before_last_changed) out = out.filter((m) => toMs(m.last_changed) < toMs(q.before_last_changed!));
  if (q.since_timestamp_opt)
    out = out.filter((m) => m.timestamp_opt !== '' && toMs(m.timestamp_opt) > toMs(q.since_timestamp_opt!));
  if (q.before_timestamp_opt)
    out = out.filter((m) => m.timestamp_opt !== '' && toMs(m.timestamp_opt) < toMs(q.before_timestamp_opt!));
  if (q.sort_field && SORT_FIELDS.has(q.sort_field)) {
    const key = q.sort_field as 'timestamp_opt' | 'timestamp_signup' | 'last_changed';
    const dir = q.sort_dir === 'DESC' ? -1 : 1;
    out = [...out].sort((a, b) => a[key].localeCompare(b[key]) * dir);
  }
  return out;
}

function toMs(value: string): number {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? 0 : ms;
}
