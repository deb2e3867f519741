import {MailchimpProblem} from './problem.js';

/**
 * The address checks Mailchimp applies to contacts. Mailchimp answers both without an `errors` array, only a detail
 * (recorded traffic; notes §9 item 4 for "looks fake").
 */

/** Shape only: something@domain.tld without spaces. Mailchimp's own parser is not documented; this is its gist. */
export function assertValidEmail(email: string): void {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new MailchimpProblem(400, 'Invalid Resource', 'Please provide a valid email address.');
  }
}

/**
 * Mailchimp's list of "fake" addresses is not published (it refuses `test@test.com`, `john.doe@example.com`, ...:
 * python-mailchimp #142, mailchimp-for-wordpress #645). The sandbox refuses exactly the RFC 2606 example domains,
 * the ones test data reaches for, so that tests using them fail here as they would against Mailchimp. Only the domains
 * themselves, compared without letter case: subdomains such as mail.example.com stay accepted, since guessing how far
 * Mailchimp's heuristics reach would make the sandbox refuse addresses Mailchimp takes.
 */
const FAKE_DOMAINS: ReadonlySet<string> = new Set(['example.com', 'example.net', 'example.org']);

export function looksFake(email: string): boolean {
  return FAKE_DOMAINS.has(email.slice(email.lastIndexOf('@') + 1).toLowerCase());
}

/** What a new contact's address must pass (members API, e-commerce customers, sign-ups): valid, then not fake. */
export function assertNewContactEmail(email: string): void {
  assertValidEmail(email);
  if (looksFake(email)) {
    throw new MailchimpProblem(
      400,
      'Invalid Resource',
      `${email} looks fake or invalid, please enter a real email address.`,
    );
  }
}
