import axios from 'axios';
import type {Readable} from 'node:stream';
import {pino} from 'pino';
import type {Logger} from '../../logging/logger.js';
import type {BatchesApi} from '../api/batches-api.js';
import {isMailchimpError, MailchimpError} from '../mailchimp-error.js';
import {classifyFailure} from '../problem-classifier.js';
import {sleep} from '../transport.js';
import type {Batch, BatchOperationWire} from '../types/batches.js';
import type {HttpMethod} from '../types/common.js';
import {readBatchResults, type BatchOperationResult} from './batch-archive.js';
import {CountingSemaphore} from './counting-semaphore.js';

/** One operation to run in a batch. `body` is serialised to the JSON string Mailchimp wants. */
export interface BatchOperationInput {
  /** Unique within a run: results are matched back by it. */
  operationId: string;
  method: HttpMethod;
  /** Expanded path relative to the API root (build it with expandRoute). */
  path: string;
  params?: Record<string, string | number | boolean>;
  body?: unknown;
  /** The route template, for errors and metrics (defaults to `batch operation`). */
  route?: string;
}

/** A result with the failure classified the same way as for single calls. */
export interface BatchOperationOutcome extends BatchOperationResult {
  /** Present when status_code ≥ 300. */
  error?: MailchimpError;
}

export interface BatchRunSummary {
  batchIds: string[];
  operations: number;
  succeeded: number;
  failed: number;
  /** Submitted operations the archives had no result for (re-queue them). */
  missing: string[];
}

export interface BatchRunnerOptions {
  /** Operations per POST /batches. */
  maxOperationsPerBatch?: number;
  /** Mailchimp allows 500 pending batches per user. Pass a shared semaphore to count across runners of one account. */
  pendingSlots?: CountingSemaphore;
  maxPendingBatches?: number;
  /** Status polling: first wait, growth factor, longest wait. */
  pollInitialMs?: number;
  pollFactor?: number;
  pollMaxMs?: number;
  /** After the client's own retries give up on a 429 from POST /batches (pending limit), wait this long and try again… */
  submitRetryDelayMs?: number;
  /** …until this much time has passed. */
  submitMaxWaitMs?: number;
  downloadTimeoutMs?: number;
  downloadAttempts?: number;
  logger?: Logger;
  /** Progress: every status seen while polling. */
  onBatchStatus?: (batch: Batch) => void;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_OPERATIONS_PER_BATCH = 500;
export const MAILCHIMP_MAX_PENDING_BATCHES = 500;

interface SubmittedOperation {
  method: HttpMethod;
  route: string;
}

/**
 * Runs any number of operations through /batches: splits them into batches, submits each (never more pending than
 * allowed), polls each until finished with growing waits, streams its results archive and hands back one outcome
 * per operation. Operations are pulled from the iterable only as pending slots free up, so memory stays flat.
 */
export class BatchRunner {
  private readonly options: Required<
    Omit<BatchRunnerOptions, 'pendingSlots' | 'maxPendingBatches' | 'logger' | 'onBatchStatus' | 'signal'>
  >;
  private readonly slots: CountingSemaphore;
  private readonly logger: Logger;
  // A bare instance: the archive URL is pre-signed storage, and must never see the Mailchimp Authorization header.
  private readonly download = axios.create();

  constructor(
    private readonly batches: BatchesApi,
    private readonly settings: BatchRunnerOptions = {},
  ) {
    this.options = {
      maxOperationsPerBatch: settings.maxOperationsPerBatch ?? DEFAULT_MAX_OPERATIONS_PER_BATCH,
      pollInitialMs: settings.pollInitialMs ?? 1_000,
      pollFactor: settings.pollFactor ?? 1.5,
      pollMaxMs: settings.pollMaxMs ?? 30_000,
      submitRetryDelayMs: settings.submitRetryDelayMs ?? 10_000,
      submitMaxWaitMs: settings.submitMaxWaitMs ?? 30 * 60_000,
      downloadTimeoutMs: settings.downloadTimeoutMs ?? 120_000,
      downloadAttempts: settings.downloadAttempts ?? 3,
    };
    if (this.options.maxOperationsPerBatch < 1) throw new Error('maxOperationsPerBatch must be at least 1');
    this.slots =
      settings.pendingSlots ?? new CountingSemaphore(settings.maxPendingBatches ?? MAILCHIMP_MAX_PENDING_BATCHES);
    this.logger = (settings.logger ?? pino({level: 'silent'})).child({module: 'mailchimp-batches'});
  }

  async run(
    operations: Iterable<BatchOperationInput> | AsyncIterable<BatchOperationInput>,
    onResult: (outcome: BatchOperationOutcome) => void | Promise<void>,
  ): Promise<BatchRunSummary> {
    const summary: BatchRunSummary = {batchIds: [], operations: 0, succeeded: 0, failed: 0, missing: []};
    const inflight = new Set<Promise<void>>();
    const seenIds = new Set<string>();
    let failure: unknown;
    try {
      for await (const chunk of chunked(operations, this.options.maxOperationsPerBatch, seenIds)) {
        await this.slots.acquire();
        if (failure !== undefined) {
          this.slots.release();
          break;
        }
        summary.operations += chunk.length;
        const job: Promise<void> = this.runOne(chunk, onResult, summary)
          .catch((error: unknown) => {
            failure ??= error;
          })
          .finally(() => {
            this.slots.release();
            inflight.delete(job);
          });
        inflight.add(job);
      }
    } catch (error) {
      failure ??= error;
    }
    await Promise.all(inflight);
    if (failure !== undefined) throw failure;
    return summary;
  }

