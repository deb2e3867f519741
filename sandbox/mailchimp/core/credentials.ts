/**
 * The credentials of the sandbox's one account. Mailchimp API keys end in their data center (`…-us6`, Fundamentals
 * page); OAuth access tokens carry none, the OAuth metadata endpoint tells it. The sandbox issues no tokens through an
 * OAuth flow: its key without the `-dc` suffix stands for the access token of its account, so a connector set up for
 * OAuth (MAILCHIMP_ACCESS_TOKEN) can run against it.
 */

const DC_SUFFIX = /-([a-z]+[0-9]+)$/;

/** The data center a key names; `us1` for a key without the suffix (the sandbox accepts any key it is given). */
export function dataCenterOf(apiKey: string): string {
  return DC_SUFFIX.exec(apiKey)?.[1] ?? 'us1';
}

/** The access token the sandbox accepts besides its key: the key without its `-dc` suffix. */
export function accessTokenOf(apiKey: string): string {
  return apiKey.replace(DC_SUFFIX, '');
}

/** Whether a token sent as `Bearer`/`OAuth` is this account's: its key, or the access token derived from it. */
export function isAccountToken(apiKey: string, presented: string): boolean {
  return presented === apiKey || presented === accessTokenOf(apiKey);
}
