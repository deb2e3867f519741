import {link, paginate} from '../../core/collection.js';
import {getList} from '../../core/members.js';
import type {ModuleContext} from '../../core/module.js';
import {problems} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {ListRecord, MergeFieldRecord} from '../../core/state.js';
import {
  bodyObject,
  oneOf,
  optionalBoolean,
  optionalObject,
  optionalString,
  requireFields,
  type Body,
} from './request-body.js';

const TYPES = [
  'text',
  'number',
  'address',
  'phone',
  'date',
  'url',
  'imageurl',
  'radio',
  'dropdown',
  'birthday',
  'zip',
] as const;

/** /lists/{list_id}/merge-fields: the audience fields. EMAIL (merge0) is not one of them, as in Mailchimp. */
export function mergeFieldRoutes(ctx: ModuleContext): RouteDef[] {
  const view = (list: ListRecord, field: MergeFieldRecord) => mergeFieldView(ctx.origin(), list, field);
  return [
    {
      method: 'GET',
      path: '/lists/{list_id}/merge-fields',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        let fields = [...list.mergeFields.values()].sort((a, b) => a.display_order - b.display_order);
        if (req.query.type) fields = fields.filter((f) => f.type === req.query.type);
        if (req.query.required !== undefined)
          fields = fields.filter((f) => f.required === (req.query.required === 'true'));
        const {page, total_items} = paginate(fields, req.query);
        return {
          status: 200,
          body: {
            merge_fields: page.map((f) => view(list, f)),
            list_id: list.id,
            total_items,
            _links: [link('self', `${ctx.origin()}/3.0/lists/${list.id}/merge-fields`)],
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/lists/{list_id}/merge-fields',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const body = bodyObject(req.body);
        requireFields(body, ['name', 'type']);
        const type = oneOf(body, 'type', TYPES)!;
        const mergeId = Math.max(0, ...[...list.mergeFields.values()].map((f) => f.merge_id)) + 1;
        const tag = readTag(list, optionalString(body, 'tag') ?? `MMERGE${mergeId}`);
        const field: MergeFieldRecord = {
          merge_id: mergeId,
          tag,
          name: optionalString(body, 'name')!,
          type,
          required: optionalBoolean(body, 'required') ?? false,
          default_value: optionalString(body, 'default_value') ?? '',
          public: optionalBoolean(body, 'public') ?? false,
          display_order:
            typeof body.display_order === 'number'
              ? body.display_order
              : Math.max(1, ...[...list.mergeFields.values()].map((f) => f.display_order)) + 1,
          options: {...defaultOptions(type), ...(optionalObject(body, 'options') ?? {})},
          help_text: optionalString(body, 'help_text') ?? '',
          list_id: list.id,
        };
        list.mergeFields.set(tag, field);
        return {status: 200, body: view(list, field)};
      },
    },
    {
      method: 'GET',
      path: '/lists/{list_id}/merge-fields/{merge_id}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        return {status: 200, body: view(list, requireField(list, req.params.merge_id!))};
      },
    },
    {
      method: 'PATCH',
      path: '/lists/{list_id}/merge-fields/{merge_id}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        const field = requireField(list, req.params.merge_id!);
        updateField(list, field, bodyObject(req.body));
        return {status: 200, body: view(list, field)};
      },
    },
    {
      method: 'DELETE',
      path: '/lists/{list_id}/merge-fields/{merge_id}',
      handler: (req, state) => {
        const list = getList(state, req.params.list_id!);
        list.mergeFields.delete(requireField(list, req.params.merge_id!).tag);
        return {status: 204};
      },
    },
  ];
}

function mergeFieldView(origin: string, list: ListRecord, field: MergeFieldRecord): Record<string, unknown> {
  const self = `${origin}/3.0/lists/${list.id}/merge-fields/${field.merge_id}`;
  return {
    ...field,
    _links: [
      link('self', self),
      link('parent', `${origin}/3.0/lists/${list.id}/merge-fields`),
      link('update', self, 'PATCH'),
      link('delete', self, 'DELETE'),
    ],
  };
}

function requireField(list: ListRecord, mergeId: string): MergeFieldRecord {
  for (const field of list.mergeFields.values()) if (String(field.merge_id) === mergeId) return field;
  throw problems.notFound();
}

/** Tags are upper case, up to 10 letters, digits or underscores, unique in the list. */
function readTag(list: ListRecord, raw: string, current?: MergeFieldRecord): string {
  const tag = raw.trim().toUpperCase();
  if (!/^[A-Z0-9_]{1,10}$/.test(tag) || tag === 'EMAIL') {
    throw problems.invalidResource([
      {field: 'tag', message: 'Merge tags are 1 to 10 letters, digits or underscores (and not EMAIL).'},
    ]);
  }
  const other = list.mergeFields.get(tag);
  if (other && other !== current) {
    // UNVERIFIED wording.
    throw problems.invalidResource([
      {field: 'tag', message: `A Merge Field with the tag "${tag}" already exists for this list.`},
    ]);
  }
  return tag;
}

function updateField(list: ListRecord, field: MergeFieldRecord, body: Body): void {
  const tag = optionalString(body, 'tag');
  const name = optionalString(body, 'name');
  const required = optionalBoolean(body, 'required');
  const defaultValue = optionalString(body, 'default_value');
  const isPublic = optionalBoolean(body, 'public');
  const options = optionalObject(body, 'options');
  const helpText = optionalString(body, 'help_text');
  const newTag = tag === undefined ? field.tag : readTag(list, tag, field);
  if (newTag !== field.tag) {
    // Renaming a tag keeps every member's value under the new tag.
    list.mergeFields.delete(field.tag);
    for (const member of list.members.values()) {
      if (field.tag in member.merge_fields) {
        member.merge_fields[newTag] = member.merge_fields[field.tag];
        delete member.merge_fields[field.tag];
      }
    }
    field.tag = newTag;
    list.mergeFields.set(newTag, field);
  }
  if (name !== undefined) field.name = name;
  if (required !== undefined) field.required = required;
  if (defaultValue !== undefined) field.default_value = defaultValue;
  if (isPublic !== undefined) field.public = isPublic;
  if (typeof body.display_order === 'number') field.display_order = body.display_order;
  if (options) field.options = {...field.options, ...options};
  if (helpText !== undefined) field.help_text = helpText;
}

function defaultOptions(type: string): Record<string, unknown> {
  switch (type) {
    case 'text':
      return {size: 25};
    case 'address':
      return {default_country: 164};
    case 'phone':
      return {phone_format: 'US'};
    case 'date':
      return {date_format: 'MM/DD/YYYY'};
    case 'birthday':
      return {date_format: 'MM/DD'};
    case 'radio':
    case 'dropdown':
      return {choices: []};
    default:
      return {};
  }
}