  private async runOne(
    chunk: BatchOperationInput[],
    onResult: (outcome: BatchOperationOutcome) => void | Promise<void>,
    summary: BatchRunSummary,
  ): Promise<void> {
    const submitted = new Map<string, SubmittedOperation>();
    const wire = chunk.map((op): BatchOperationWire => {
      submitted.set(op.operationId, {method: op.method, route: op.route ?? 'batch operation'});
      const out: BatchOperationWire = {method: op.method, path: op.path, operation_id: op.operationId};
      if (op.params) out.params = op.params;
      if (op.body !== undefined) out.body = JSON.stringify(op.body);
      return out;
    });
    const batch = await this.submit(wire);
    summary.batchIds.push(batch.id);
    this.logger.info({batchId: batch.id, operations: wire.length}, 'batch submitted');
    const finished = await this.waitUntilFinished(batch);
    const delivered = new Set<string>();
    await this.deliverResults(finished, submitted, delivered, onResult, summary);
    for (const id of submitted.keys()) if (!delivered.has(id)) summary.missing.push(id);
    this.logger.info(
      {batchId: batch.id, errored: finished.errored_operations, total: finished.total_operations},
      'batch results read',
    );
  }

  private async submit(wire: BatchOperationWire[]): Promise<Batch> {
    const started = Date.now();
    for (;;) {
      try {
        return await this.batches.submit(wire, this.signalOption());
      } catch (error) {
        // 429 here is usually the 500-pending-batches limit (shared with other apps): it clears as batches finish.
        const pendingLimit = isMailchimpError(error, 'retryable') && error.status === 429;
        if (!pendingLimit || Date.now() - started + this.options.submitRetryDelayMs > this.options.submitMaxWaitMs)
          throw error;
        this.logger.warn(
          {waitMs: this.options.submitRetryDelayMs},
          'POST /batches refused with 429; waiting for pending batches to finish',
        );
        if (!(await sleep(this.options.submitRetryDelayMs, this.settings.signal))) throw error;
      }
    }
  }

  private async waitUntilFinished(batch: Batch): Promise<Batch> {
    let current = batch;
    let delay = this.options.pollInitialMs;
    while (current.status !== 'finished') {
      if (!(await sleep(delay, this.settings.signal))) throw new Error(`waiting for batch ${batch.id} was cancelled`);
      const next = await this.batches.get(batch.id, this.signalOption());
      if (!next) throw new Error(`batch ${batch.id} disappeared while it was being processed`);
      current = next;
      this.settings.onBatchStatus?.(current);
      delay = Math.min(this.options.pollMaxMs, Math.ceil(delay * this.options.pollFactor));
    }
    return current;
  }

  private async deliverResults(
    batch: Batch,
    submitted: Map<string, SubmittedOperation>,
    delivered: Set<string>,
    onResult: (outcome: BatchOperationOutcome) => void | Promise<void>,
    summary: BatchRunSummary,
  ): Promise<void> {
    if (!batch.response_body_url) return;
    for (let attempt = 1; ; attempt++) {
      try {
        const archive = await this.openArchive(batch.response_body_url);
        for await (const result of readBatchResults(archive)) {
          // A retried download starts over: skip what was handed back already.
          if (result.operation_id !== null && delivered.has(result.operation_id)) continue;
          if (result.operation_id !== null) delivered.add(result.operation_id);
          const outcome = toOutcome(
            result,
            result.operation_id === null ? undefined : submitted.get(result.operation_id),
          );
          if (outcome.error) summary.failed += 1;
          else summary.succeeded += 1;
          await onResult(outcome);
        }
        return;
      } catch (error) {
        if (!isDownloadFailure(error) || attempt >= this.options.downloadAttempts) throw error;
        this.logger.warn(
          {batchId: batch.id, attempt, err: error instanceof Error ? error.message : String(error)},
          'batch results download failed; retrying',
        );
        await sleep(this.options.pollInitialMs * attempt, this.settings.signal);
      }
    }
  }

  private async openArchive(url: string): Promise<Readable> {
    const response = await this.download.get<Readable>(url, {
      responseType: 'stream',
      timeout: this.options.downloadTimeoutMs,
      ...(this.settings.signal ? {signal: this.settings.signal} : {}),
      validateStatus: (status) => status === 200,
    });
    return response.data;
  }

  private signalOption(): {signal?: AbortSignal} {
    return this.settings.signal ? {signal: this.settings.signal} : {};
  }
}

function toOutcome(result: BatchOperationResult, op: SubmittedOperation | undefined): BatchOperationOutcome {
  if (result.status_code < 300) return result;
  const classification = classifyFailure({status: result.status_code, body: result.response});
  const error = new MailchimpError({
    method: op?.method ?? 'UNKNOWN',
    route: op?.route ?? 'batch operation',
    status: result.status_code,
    classification,
    attempts: 1,
  });
  return {...result, error};
}

function isDownloadFailure(error: unknown): boolean {
  return axios.isAxiosError(error) || (error instanceof Error && error.name === 'BatchArchiveError');
}

async function* chunked(
  operations: Iterable<BatchOperationInput> | AsyncIterable<BatchOperationInput>,
  size: number,
  seenIds: Set<string>,
): AsyncGenerator<BatchOperationInput[], void, undefined> {
  let chunk: BatchOperationInput[] = [];
  for await (const op of operations) {
    if (op.operationId === '') throw new Error('every batch operation needs an operationId');
    if (seenIds.has(op.operationId)) throw new Error(`duplicate batch operationId ${op.operationId}`);
    seenIds.add(op.operationId);
    chunk.push(op);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
