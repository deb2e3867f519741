import {link, paginate} from '../../core/collection.js';
import {findMember, getList, requireMember} from '../../core/members.js';
import type {ModuleContext} from '../../core/module.js';
import {problems} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {ListRecord, MemberRecord, SandboxState, SegmentRecord} from '../../core/state.js';
import {validConditions} from '../segment-conditions.js';
import {segmentMemberView, type ViewContext} from './member-view.js';
import {
  bodyObject,
  oneOf,
  optionalObject,
  optionalString,
  optionalStringArray,
  requireFields,
  type Body,
} from './request-body.js';
import {countedMembers, countedStatuses, type CountedStatuses} from './segment-members.js';
import {addToStatic, createSegment, findTag, removeFromStatic} from './segment-store.js';

/** /lists/{list_id}/segments…: static segments (tags) and saved segments (conditions evaluated on every read). */
export function segmentRoutes(ctx: ModuleContext): RouteDef[] {
  const view = (): ViewContext => ({state: ctx.state, origin: ctx.origin()});
  const segmentOut = (list: ListRecord, segment: SegmentRecord, counted: CountedStatuses) =>
    segmentView(view(), list, segment, counted);
  return [
    {
      method: 'POST',
      path: '/lists/{list_id}/segments',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const body = bodyObject(req.body);
        requireFields(body, ['name']);
        const name = optionalString(body, 'name')!;
        const emails = optionalStringArray(body, 'static_segment');
        const options = optionalObject(body, 'options');
        if (emails && options)
          throw problems.invalidResource([
            {field: 'static_segment', message: 'This field cannot be provided with the options field.'},
          ]);
        if (!emails && !options)
          throw problems.invalidResource([
            {field: '', message: 'Provide static_segment (a static segment) or options (a saved segment).'},
          ]);
        let segment: SegmentRecord;
        if (emails) {
          assertTagNameFree(list, name);
          segment = createSegment(state, list, {name, type: 'static'});
          for (const member of knownMembers(list, emails).found) addToStatic(state, segment, member);
        } else {
          segment = createSegment(state, list, {name, type: 'saved', options: readOptions(list, options!)});
        }
        return {status: 200, body: segmentOut(list, segment, countedStatuses(req.query))};
      },
    },
    {
      method: 'GET',
      path: '/lists/{list_id}/segments',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const q = req.query;
        let segments = [...list.segments.values()];
        if (q.type) segments = segments.filter((s) => s.type === q.type);
        if (q.since_created_at) segments = segments.filter((s) => s.created_at > q.since_created_at!);
        if (q.before_created_at) segments = segments.filter((s) => s.created_at < q.before_created_at!);
        if (q.since_updated_at) segments = segments.filter((s) => s.updated_at > q.since_updated_at!);
        if (q.before_updated_at) segments = segments.filter((s) => s.updated_at < q.before_updated_at!);
        const {page, total_items} = paginate(segments, q);
        const counted = countedStatuses(q);
        return {
          status: 200,
          body: {
            segments: page.map((s) => segmentOut(list, s, counted)),
            list_id: list.id,
            total_items,
            _links: [link('self', `${ctx.origin()}/3.0/lists/${list.id}/segments`)],
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/lists/{list_id}/segments/{segment_id}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        return {
          status: 200,
          body: segmentOut(list, requireSegment(list, req.params.segment_id!), countedStatuses(req.query)),
        };
      },
    },
    {
      method: 'PATCH',
      path: '/lists/{list_id}/segments/{segment_id}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const segment = requireSegment(list, req.params.segment_id!);
        updateSegment(state, list, segment, bodyObject(req.body));
        return {status: 200, body: segmentOut(list, segment, countedStatuses(req.query))};
      },
    },
    {
      method: 'DELETE',
      path: '/lists/{list_id}/segments/{segment_id}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        list.segments.delete(requireSegment(list, req.params.segment_id!).id);
        return {status: 204};
      },
    },
    {
      method: 'POST',
      path: '/lists/{list_id}/segments/{segment_id}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const segment = requireStatic(requireSegment(list, req.params.segment_id!));
        return {status: 200, body: batchMembers(state, view(), list, segment, bodyObject(req.body))};
      },
    },
    {
      method: 'GET',
      path: '/lists/{list_id}/segments/{segment_id}/members',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const segment = requireSegment(list, req.params.segment_id!);
        const {page, total_items} = paginate(
          countedMembers(state, list, segment, countedStatuses(req.query)),
          req.query,
        );
        return {
          status: 200,
          body: {
            members: page.map((m) => segmentMemberView(view(), list, m)),
            total_items,
            _links: [link('self', `${ctx.origin()}/3.0/lists/${list.id}/segments/${segment.id}/members`)],
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/lists/{list_id}/segments/{segment_id}/members',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const segment = requireStatic(requireSegment(list, req.params.segment_id!));
        const body = bodyObject(req.body);
        requireFields(body, ['email_address']);
        const member = requireMember(list, optionalString(body, 'email_address')!);
        addToStatic(state, segment, member);
        return {status: 200, body: segmentMemberView(view(), list, member)};
      },
    },
    {
      method: 'DELETE',
      path: '/lists/{list_id}/segments/{segment_id}/members/{subscriber_hash}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const segment = requireStatic(requireSegment(list, req.params.segment_id!));
        const member = requireMember(list, req.params.subscriber_hash!);
        if (!removeFromStatic(state, segment, member)) throw problems.notFound();
        return {status: 204};
      },
    },
  ];
}

