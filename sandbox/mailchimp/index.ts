import {createSandbox, DEFAULT_SANDBOX_API_KEY, type Sandbox, type SandboxOptions} from './core/server.js';
import {rootModule} from './modules/root.js';
import {listsModule} from './modules/lists.js';
import {ecommerceModule} from './modules/ecommerce.js';
import {batchesModule} from './modules/batches.js';
import {campaignsModule} from './modules/campaigns.js';
import {oauthModule} from './modules/oauth.js';
import {validateRequest} from './openapi/request-validator.js';

export {DEFAULT_SANDBOX_API_KEY};
export type {Sandbox};

export type MailchimpSandboxOptions = Omit<SandboxOptions, 'modules' | 'validate'>;

/**
 * A local stand-in for the Mailchimp Marketing API 3.0. Start it with `listen()`; talk to `baseUrl()` with the
 * `apiKey`; steer it under `/__sandbox/` (reset, faults, request export, stats, people's actions, OAuth revoke). It
 * also serves login.mailchimp.com's OAuth 2 endpoints (`/oauth2/authorize`, `/oauth2/token`, `/oauth2/metadata`) for
 * the clients in `oauthClients`; their tokens, and the key without `-dc`, work as `Bearer` on /3.0.
 */
export function createMailchimpSandbox(options: MailchimpSandboxOptions = {}): Sandbox {
  return createSandbox({
    ...options,
    modules: [rootModule, listsModule, ecommerceModule, batchesModule, campaignsModule, oauthModule],
    validate: validateRequest,
  });
}
