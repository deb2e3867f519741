import type {BatchRecord} from '../../core/state.js';

/**
 * The form-encoded body Mailchimp POSTs to batch webhooks when a batch completes: `type`, `fired_at`
 * (`YYYY-MM-DD HH:MM:SS`, like list webhooks) and the batch under `data[...]`.
 */
export function batchWebhookPayload(batch: BatchRecord, firedAt: Date): URLSearchParams {
  return new URLSearchParams([
    ['type', 'batch_operation_completed'],
    ['fired_at', firedAt.toISOString().slice(0, 19).replace('T', ' ')],
    ['data[id]', batch.id],
    ['data[status]', batch.status],
    ['data[total_operations]', String(batch.total_operations)],
    ['data[finished_operations]', String(batch.finished_operations)],
    ['data[errored_operations]', String(batch.errored_operations)],
    ['data[submitted_at]', batch.submitted_at],
    ['data[completed_at]', batch.completed_at],
    ['data[response_body_url]', batch.response_body_url],
  ]);
}
