import {problems, type FieldError} from '../../core/problem.js';
import type {CampaignRecord, SegmentCondition} from '../../core/state.js';
import {schemaMismatch} from '../batches/schema-type.js';

export const CAMPAIGN_TYPES = ['regular', 'plaintext', 'absplit', 'rss', 'variate'] as const;

const STRING_SETTINGS = ['subject_line', 'preview_text', 'title', 'from_name', 'reply_to', 'to_name', 'folder_id'];
const BOOLEAN_SETTINGS = ['use_conversation', 'authenticate', 'auto_footer', 'inline_css', 'auto_tweet', 'fb_comments'];
const BOOLEAN_TRACKING = ['opens', 'html_clicks', 'text_clicks', 'goal_tracking', 'ecomm360'];
const STRING_TRACKING = ['google_analytics', 'clicktale'];

export interface CampaignInput {
  type?: string;
  recipients?: CampaignRecord['recipients'];
  settings?: Record<string, unknown>;
  tracking?: Record<string, unknown>;
  content_type?: string;
  /** rss_opts, social_card, variate_settings: kept and echoed, not interpreted. */
  extra: Record<string, unknown>;
}

/**
 * Checks a POST (create) or PATCH (update) /campaigns body. Types follow the spec; `type` is required on create.
 * Whether the list and the segment exist is the use-case's business (it needs the state).
 */
export function parseCampaignInput(body: unknown, mode: 'create' | 'update'): CampaignInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw problems.invalidResource([{field: '', message: schemaMismatch('object', body)}]);
  const input = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  const out: CampaignInput = {extra: {}};

  if (input.type !== undefined || mode === 'create') {
    if (typeof input.type !== 'string' || !(CAMPAIGN_TYPES as readonly string[]).includes(input.type)) {
      errors.push({field: 'type', message: `Value must be one of: ${CAMPAIGN_TYPES.join(', ')}`});
    } else if (mode === 'update') {
      errors.push({field: 'type', message: 'The campaign type cannot be changed.'});
    } else {
      out.type = input.type;
    }
  }
  if (input.recipients !== undefined) out.recipients = parseRecipients(input.recipients, errors);
  if (input.settings !== undefined)
    out.settings = parseFlat(input.settings, 'settings', STRING_SETTINGS, BOOLEAN_SETTINGS, errors, ['template_id']);
  if (input.tracking !== undefined)
    out.tracking = parseFlat(input.tracking, 'tracking', STRING_TRACKING, BOOLEAN_TRACKING, errors, []);
  if (input.content_type !== undefined) {
    if (input.content_type !== 'template' && input.content_type !== 'multichannel')
      errors.push({field: 'content_type', message: 'Value must be one of: template, multichannel'});
    else out.content_type = input.content_type;
  }
  for (const key of ['rss_opts', 'social_card', 'variate_settings'])
    if (input[key] !== undefined) out.extra[key] = input[key];
  if (errors.length > 0) throw problems.invalidResource(errors);
  return out;
}

function parseRecipients(value: unknown, errors: FieldError[]): CampaignRecord['recipients'] | undefined {
  if (!isObject(value)) {
    errors.push({field: 'recipients', message: schemaMismatch('object', value)});
    return undefined;
  }
  if (typeof value.list_id !== 'string' || value.list_id === '') {
    errors.push({
      field: 'recipients.list_id',
      message:
        value.list_id === undefined ? 'This value should not be blank.' : schemaMismatch('string', value.list_id),
    });
    return undefined;
  }
  const recipients: CampaignRecord['recipients'] = {list_id: value.list_id};
  const opts = value.segment_opts;
  if (opts === undefined) return recipients;
  if (!isObject(opts)) {
    errors.push({field: 'recipients.segment_opts', message: schemaMismatch('object', opts)});
    return undefined;
  }
  const segmentOpts: NonNullable<CampaignRecord['recipients']['segment_opts']> = {};
  if (opts.saved_segment_id !== undefined) {
    if (typeof opts.saved_segment_id !== 'number' || !Number.isInteger(opts.saved_segment_id)) {
      errors.push({
        field: 'recipients.segment_opts.saved_segment_id',
        message: schemaMismatch('integer', opts.saved_segment_id),
      });
    } else {
      segmentOpts.saved_segment_id = opts.saved_segment_id;
    }
  }
  if (opts.match !== undefined) {
    if (opts.match !== 'any' && opts.match !== 'all')
      errors.push({field: 'recipients.segment_opts.match', message: 'Value must be one of: any, all'});
    else segmentOpts.match = opts.match;
  }
  if (opts.conditions !== undefined) {
    if (!Array.isArray(opts.conditions) || !opts.conditions.every(isObject)) {
      errors.push({field: 'recipients.segment_opts.conditions', message: schemaMismatch('array', opts.conditions)});
    } else {
      segmentOpts.conditions = opts.conditions as unknown as SegmentCondition[];
    }
  }
  if (segmentOpts.conditions && segmentOpts.saved_segment_id === undefined && segmentOpts.match === undefined) {
    errors.push({field: 'recipients.segment_opts.match', message: 'A segment needs both match and conditions.'});
  }
  recipients.segment_opts = segmentOpts;
  return recipients;
}

function parseFlat(
  value: unknown,
  prefix: string,
  strings: string[],
  booleans: string[],
  errors: FieldError[],
  integers: string[],
): Record<string, unknown> | undefined {
  if (!isObject(value)) {
    errors.push({field: prefix, message: schemaMismatch('object', value)});
    return undefined;
  }
  for (const [key, v] of Object.entries(value)) {
    if (strings.includes(key) && typeof v !== 'string')
      errors.push({field: `${prefix}.${key}`, message: schemaMismatch('string', v)});
    if (booleans.includes(key) && typeof v !== 'boolean')
      errors.push({field: `${prefix}.${key}`, message: schemaMismatch('boolean', v)});
    if (integers.includes(key) && (typeof v !== 'number' || !Number.isInteger(v)))
      errors.push({field: `${prefix}.${key}`, message: schemaMismatch('integer', v)});
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
