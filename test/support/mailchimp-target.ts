import pino from 'pino';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import type {ListRecord} from '../../sandbox/mailchimp/core/state.js';
import {accountFromApiKey} from '../../connector/src/mailchimp/account.js';
import {AccountLimiters} from '../../connector/src/mailchimp/account-limiters.js';
import {MailchimpClient} from '../../connector/src/mailchimp/client.js';
import type {Connection} from '../../connector/src/store/connections-repository.js';
import type {SyncRecord} from '../../connector/src/store/sync-state-repository.js';
import type {ConnectionTarget} from '../../connector/src/sync/processors/client-registry.js';
import {contentHash, stableStringify} from '../../connector/src/sync/stable-json.js';
import {startTestSandbox, type TestSandbox} from './sandbox.js';

export const TEST_CONNECTION_ID = 'c1';

export interface MailchimpTarget {
  sandbox: TestSandbox;
  list: ListRecord;
  /** A connection's target on the sandbox: the real client, an audience, and (with `store`) its e-commerce store. */
  target: ConnectionTarget;
  close(): Promise<void>;
}

/**
 * A started Mailchimp sandbox with an audience and a connection target on it, for processor tests that talk to
 * Mailchimp through the real client (no connector, no HTTP to it).
 */
export async function startMailchimpTarget(
  options: {doubleOptIn?: boolean; store?: boolean; latencyMs?: number} = {},
): Promise<MailchimpTarget> {
  const sandbox = await startTestSandbox({latencyMs: options.latencyMs ?? 0});
  const list = createListRecord(sandbox.sandbox.state, {
    name: 'Unit audience',
    double_optin: options.doubleOptIn ?? false,
  });
  const client = new MailchimpClient({
    account: accountFromApiKey(sandbox.apiKey, {baseUrl: sandbox.baseUrl}),
    limiters: new AccountLimiters({maxConcurrent: 4}),
    retry: {maxAttempts: 1},
    logger: pino({level: 'silent'}),
  });
  const connection: Connection = {
    id: TEST_CONNECTION_ID,
    shopDomain: 'unit.shop.test',
    platform: 'custom',
    mailchimpStoreId: 'store-unit',
    mailchimpListId: list.id,
    mailchimpAccount: 'unit',
    doubleOptIn: options.doubleOptIn ?? false,
    settings: {},
    status: 'active',
    storeCreated: options.store ?? false,
    currency: {shop: 'EUR'},
    installSource: 'env',
    mailchimpStatus: 'connected',
  };
  const target: ConnectionTarget = {connection, client, listId: list.id, storeId: connection.mailchimpStoreId};
  if (options.store)
    await client.stores.create({
      id: target.storeId,
      list_id: list.id,
      name: 'Unit shop',
      currency_code: 'EUR',
      platform: 'Custom',
      is_syncing: false,
    });
  return {sandbox, list, target, close: () => sandbox.close()};
}

/** A sync record as the worker hands it to a processor: never sent before unless `over` says otherwise. */
export function syncRecord(
  entityType: string,
  entityId: string,
  value: unknown,
  over: Partial<SyncRecord> = {},
): SyncRecord {
  const desired = stableStringify(value);
  const at = '2026-01-01T00:00:00.000Z';
  return {
    connection_id: TEST_CONNECTION_ID,
    entity_type: entityType,
    entity_id: entityId,
    desired,
    desired_version: at,
    desired_hash: contentHash(desired),
    synced_hash: null,
    synced_desired: null,
    status: 'pending',
    priority: 10,
    attempts: 0,
    next_attempt_at: at,
    last_error: null,
    claimed_by: 'worker-test',
    claimed_until: null,
    updated_at: at,
    synced_at: null,
    lane: 'live',
    ...over,
  };
}
