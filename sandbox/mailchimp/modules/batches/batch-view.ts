import {link} from '../../core/collection.js';
import type {BatchRecord, BatchWebhookRecord} from '../../core/state.js';

/** A batch as GET /batches/{id} shows it (the stored operations and archive stay inside). */
export function batchView(batch: BatchRecord, apiBase: string): Record<string, unknown> {
  return {
    id: batch.id,
    status: batch.status,
    total_operations: batch.total_operations,
    finished_operations: batch.finished_operations,
    errored_operations: batch.errored_operations,
    submitted_at: batch.submitted_at,
    completed_at: batch.completed_at,
    response_body_url: batch.response_body_url,
    _links: [
      link('parent', `${apiBase}/batches`),
      link('self', `${apiBase}/batches/${batch.id}`),
      link('delete', `${apiBase}/batches/${batch.id}`, 'DELETE'),
    ],
  };
}

export function batchWebhookView(webhook: BatchWebhookRecord, apiBase: string): Record<string, unknown> {
  const self = `${apiBase}/batch-webhooks/${webhook.id}`;
  return {
    id: webhook.id,
    url: webhook.url,
    enabled: webhook.enabled,
    _links: [
      link('parent', `${apiBase}/batch-webhooks`),
      link('self', self),
      link('update', self, 'PATCH'),
      link('delete', self, 'DELETE'),
    ],
  };
}
