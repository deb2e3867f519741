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
 * `apiKey`; steer it under `/__sandbox/` (reset, faults, request export, stats, people's actions). It also serves
 * login.mailchimp.com's `GET /oauth2/metadata` for its OAuth access token (the key without `-dc`).
 */
export function createMailchimpSandbox(options: MailchimpSandboxOptions = {}): Sandbox {
  return createSandbox({
    ...options,
    modules: [rootModule, listsModule, ecommerceModule, batchesModule, campaignsModule, oauthModule],
    validate: validateRequest,
  });
}
