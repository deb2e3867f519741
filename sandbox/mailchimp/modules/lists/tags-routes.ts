import {link, paginate} from '../../core/collection.js';
import {getList, requireMember} from '../../core/members.js';
import type {ModuleContext} from '../../core/module.js';
import {problems} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {ListRecord, MemberRecord, SandboxState} from '../../core/state.js';
import {bodyObject, requireFields} from './request-body.js';
import {addToStatic, findOrCreateTag, findTag, removeFromStatic} from './segment-store.js';

interface TagChange {
  name: string;
  status: 'active' | 'inactive';
}

/** Member tags and tag search. A tag is a static segment; these routes only move members in and out of them. */
export function tagRoutes(ctx: ModuleContext): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/lists/{list_id}/members/{subscriber_hash}/tags',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const member = requireMember(list, req.params.subscriber_hash!);
        const {page, total_items} = paginate(member.tags, req.query);
        return {
          status: 200,
          body: {
            tags: page,
            total_items,
            _links: [link('self', `${ctx.origin()}/3.0/lists/${list.id}/members/${member.id}/tags`)],
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/lists/{list_id}/members/{subscriber_hash}/tags',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const member = requireMember(list, req.params.subscriber_hash!);
        // is_syncing only silences tag automations, which the sandbox does not run.
        applyTagChanges(state, list, member, readTagChanges(bodyObject(req.body)));
        return {status: 204};
      },
    },
    {
      method: 'GET',
      path: '/lists/{list_id}/tag-search',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const wanted = (req.query.name ?? '').toLowerCase();
        const tags = [...list.segments.values()]
          .filter((s) => s.type === 'static' && s.name.toLowerCase().includes(wanted))
          .map((s) => ({id: s.id, name: s.name}));
        return {status: 200, body: {tags, total_items: tags.length}};
      },
    },
  ];
}

function readTagChanges(body: Record<string, unknown>): TagChange[] {
  requireFields(body, ['tags']);
  if (!Array.isArray(body.tags))
    throw problems.invalidResource([{field: 'tags', message: 'Schema describes array, object found instead'}]);
  return body.tags.map((raw, i) => {
    const t = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (typeof t.name !== 'string' || t.name.trim() === '' || (t.status !== 'active' && t.status !== 'inactive')) {
      throw problems.invalidResource([
        {field: `tags.item:${i}`, message: "Each tag needs a name and a status of 'active' or 'inactive'."},
      ]);
    }
    return {name: t.name, status: t.status};
  });
}

/** "If a tag that does not exist is passed in and set as 'active', a new tag will be created"; inactive unknown ones are ignored. */
export function applyTagChanges(
  state: SandboxState,
  list: ListRecord,
  member: MemberRecord,
  changes: TagChange[],
): void {
  for (const change of changes) {
    if (change.status === 'active') {
      addToStatic(state, findOrCreateTag(state, list, change.name), member);
    } else {
      const tag = findTag(list, change.name);
      if (tag) removeFromStatic(state, tag, member);
    }
  }
}
