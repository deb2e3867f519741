import type {Config} from '../config/config.js';
import type {Connection, ConnectionsRepository, MailchimpCredentials} from '../store/connections-repository.js';
import {parseMoney} from '../model/money.js';

export interface EnvConnectionInput {
  shopDomain: string;
  mailchimp: MailchimpCredentials;
  listId: string;
  shopifyApiSecret?: string;
  ingestToken?: string;
}

/**
 * The single shop configured from the environment (SHOPIFY_SHOP, MAILCHIMP_*, INGEST_TOKEN...). The schema holds
 * many connections; this creates or refreshes the one the environment describes. Ids stay stable across restarts.
 */
export async function upsertEnvConnection(
  connections: ConnectionsRepository,
  config: Config,
  input: EnvConnectionInput,
  now: Date,
): Promise<Connection> {
  return connections.upsert(
    {
      shopDomain: input.shopDomain,
      platform: config.SHOPIFY_SHOP || input.shopifyApiSecret ? 'shopify' : 'custom',
      mailchimp: input.mailchimp,
      mailchimpListId: input.listId,
      mailchimpStoreId: config.MAILCHIMP_STORE_ID,
      shopify:
        input.shopifyApiSecret || config.SHOPIFY_ACCESS_TOKEN
          ? {
              apiSecret: input.shopifyApiSecret,
              accessToken: config.SHOPIFY_ACCESS_TOKEN,
              adminUrl: config.SHOPIFY_ADMIN_URL,
            }
          : undefined,
      ingestToken: input.ingestToken,
      doubleOptIn: config.DOUBLE_OPT_IN,
      settings: {
        // Set only when STORE_CURRENCY is (unset clears an earlier value: the store then takes the shop's currency).
        currency: config.STORE_CURRENCY,
        storeName: config.STORE_NAME,
        // Without STORE_CURRENCY the VIP threshold is read in the shop's currency once it is known (tag-settings.ts).
        vipSpendMinor: config.STORE_CURRENCY ? parseMoney(config.VIP_SPEND, config.STORE_CURRENCY).minor : undefined,
        lapsedAfterDays: config.LAPSED_AFTER_DAYS,
        storefrontOrigins: config.STOREFRONT_ORIGINS,
        storefrontDoubleOptIn: config.STOREFRONT_DOUBLE_OPT_IN,
      },
    },
    now.toISOString(),
  );
}

/** Mailchimp credentials from the environment (API key, or OAuth token + data center). */
export function mailchimpCredentialsFromConfig(config: Config): MailchimpCredentials | undefined {
  if (config.MAILCHIMP_API_KEY)
    return {kind: 'api_key', apiKey: config.MAILCHIMP_API_KEY, baseUrl: config.MAILCHIMP_BASE_URL};
  if (config.MAILCHIMP_ACCESS_TOKEN) {
    return {
      kind: 'oauth',
      accessToken: config.MAILCHIMP_ACCESS_TOKEN,
      dc: config.MAILCHIMP_DC ?? 'us1',
      baseUrl: config.MAILCHIMP_BASE_URL,
    };
  }
  return undefined;
}
