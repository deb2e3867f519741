import type {BackfillOptions} from './backfill-source.js';

/**
 * When a start request finds the initial sync already done (pure). A completed backfill already put the shop's
 * history into Mailchimp and live sync has kept it current since, so reading the whole shop again would send
 * nothing: the start answers with that run instead. A resync is the explicit way to read and compare again.
 */

/** Whether a completed run's orders window covers the one asked for now (an earlier `ordersSince` does not). */
export function windowCovers(done: BackfillOptions, wanted: BackfillOptions): boolean {
  if (done.ordersSince === undefined) return true;
  if (wanted.ordersSince === undefined) return false;
  return Date.parse(wanted.ordersSince) >= Date.parse(done.ordersSince);
}

/** The sentence every client shows for it (operator API, CLI, the shop's page). */
export function alreadyCompletedDetail(shopDomain: string, finishedAt: string | undefined): string {
  const when = finishedAt ? ` on ${finishedAt}` : '';
  return (
    `The initial sync of ${shopDomain} already completed${when}; live sync keeps Mailchimp current since, so ` +
    'nothing was read or sent. To read the shop again and send what differs in Mailchimp, start a resync.'
  );
}
