import type {Logger} from '../logging/logger.js';
import {ShopifyAdminError} from '../shopify-admin/admin-errors.js';
import {CUSTOMER_CONSENT_UPDATE, CUSTOMER_UPDATE} from '../shopify-admin/documents/mutation-documents.js';
import type {SyncRecord} from '../store/sync-state-repository.js';
import {ENTITY} from '../sync/entity-types.js';
import type {EntityProcessor, ProcessOutcome} from '../sync/sync-worker.js';
import {findShopifyCustomer, type ShopifyAdminAccess} from './shopify-admin-access.js';
import type {ConsentWriteBack, CustomerWriteBack} from './write-back-desired.js';

/**
 * Write-back of Mailchimp changes to Shopify customers, as sync-state processors: the worker retries Shopify's
 * transient failures with back-off (the Admin client has already waited out throttling), and a refusal (user
 * errors, a revoked token) becomes a dead letter with Shopify's words.
 */

const NO_ACCESS = {
  title: 'No Shopify Admin access',
  detail:
    'The connection has no Admin API access token (SHOPIFY_ACCESS_TOKEN): the change cannot be written back to the store.',
};

async function guarded(run: () => Promise<ProcessOutcome>): Promise<ProcessOutcome> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ShopifyAdminError && !err.retryable)
      return {kind: 'dead', problem: {title: err.name, detail: err.message, kind: err.kind}};
    throw err;
  }
}

/** Consent: customerEmailMarketingConsentUpdate, unless the store already says so or holds a newer consent. */
export class ShopifyConsentProcessor implements EntityProcessor<ConsentWriteBack> {
  constructor(
    private readonly access: ShopifyAdminAccess,
    private readonly logger: Logger,
  ) {}

  process(record: SyncRecord, desired: ConsentWriteBack): Promise<ProcessOutcome> {
    return guarded(async () => {
      const client = await this.access.clientFor(record.connection_id);
      if (!client) return {kind: 'dead', problem: NO_ACCESS};
      const customer = await findShopifyCustomer(client, desired);
      const log = this.logger.child({entity: ENTITY.shopifyConsent});
      if (!customer) {
        log.info({reason: desired.reason}, 'no Shopify customer has this address; nothing to write back');
        return {kind: 'synced'};
      }
      const current = customer.emailMarketingConsent;
      if (!current) return {kind: 'synced'};
      if (current.marketingState === desired.state) return {kind: 'synced'};
      if (current.marketingState === 'REDACTED') return {kind: 'synced'};
      if (current.consentUpdatedAt && Date.parse(current.consentUpdatedAt) > Date.parse(desired.consentUpdatedAt)) {
        log.info(
          {storeConsentAt: current.consentUpdatedAt, mailchimpAt: desired.consentUpdatedAt},
          'the store holds a newer consent; Mailchimp change not written back',
        );
        return {kind: 'synced'};
      }
      await client.mutate(
        CUSTOMER_CONSENT_UPDATE,
        {
          input: {
            customerId: customer.id,
            emailMarketingConsent: {
              marketingState: desired.state,
              ...(desired.state === 'SUBSCRIBED' ? {marketingOptInLevel: 'SINGLE_OPT_IN' as const} : {}),
              consentUpdatedAt: desired.consentUpdatedAt,
            },
          },
        },
        'customerEmailMarketingConsentUpdate',
      );
      return {kind: 'synced'};
    });
  }
}

/** Names and address: customerUpdate with what differs. */
export class ShopifyCustomerProcessor implements EntityProcessor<CustomerWriteBack> {
  constructor(
    private readonly access: ShopifyAdminAccess,
    private readonly logger: Logger,
  ) {}

  process(record: SyncRecord, desired: CustomerWriteBack): Promise<ProcessOutcome> {
    return guarded(async () => {
      const client = await this.access.clientFor(record.connection_id);
      if (!client) return {kind: 'dead', problem: NO_ACCESS};
      const customer =
        (await findShopifyCustomer(client, desired)) ??
        (desired.newEmail ? await findShopifyCustomer(client, {email: desired.newEmail}) : undefined);
      if (!customer) {
        this.logger
          .child({entity: ENTITY.shopifyCustomer})
          .info('no Shopify customer has this address; nothing to write back');
        return {kind: 'synced'};
      }
      const input: {id: string; email?: string; firstName?: string; lastName?: string} = {id: customer.id};
      if (desired.firstName !== undefined && desired.firstName !== customer.firstName)
        input.firstName = desired.firstName;
      if (desired.lastName !== undefined && desired.lastName !== customer.lastName) input.lastName = desired.lastName;
      if (desired.newEmail !== undefined && desired.newEmail.toLowerCase() !== customer.email?.toLowerCase())
        input.email = desired.newEmail;
      if (Object.keys(input).length === 1) return {kind: 'synced'};
      await client.mutate(CUSTOMER_UPDATE, {input}, 'customerUpdate');
      return {kind: 'synced'};
    });
  }
}

export function writeBackProcessors(access: ShopifyAdminAccess, logger: Logger): Record<string, EntityProcessor> {
  return {
    [ENTITY.shopifyConsent]: new ShopifyConsentProcessor(access, logger),
    [ENTITY.shopifyCustomer]: new ShopifyCustomerProcessor(access, logger),
  };
}
