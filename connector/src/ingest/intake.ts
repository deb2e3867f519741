import type {Response} from 'express';
import type {InboxRepository, NewInboxEvent} from '../store/inbox-repository.js';

/** One event's place in the inbox; `duplicate`: the inbox held it already (a retried delivery), nothing was stored. */
export interface Stored {
  id: number;
  duplicate: boolean;
}

/** What a batch intake stored: each event's result, and the counts. */
export interface Intake {
  stored: Stored[];
  /** Events stored for the first time. */
  accepted: number;
  /** Events the inbox held already (a retried delivery, a repeated id): nothing new was stored for them. */
  duplicates: number;
}

/**
 * The one way in for every source (Shopify and Mailchimp webhooks, generic events, storefront consent): appends an
 * event to the inbox, deduplicated by its source's key (connection, source, dedupe key). The connector's inbox
 * commits concurrent requests' events together (group commit, InboxRepository): this resolves once the commit that
 * holds the event is done, so the 2xx still follows a durable write. A source that stores more with its event (the
 * storefront's consent evidence) passes a repository over its own transaction. The source then answers and wakes
 * the processor with answerAndWake.
 */
export async function appendToInbox(inbox: Pick<InboxRepository, 'append'>, event: NewInboxEvent): Promise<Stored> {
  return inbox.append(event);
}

/**
 * appendToInbox for several events (the generic events API): in order, with the results appending them one after
 * the other would have (a repeated id in the list is a duplicate of its first), committed together.
 */
export async function appendAllToInbox(
  inbox: Pick<InboxRepository, 'appendAll'>,
  events: readonly NewInboxEvent[],
): Promise<Intake> {
  const stored = await inbox.appendAll(events);
  const duplicates = stored.filter((s) => s.duplicate).length;
  return {stored, accepted: stored.length - duplicates, duplicates};
}

/**
 * Answers the source once its events are stored, then wakes the inbox processor if anything new was stored: the
 * answer never waits for processing, and a duplicate wakes nothing. `stored` is one event's result or a batch's intake.
 */
export function answerAndWake(
  res: Response,
  status: number,
  body: unknown,
  stored: Pick<Intake, 'accepted'> | Pick<Stored, 'duplicate'>,
  wake: () => void,
): void {
  res.status(status).json(body);
  if ('accepted' in stored ? stored.accepted > 0 : !stored.duplicate) wake();
}
