import type {RequestRecorder} from '../../core/recorder.js';
import type {RouteTable} from '../../core/routes.js';
import {MailchimpProblem} from '../../core/problem.js';
import type {BatchOperationInput, BatchRecord, SandboxState} from '../../core/state.js';
import {buildResultsArchive} from './batch-archive.js';
import {runBatchOperation, type BatchOperationResult} from './batch-operation.js';
import {batchWebhookPayload} from './batch-webhook-payload.js';
import {postForm, type BatchWebhookDelivery} from './batch-webhook-delivery.js';

/** Release note 2021-11-16: up to 500 pending batches, and no new batch while 500 webhook calls are outstanding. */
export const MAX_PENDING_BATCHES = 500;
export const MAX_OUTSTANDING_WEBHOOKS = 500;
/** Operations run between yields to the event loop, so status polls see the counts grow. */
const OPERATIONS_PER_TICK = 25;

export interface BatchRunnerOptions {
  state: SandboxState;
  table: RouteTable;
  recorder: RequestRecorder;
  stepMs: number;
  webhookTimeoutMs: number;
  /** Where the results archives are served (public, no auth), e.g. `http://127.0.0.1:4010/batch-results`. */
  resultsBaseUrl: () => string;
}

/**
 * Runs submitted batches in the background, one at a time in submission order ("only one batch request is run at
 * a time"): pending → preprocessing → started (operations run, counts grow) → finalizing → finished, `stepMs`
 * apart; then builds the results archive and calls the enabled batch webhooks.
 */
export class BatchRunner {
  private readonly queue: string[] = [];
  private draining?: Promise<void>;
  private readonly stopping = new AbortController();
  private readonly inFlightWebhooks = new Set<Promise<void>>();
  readonly deliveries: BatchWebhookDelivery[] = [];

  constructor(private readonly options: BatchRunnerOptions) {}

  submit(operations: BatchOperationInput[]): BatchRecord {
    const {state} = this.options;
    const pending = [...state.batches.values()].filter((b) => b.status !== 'finished').length;
    if (pending >= MAX_PENDING_BATCHES) {
      throw new MailchimpProblem(
        429,
        'Too Many Requests',
        `You have exceeded the limit of ${MAX_PENDING_BATCHES} pending batches. Wait for some to finish before submitting more.`,
      );
    }
    if (this.inFlightWebhooks.size >= MAX_OUTSTANDING_WEBHOOKS) {
      throw new MailchimpProblem(
        429,
        'Too Many Requests',
        `There are ${MAX_OUTSTANDING_WEBHOOKS} outstanding batch webhook calls. Wait for them to complete before submitting more batches.`,
      );
    }
    const batch: BatchRecord = {
      id: state.newId(10),
      status: 'pending',
      // Counted while preprocessing, as Mailchimp does: a pending batch shows 0 operations.
      total_operations: 0,
      finished_operations: 0,
      errored_operations: 0,
      submitted_at: state.timestamp(),
      completed_at: '',
      response_body_url: '',
      operations,
    };
    state.batches.set(batch.id, batch);
    this.queue.push(batch.id);
    this.kick();
    return batch;
  }

  /** Forgets a queued batch (DELETE); one already running stops before its next operation. */
  cancel(id: string): void {
    const index = this.queue.indexOf(id);
    if (index >= 0) this.queue.splice(index, 1);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.queue.length = 0;
    await this.draining;
    await Promise.all(this.inFlightWebhooks);
  }

  private kick(): void {
    if (this.draining || this.stopping.signal.aborted) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopping.signal.aborted) {
      const batch = this.options.state.batches.get(this.queue.shift()!);
      if (batch) await this.process(batch);
    }
  }

  private async process(batch: BatchRecord): Promise<void> {
    const {state, table, recorder, stepMs} = this.options;
    // A batch stops when the sandbox stops, when it is deleted, or when the state is reset.
    const alive = () => !this.stopping.signal.aborted && state.batches.get(batch.id) === batch;
    if (!(await this.wait(stepMs)) || !alive()) return;
    batch.status = 'preprocessing';
    batch.total_operations = batch.operations.length;
    if (!(await this.wait(stepMs)) || !alive()) return;
    batch.status = 'started';
    const results: BatchOperationResult[] = [];
    for (const [index, op] of batch.operations.entries()) {
      const {result, recorded} = await runBatchOperation(table, state, op);
      if (!alive()) return;
      recorder.record(recorded);
      results.push(result);
      batch.finished_operations += 1;
      if (result.status_code >= 400) batch.errored_operations += 1;
      if (index % OPERATIONS_PER_TICK === OPERATIONS_PER_TICK - 1)
        await new Promise((resolve) => setImmediate(resolve));
    }
    if (!alive()) return;
    batch.status = 'finalizing';
    const archive = await buildResultsArchive(batch.id, results, state.now());
    if (!(await this.wait(stepMs)) || !alive()) return;
    batch.archive = archive;
    batch.operations = [];
    batch.response_body_url = `${this.options.resultsBaseUrl()}/${batch.id}.tar.gz`;
    batch.completed_at = state.timestamp();
    batch.status = 'finished';
    this.notify(batch);
  }

  private notify(batch: BatchRecord): void {
    const {state, webhookTimeoutMs} = this.options;
    for (const webhook of state.batchWebhooks.values()) {
      if (!webhook.enabled) continue;
      const form = batchWebhookPayload(batch, state.now());
      const call = postForm(webhook.url, form, webhookTimeoutMs, this.stopping.signal).then((outcome) => {
        this.deliveries.push({
          webhook_id: webhook.id,
          url: webhook.url,
          batch_id: batch.id,
          at: state.timestamp(),
          ...outcome,
        });
      });
      this.inFlightWebhooks.add(call);
      void call.finally(() => this.inFlightWebhooks.delete(call));
    }
  }

  /** Resolves true after `ms`, or false at once when the runner stops. */
  private wait(ms: number): Promise<boolean> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      // The HTTP server keeps a running sandbox alive; a forgotten one must not hold its process open.
      timer.unref();
      signal.addEventListener('abort', onAbort, {once: true});
    });
  }
}
