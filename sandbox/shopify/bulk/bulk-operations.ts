import {createWriteStream, mkdtempSync, rmSync, statSync, type WriteStream} from 'node:fs';
import {once} from 'node:events';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {GraphQLError, parse, validate, type DocumentNode, type ExecutionResult, type GraphQLSchema} from 'graphql';
import type {IdAllocator} from '../data/id-allocator.js';
import type {BulkWindow} from '../resolvers/resolver-context.js';
import {gid, isoOrNull, isoTime} from '../schema/scalars.js';
import {shopifyValidationMessage} from '../http/validation-messages.js';
import {jsonlLines, rootNodesOf} from './bulk-jsonl.js';
import {bulkQueryShape, type ConnectionSpec} from './bulk-query-shape.js';

export type BulkStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'EXPIRED';
export type BulkErrorCode = 'ACCESS_DENIED' | 'INTERNAL_SERVER_ERROR' | 'TIMEOUT';

interface BulkOperationRecord {
  id: number;
  query: string;
  status: BulkStatus;
  errorCode: BulkErrorCode | null;
  createdAt: number;
  completedAt: number | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  file: string;
  hasFile: boolean;
  cancelRequested: boolean;
}

export interface BulkUserError {
  field: string[] | null;
  message: string;
  code: 'INVALID' | 'OPERATION_IN_PROGRESS' | null;
}

export interface BulkSettings {
  /** Root objects per execution step (default 250). */
  pageSize?: number;
  /** Pause between steps, so that RUNNING and a growing objectCount can be observed (default 0: next tick). */
  stepDelayMs?: number;
}

export interface BulkDependencies {
  schema: GraphQLSchema;
  ids: IdAllocator;
  now: () => number;
  /** `http://127.0.0.1:<port>` once the server listens: the download URLs point here. */
  origin: () => string;
  /** Runs the bulk query for one window of root objects. */
  execute: (document: DocumentNode, window: BulkWindow, apiVersion: string) => ExecutionResult;
}

/**
 * The bulk operations of the shop: `bulkOperationRunQuery` validation (GraphQL and bulk restrictions), the limit of
 * concurrent bulk queries (one before API 2026-01, five from 2026-01 on), the background run that writes the JSONL
 * file page by page, cancellation, and the views `node(id:)`/`currentBulkOperation` return.
 */