function segmentView(
  view: ViewContext,
  list: ListRecord,
  segment: SegmentRecord,
  counted: CountedStatuses,
): Record<string, unknown> {
  const self = `${view.origin}/3.0/lists/${list.id}/segments/${segment.id}`;
  return {
    id: segment.id,
    name: segment.name,
    member_count: countedMembers(view.state, list, segment, counted).length,
    type: segment.type,
    created_at: segment.created_at,
    updated_at: segment.updated_at,
    // "Static and fuzzy segments don't have conditions."
    ...(segment.type === 'saved' && segment.options ? {options: segment.options} : {}),
    list_id: list.id,
    _links: [
      link('self', self),
      link('parent', `${view.origin}/3.0/lists/${list.id}/segments`),
      link('update', self, 'PATCH'),
      link('delete', self, 'DELETE'),
      link('members', `${self}/members`),
    ],
  };
}

function requireSegment(list: ListRecord, id: string): SegmentRecord {
  const segment = list.segments.get(Number(id));
  if (!segment) throw problems.notFound();
  return segment;
}

function requireStatic(segment: SegmentRecord): SegmentRecord {
  if (segment.type !== 'static')
    throw problems.badRequest('Members can only be added to or removed from static segments (tags).');
  return segment;
}

/** Tags are unique by name (ignoring case), so a second static segment with a tag's name is refused. UNVERIFIED text. */
function assertTagNameFree(list: ListRecord, name: string, current?: SegmentRecord): void {
  const existing = findTag(list, name);
  if (existing && existing !== current)
    throw problems.invalidResource([{field: 'name', message: `A tag named '${existing.name}' already exists.`}]);
}

function readOptions(list: ListRecord, options: Body): NonNullable<SegmentRecord['options']> {
  const match = oneOf(options, 'match', ['any', 'all'] as const) ?? 'any';
  const conditions = validConditions(list, options.conditions ?? []);
  if (conditions.length === 0)
    throw problems.invalidResource([
      {field: 'options.conditions', message: 'A saved segment needs at least one condition.'},
    ]);
  return {match, conditions};
}

function updateSegment(state: SandboxState, list: ListRecord, segment: SegmentRecord, body: Body): void {
  const name = optionalString(body, 'name');
  const emails = optionalStringArray(body, 'static_segment');
  const options = optionalObject(body, 'options');
  if (emails && options)
    throw problems.invalidResource([
      {field: 'static_segment', message: 'This field cannot be provided with the options field.'},
    ]);
  if (emails && segment.type !== 'static')
    throw problems.invalidResource([{field: 'static_segment', message: 'Only static segments have a static_segment.'}]);
  if (options && segment.type !== 'saved')
    throw problems.invalidResource([{field: 'options', message: "Static and fuzzy segments don't have conditions."}]);
  if (name !== undefined && segment.type === 'static') assertTagNameFree(list, name, segment);
  const newOptions = options ? readOptions(list, options) : undefined;
  if (name !== undefined) segment.name = name;
  if (newOptions) segment.options = newOptions;
  if (emails) {
    // "Passing an empty array for an existing static segment will reset that segment and remove all members."
    const keep = new Set(knownMembers(list, emails).found);
    for (const id of [...segment.static_members]) {
      const member = list.members.get(id);
      if (member && !keep.has(member)) removeFromStatic(state, segment, member);
      else if (!member) segment.static_members.delete(id);
    }
    for (const member of keep) addToStatic(state, segment, member);
  }
  segment.updated_at = state.timestamp();
}

const MAX_BATCH = 500;

/** POST …/segments/{id}: add and remove up to 500 addresses each; unknown addresses are reported, not added. */
function batchMembers(
  state: SandboxState,
  view: ViewContext,
  list: ListRecord,
  segment: SegmentRecord,
  body: Body,
): Record<string, unknown> {
  const toAdd = optionalStringArray(body, 'members_to_add') ?? [];
  const toRemove = optionalStringArray(body, 'members_to_remove') ?? [];
  const tooMany = [
    ['members_to_add', toAdd],
    ['members_to_remove', toRemove],
  ] as const;
  const errors = tooMany
    .filter(([, list]) => list.length > MAX_BATCH)
    .map(([field]) => ({field, message: `A maximum of ${MAX_BATCH} members can be sent.`}));
  if (errors.length > 0) throw problems.invalidResource(errors);
  const adds = knownMembers(list, toAdd);
  const removes = knownMembers(list, toRemove);
  const added = adds.found.filter((m) => addToStatic(state, segment, m));
  const removed = removes.found.filter((m) => removeFromStatic(state, segment, m));
  const unknown = [...adds.unknown, ...removes.unknown];
  // UNVERIFIED wording; the spec only says such addresses "will be ignored".
  const errorList =
    unknown.length > 0 ? [{email_addresses: unknown, error: 'Email addresses do not belong to this list.'}] : [];
  return {
    members_added: added.map((m) => segmentMemberView(view, list, m)),
    members_removed: removed.map((m) => segmentMemberView(view, list, m)),
    errors: errorList,
    total_added: added.length,
    total_removed: removed.length,
    error_count: unknown.length,
    _links: [link('self', `${view.origin}/3.0/lists/${list.id}/segments/${segment.id}`)],
  };
}

function knownMembers(list: ListRecord, emails: string[]): {found: MemberRecord[]; unknown: string[]} {
  const found: MemberRecord[] = [];
  const unknown: string[] = [];
  for (const email of emails) {
    const member = findMember(list, email);
    if (member) found.push(member);
    else unknown.push(email);
  }
  return {found, unknown};
}
