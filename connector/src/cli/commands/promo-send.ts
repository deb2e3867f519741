import {readFileSync} from 'node:fs';
import type {CliCommand, CliOptionValues} from '../cli-command.js';
import {jsonArgument, operatorOptions, OPERATOR_USAGE, operatorRequest} from '../operator-request.js';

/** The request body from --file, with any flag given on the command line on top. */
function requestBody(values: CliOptionValues, base: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {...base};
  const str = (flag: string, field: string) => {
    if (typeof values[flag] === 'string') body[field] = values[flag];
  };
  if (typeof values['segment-id'] === 'string') body.segment_id = Number(values['segment-id']);
  str('code', 'code');
  str('subject', 'subject');
  str('preview-text', 'preview_text');
  str('from-name', 'from_name');
  str('reply-to', 'reply_to');
  str('template', 'template');
  str('redemption-url', 'redemption_url');
  str('send-at', 'send_at');
  str('target', 'target');
  if (typeof values['discount-type'] === 'string' || typeof values['discount-amount'] === 'string') {
    const given = (body.discount ?? {}) as Record<string, unknown>;
    body.discount = {
      ...given,
      ...(typeof values['discount-type'] === 'string' ? {type: values['discount-type']} : {}),
      ...(typeof values['discount-amount'] === 'string' ? {amount: Number(values['discount-amount'])} : {}),
    };
  }
  if (Array.isArray(values['test-email'])) body.test_emails = values['test-email'];
  if (Array.isArray(values.product)) body.product_ids = values.product;
  if (values['dry-run'] === true) body.dry_run = true;
  if (values['shopify-discount'] === true) body.shopify_discount = true;
  return body;
}

/**
 * The API marks an answer stored from an earlier request with the same key (`Idempotent-Replayed: true`): the JSON is
 * that first send's result, and nothing was sent now. Said on stderr so that stdout stays the JSON a script reads.
 */
export function replayNote(headers: Headers, key: unknown): string | undefined {
  return headers.get('idempotent-replayed') === 'true'
    ? `replayed: --idempotency-key ${String(key)} was used before; this is the result of that earlier send, nothing was sent again`
    : undefined;
}

/** POST /v1/promo-sends with an Idempotency-Key: running the same command again never sends twice. */
export const promoSendCommand: CliCommand = {
  name: 'promo-send',
  summary:
    'promo rule and code, campaign to a segment, checklist, tests, send now or at a quarter hour (idempotent by key; --dry-run shows the plan)',
  usage:
    'promo-send [--file request.json] --idempotency-key <key> --segment-id <id> --code <CODE> --discount-type percentage|fixed --discount-amount <n> ' +
    '--subject <text> --from-name <name> --reply-to <email> [--preview-text <text>] [--template classic|minimal] [--product <id> …] [--test-email <email> …] ' +
    `[--send-at <ISO, quarter hour>] [--target total|per_item|shipping] [--redemption-url <url>] [--shopify-discount] [--dry-run] ${OPERATOR_USAGE}`,
  options: {
    ...operatorOptions,
    file: {type: 'string'},
    'idempotency-key': {type: 'string'},
    'segment-id': {type: 'string'},
    code: {type: 'string'},
    'discount-type': {type: 'string'},
    'discount-amount': {type: 'string'},
    subject: {type: 'string'},
    'preview-text': {type: 'string'},
    'from-name': {type: 'string'},
    'reply-to': {type: 'string'},
    template: {type: 'string'},
    product: {type: 'string', multiple: true},
    'test-email': {type: 'string', multiple: true},
    'send-at': {type: 'string'},
    target: {type: 'string'},
    'redemption-url': {type: 'string'},
    'shopify-discount': {type: 'boolean'},
    'dry-run': {type: 'boolean'},
  },
  async run(values, io) {
    let base: Record<string, unknown> = {};
    if (typeof values.file === 'string') {
      const parsed = jsonArgument(readFileSync(values.file, 'utf8'), io, 'promo-send', values.file);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        if (parsed !== undefined) io.stderr.write('promo-send: the file must hold a JSON object\n');
        return 2;
      }
      base = parsed as Record<string, unknown>;
    }
    const body = requestBody(values, base);
    const key = values['idempotency-key'];
    if (body.dry_run !== true && typeof key !== 'string') {
      io.stderr.write(
        'promo-send: --idempotency-key is required (any unique text; running the command again with it never sends twice)\n',
      );
      return 2;
    }
    return operatorRequest(values, io, 'promo-send', {
      method: 'POST',
      path: '/v1/promo-sends',
      body,
      headers: typeof key === 'string' ? {'idempotency-key': key} : {},
      noteFor: (headers) => replayNote(headers, key),
    });
  },
};
