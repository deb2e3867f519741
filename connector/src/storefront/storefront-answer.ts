import type {Connection} from '../store/connections-repository.js';
import type {StorefrontKind} from './storefront-request.js';

/**
 * What the widget is told after a request was stored: one answer per shop and endpoint, never per person (issue #12
 * item 4). An answer that differed for a subscribed, pending, unsubscribed or unknown address would let anyone with
 * the shop's page read the audience one address at a time, so the connector does not even ask Mailchimp. It is still
 * true for everybody, because the widget's message covers each case (storefront-widget/src/messages.ts):
 * - `pending_confirmation` (the default: the form asks for double opt-in, or the audience does): a confirmation
 *   e-mail goes to an address that is not subscribed yet; someone already subscribed has nothing more to do;
 * - `subscribed` (the merchant chose single opt-in for the storefront and the audience does not ask for
 *   confirmation): subscribed now, except someone who had unsubscribed, who is asked to confirm by e-mail (never
 *   resubscribed silently);
 * - `awaiting_order` (the checkout checkbox's beacon, whose answer nobody reads): it counts once a signed order or
 *   checkout for the same address arrives (checkout-consent.ts).
 */
export type StorefrontAnswer = 'pending_confirmation' | 'subscribed' | 'awaiting_order';

/** The subscribe form's opt-in for a shop: double unless the merchant set single opt-in explicitly. */
export function formOptIn(connection: Pick<Connection, 'settings'>): 'double' | 'single' {
  return connection.settings.storefrontDoubleOptIn === false ? 'single' : 'double';
}

export function storefrontAnswer(
  kind: StorefrontKind,
  connection: Pick<Connection, 'settings' | 'doubleOptIn'>,
): StorefrontAnswer {
  if (kind === 'checkout_opt_in') return 'awaiting_order';
  return formOptIn(connection) === 'double' || connection.doubleOptIn ? 'pending_confirmation' : 'subscribed';
}
