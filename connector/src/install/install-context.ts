import type {Config} from '../config/config.js';
import type {Logger} from '../logging/logger.js';
import type {SecretBox} from '../security/secret-box.js';
import type {ConnectionsRepository} from '../store/connections-repository.js';
import type {MerchantSessions} from './merchant-session.js';
import type {SignedCookies} from './signed-cookie.js';

/** What the install and connect features share (built once in app/install-features.ts). */
export interface InstallContext {
  config: Config;
  connections: ConnectionsRepository;
  box: SecretBox;
  logger: Logger;
  now: () => Date;
  /** Signs the OAuth state cookies (SESSION_SECRET, else a key derived from ENCRYPTION_KEY). */
  cookies: SignedCookies;
  sessions: MerchantSessions;
  /** The connector's public base URL without a trailing slash (PUBLIC_URL; demo mode and tests set it after listening). */
  publicUrl(): string | undefined;
  /**
   * The Admin API base of a shop when a stand-in replaces Shopify (SHOPIFY_ADMIN_URL, used for every shop; tests may
   * map each shop to its own stand-in), e.g. `http://127.0.0.1:4020/admin`; undefined for the real `https://<shop>/admin`.
   */
  shopifyAdminUrl(shop: string): string | undefined;
  /** Cookies get the Secure attribute when the public URL is https. */
  secureCookies(): boolean;
  /**
   * Called after Mailchimp credentials were stored for a connection (OAuth connect, pasted key, reconnect): the sync
   * drops the old client and drains the queue kept while the connection could not sync.
   */
  onMailchimpConnected(connectionId: string): Promise<void>;
}
