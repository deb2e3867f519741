import {createSandbox, DEFAULT_SANDBOX_API_KEY, type Sandbox, type SandboxOptions} from './core/server.js';
import {rootModule} from './modules/root.js';
import {listsModule} from './modules/lists.js';
import {ecommerceModule} from './modules/ecommerce.js';
import {batchesModule} from './modules/batches.js';
import {campaignsModule} from './modules/campaigns.js';
import {validateRequest} from './openapi/request-validator.js';

export {DEFAULT_SANDBOX_API_KEY};
export type {Sandbox};

export type MailchimpSandboxOptions = Omit<SandboxOptions, 'modules' | 'validate'>;

/**
 * A local stand-in for the Mailchimp Marketing API 3.0. Start it with `listen()`; talk to `baseUrl()` with the
 * `apiKey`; steer it under `/__sandbox/` (reset, faults, request export, stats, people's actions).
 */
export function createMailchimpSandbox(options: MailchimpSandboxOptions = {}): Sandbox {
  return createSandbox({
    ...options,
    modules: [rootModule, listsModule, ecommerceModule, batchesModule, campaignsModule],
    validate: validateRequest,
  });
}
