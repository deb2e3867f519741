import {createListRecord} from './core/lists.js';
import type {OAuthClient} from './core/oauth-grants.js';
import type {Sandbox} from './core/server.js';

/** The audience `npm run sandbox` creates at start, so a connector has a MAILCHIMP_LIST_ID to point at. */
export const STARTUP_AUDIENCE_NAME = 'Sandbox audience';

export function createStartupAudience(sandbox: Sandbox, options: {doubleOptIn?: boolean} = {}): string {
  return createListRecord(sandbox.state, {name: STARTUP_AUDIENCE_NAME, double_optin: options.doubleOptIn ?? false}).id;
}

/**
 * Environment variables for the connector against this sandbox, ready to paste into a shell or `.env`. The names are
 * those of connector/src/config/config.ts; the OAuth app's (`MAILCHIMP_OAUTH_*`) are not read by the connector yet
 * (issue #14), hence the comment above them.
 */
export function connectorEnvBlock(input: {
  origin: string;
  apiKey: string;
  listId: string;
  oauthClient?: OAuthClient;
}): string {
  const lines = [
    `MAILCHIMP_BASE_URL=${input.origin}/3.0`,
    `MAILCHIMP_API_KEY=${input.apiKey}`,
    `MAILCHIMP_LIST_ID=${input.listId}`,
  ];
  if (input.oauthClient) {
    lines.push(
      '# OAuth app (for the connect flow of issue #14; not read by the connector yet)',
      `MAILCHIMP_CLIENT_ID=${input.oauthClient.clientId}`,
      `MAILCHIMP_CLIENT_SECRET=${input.oauthClient.clientSecret}`,
      `MAILCHIMP_OAUTH_URL=${input.origin}/oauth2`,
    );
  }
  return lines.join('\n') + '\n';
}
