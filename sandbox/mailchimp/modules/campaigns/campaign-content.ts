import {link} from '../../core/collection.js';
import {problems, type FieldError} from '../../core/problem.js';
import type {CampaignRecord} from '../../core/state.js';
import {schemaMismatch} from '../batches/schema-type.js';

export interface ContentInput {
  html?: string;
  plain_text?: string;
  url?: string;
  template?: {id: number; sections?: Record<string, string>};
}

/** Checks a PUT /campaigns/{id}/content body: strings, and `template.id` an integer (a string id is refused). */
export function parseContentInput(body: unknown): ContentInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw problems.invalidResource([{field: '', message: schemaMismatch('object', body)}]);
  const input = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const field of ['html', 'plain_text', 'url'] as const) {
    if (input[field] !== undefined && typeof input[field] !== 'string')
      errors.push({field, message: schemaMismatch('string', input[field])});
  }
  const template = input.template;
  if (template !== undefined) {
    if (typeof template !== 'object' || template === null || Array.isArray(template)) {
      errors.push({field: 'template', message: schemaMismatch('object', template)});
    } else {
      const {id, sections} = template as Record<string, unknown>;
      if (typeof id !== 'number' || !Number.isInteger(id))
        errors.push({field: 'template.id', message: schemaMismatch('integer', id)});
      if (sections !== undefined && (typeof sections !== 'object' || sections === null || Array.isArray(sections))) {
        errors.push({field: 'template.sections', message: schemaMismatch('object', sections)});
      }
    }
  }
  if (errors.length > 0) throw problems.invalidResource(errors);
  return input as ContentInput;
}

/**
 * Replaces the campaign's content. A template or a URL becomes generated HTML (the sandbox has no template store
 * and fetches nothing); plain text is derived from the HTML unless given, as Mailchimp does.
 */
export function applyContent(campaign: CampaignRecord, input: ContentInput): void {
  let html = input.html;
  let contentType = 'html';
  if (input.template) {
    const sections = Object.entries(input.template.sections ?? {}).map(
      ([name, value]) => `<div mc:edit="${name}">${value}</div>`,
    );
    html = `<!DOCTYPE html><html><body><!-- template ${input.template.id} -->${sections.join('')}</body></html>`;
    contentType = 'template';
  } else if (input.url !== undefined) {
    html = `<!DOCTYPE html><html><body><!-- imported from ${input.url} --></body></html>`;
    contentType = 'url';
  }
  campaign.content = {
    html: html ?? '',
    plain_text: input.plain_text ?? (html ? htmlToText(html) : ''),
    ...(input.template ? {template: input.template} : {}),
    ...(input.url !== undefined ? {url: input.url} : {}),
  };
  campaign.content_type = contentType;
}

export function contentView(campaign: CampaignRecord, apiBase: string): Record<string, unknown> {
  const self = `${apiBase}/campaigns/${campaign.id}/content`;
  const html = campaign.content?.html ?? '';
  return {
    plain_text: campaign.content?.plain_text ?? '',
    html,
    archive_html: html,
    _links: [link('parent', `${apiBase}/campaigns/${campaign.id}`), link('self', self), link('create', self, 'PUT')],
  };
}

function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(br|\/p|\/div|\/h\d|\/li)\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n\n')
    .trim();
}