export class BulkOperations {
  private readonly operations = new Map<number, BulkOperationRecord>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'shopify-sandbox-bulk-'));
  private readonly running = new Set<Promise<void>>();
  private failure: BulkErrorCode | undefined;
  private closed = false;

  constructor(
    private readonly deps: BulkDependencies,
    private readonly settings: BulkSettings = {},
  ) {}

  /** Makes the next bulk operation fail after its first step (tests of the FAILED path). */
  failNext(errorCode: BulkErrorCode): void {
    this.failure = errorCode;
  }

  start(
    query: string,
    groupObjects: boolean,
    apiVersion: string,
  ): {bulkOperation: unknown; userErrors: BulkUserError[]} {
    const invalid = (message: string) => ({
      bulkOperation: null,
      userErrors: [{field: ['query'], message, code: 'INVALID' as const}],
    });
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return invalid(`Invalid bulk query: ${error instanceof GraphQLError ? error.message : String(error)}`);
    }
    const validationErrors = validate(this.deps.schema, document);
    if (validationErrors.length > 0)
      return invalid(`Invalid bulk query: ${shopifyValidationMessage(validationErrors[0]!).message}`);
    const shape = bulkQueryShape(this.deps.schema, document);
    if (shape.errors.length > 0 || !shape.root)
      return invalid(shape.errors[0] ?? 'Bulk queries must contain at least one connection.');

    const limit = apiVersion >= '2026-01' ? 5 : 1;
    const active = [...this.operations.values()].filter(
      (op) => op.status === 'CREATED' || op.status === 'RUNNING' || op.status === 'CANCELING',
    );
    if (active.length >= limit) {
      const busy = active[active.length - 1]!;
      return {
        bulkOperation: null,
        userErrors: [
          {
            field: null,
            message: `A bulk query operation for this app and shop is already in progress: ${gid('BulkOperation', busy.id)}.`,
            code: 'OPERATION_IN_PROGRESS',
          },
        ],
      };
    }
    const id = this.deps.ids.allocate('BulkOperation');
    const record: BulkOperationRecord = {
      id,
      query,
      status: 'CREATED',
      errorCode: null,
      createdAt: this.deps.now(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      file: join(this.dir, `${id}.jsonl`),
      hasFile: false,
      cancelRequested: false,
    };
    this.operations.set(id, record);
    const failure = this.failure;
    this.failure = undefined;
    const task = this.run(record, document, shape.root, groupObjects, apiVersion, failure).finally(() =>
      this.running.delete(task),
    );
    this.running.add(task);
    return {bulkOperation: this.view(id), userErrors: []};
  }

  cancel(id: number): {bulkOperation: unknown; userErrors: Array<{field: string[]; message: string}>} {
    const record = this.operations.get(id);
    if (!record) return {bulkOperation: null, userErrors: [{field: ['id'], message: 'Bulk operation does not exist'}]};
    if (record.status !== 'CREATED' && record.status !== 'RUNNING') {
      return {
        bulkOperation: this.view(id),
        userErrors: [
          {field: ['id'], message: `A bulk operation cannot be canceled when it is ${record.status.toLowerCase()}`},
        ],
      };
    }
    record.cancelRequested = true;
    record.status = 'CANCELING';
    return {bulkOperation: this.view(id), userErrors: []};
  }

  /** The most recent operation of a type (`currentBulkOperation`). */
  current(type: string): unknown {
    if (type !== 'QUERY') return null;
    const last = [...this.operations.values()].pop();
    return last ? this.view(last.id) : null;
  }

  view(id: number): Record<string, unknown> | undefined {
    const op = this.operations.get(id);
    if (!op) return undefined;
    const url = `${this.deps.origin()}/__bulk/${op.id}.jsonl`;
    return {
      __typename: 'BulkOperation',
      id: gid('BulkOperation', op.id),
      type: 'QUERY',
      status: op.status,
      errorCode: op.errorCode,
      createdAt: isoTime(op.createdAt),
      completedAt: isoOrNull(op.completedAt),
      objectCount: String(op.objectCount),
      rootObjectCount: String(op.rootObjectCount),
      fileSize: op.fileSize === null ? null : String(op.fileSize),
      // Shopify gives no URL for a result without objects.
      url: op.status === 'COMPLETED' && op.objectCount > 0 ? url : null,
      partialDataUrl: op.status === 'FAILED' && op.objectCount > 0 ? url : null,
      query: op.query,
    };
  }

  /** The JSONL file of an operation that has one to serve (completed, or failed with partial data). */
  fileOf(id: number): string | undefined {
    const op = this.operations.get(id);
    if (!op || !op.hasFile || op.objectCount === 0 || (op.status !== 'COMPLETED' && op.status !== 'FAILED'))
      return undefined;
    return op.file;
  }

  /** Waits for running operations (tests) and removes the files. */
  async close(): Promise<void> {
    this.closed = true;
    for (const op of this.operations.values())
      if (op.status === 'RUNNING' || op.status === 'CREATED') op.cancelRequested = true;
    await Promise.allSettled([...this.running]);
    rmSync(this.dir, {recursive: true, force: true});
  }

  private async pause(): Promise<void> {
    const delay = this.settings.stepDelayMs ?? 0;
    await new Promise((resolve) => (delay > 0 ? setTimeout(resolve, delay) : setImmediate(resolve)));
  }

  private async run(
    op: BulkOperationRecord,
    document: DocumentNode,
    root: ConnectionSpec,
    groupObjects: boolean,
    apiVersion: string,
    failure: BulkErrorCode | undefined,
  ): Promise<void> {
    await this.pause();
    const out: WriteStream = createWriteStream(op.file);
    op.hasFile = true;
    const finish = async (status: BulkStatus, errorCode: BulkErrorCode | null = null) => {
      out.end();
      await once(out, 'close');
      op.status = status;
      op.errorCode = errorCode;
      op.fileSize = status === 'COMPLETED' ? statSync(op.file).size : null;
      op.completedAt = this.deps.now();
    };
    try {
      if (op.cancelRequested) return await finish('CANCELED');
      op.status = 'RUNNING';
      const window: BulkWindow = {first: this.settings.pageSize ?? 250, after: null};
      for (;;) {
        const result = this.deps.execute(document, window, apiVersion);
        if (result.errors && result.errors.length > 0) return await finish('FAILED', 'INTERNAL_SERVER_ERROR');
        const page = jsonlLines(rootNodesOf(result.data as Record<string, unknown> | null, root), root, groupObjects);
        if (page.lines.length > 0 && !out.write(page.lines.join('\n') + '\n')) await once(out, 'drain');
        op.objectCount += page.lines.length;
        op.rootObjectCount += page.roots;
        if (failure) return await finish('FAILED', failure);
        if (!window.hasNextPage) return await finish('COMPLETED');
        window.after = window.endCursor ?? null;
        await this.pause();
        if (op.cancelRequested || this.closed) return await finish('CANCELED');
      }
    } catch {
      if (!op.completedAt) await finish('FAILED', 'INTERNAL_SERVER_ERROR');
    }
  }
}
