import {Counter, Gauge, Histogram, Registry, collectDefaultMetrics} from 'prom-client';

/** The connector's Prometheus metrics, on a registry of its own (tests run several connectors in one process). */
export class ConnectorMetrics {
  readonly registry = new Registry();
  readonly queueDepth = new Gauge({
    name: 'connector_sync_queue_depth',
    help: 'Sync records waiting, by entity type and status',
    labelNames: ['entity_type', 'status'],
    registers: [this.registry],
  });
  readonly inboxDepth = new Gauge({
    name: 'connector_inbox_pending',
    help: 'Inbox events not yet projected',
    registers: [this.registry],
  });
  readonly syncLatency = new Histogram({
    name: 'connector_sync_latency_seconds',
    help: 'From the newest desired state being recorded to Mailchimp accepting it',
    labelNames: ['entity_type'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  readonly mailchimpCalls = new Counter({
    name: 'connector_mailchimp_calls_total',
    help: 'Mailchimp API calls by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly mailchimpCallSeconds = new Histogram({
    name: 'connector_mailchimp_call_seconds',
    help: 'Duration of Mailchimp API calls (all attempts)',
    labelNames: ['method', 'route'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 120],
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: 'connector_sync_retries_total',
    help: 'Sync attempts scheduled for retry',
    labelNames: ['entity_type'],
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'connector_dead_letters_total',
    help: 'Records that became dead letters',
    labelNames: ['entity_type'],
    registers: [this.registry],
  });
  readonly backfillRecords = new Gauge({
    name: 'connector_backfill_records',
    help: 'Backfill progress of the latest run per connection: records by phase and state (total, read, sent, handed_to_live, nothing)',
    labelNames: ['connection', 'phase', 'state'],
    registers: [this.registry],
  });
  readonly backfillFailedOperations = new Gauge({
    name: 'connector_backfill_failed_operations',
    help: 'Failed batch operations of the latest backfill run per connection, by phase',
    labelNames: ['connection', 'phase'],
    registers: [this.registry],
  });
  readonly mailchimpReconnectNeeded = new Gauge({
    name: 'connector_mailchimp_reconnect_needed',
    help: 'Connections whose Mailchimp credentials were refused (401) and wait for a reconnect: 1, else 0; by connection id and shop',
    labelNames: ['connection', 'shop'],
    registers: [this.registry],
  });
  readonly webhooks = new Counter({
    name: 'connector_events_received_total',
    help: 'Events accepted into the inbox',
    labelNames: ['source', 'duplicate'],
    registers: [this.registry],
  });
  readonly webhooksRefused = new Counter({
    name: 'connector_webhooks_refused_total',
    help: 'Shopify webhook deliveries refused before anything was stored, by topic (synced topics, else other) and reason',
    labelNames: ['topic', 'reason'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({register: this.registry});
  }

  /** Mirrors a backfill run's progress (the same figures as GET /v1/backfill/:id). */
  observeBackfill(run: {
    connectionId: string;
    progress: Partial<
      Record<
        string,
        {total?: number; read: number; sent: number; handedToLive: number; nothing: number; failedOperations: number}
      >
    >;
  }): void {
    for (const [phase, p] of Object.entries(run.progress)) {
      if (!p) continue;
      const labels = {connection: run.connectionId, phase};
      if (p.total !== undefined) this.backfillRecords.set({...labels, state: 'total'}, p.total);
      this.backfillRecords.set({...labels, state: 'read'}, p.read);
      this.backfillRecords.set({...labels, state: 'sent'}, p.sent);
      this.backfillRecords.set({...labels, state: 'handed_to_live'}, p.handedToLive);
      this.backfillRecords.set({...labels, state: 'nothing'}, p.nothing);
      this.backfillFailedOperations.set(labels, p.failedOperations);
    }
  }
}
