import type {Cart, LineItem} from '../model/entities.js';
import {asId, type CartId, type CustomerId} from '../model/ids.js';
import {zero} from '../model/money.js';
import {dropUndefined} from '../shopify/address-mapper.js';
import type {AbandonedCheckoutNode} from './documents/checkout-documents.js';
import {
  gidTail,
  legacyId,
  mapNode,
  moneyV2,
  nodesOf,
  NodeMapError,
  optMoneyV2,
  requiredTimestamp,
  text,
  timestamp,
  type NodeMapResult,
  lineIdentity,
} from './node-fields.js';

const RECOVERY_TOKEN = /\/checkouts\/(?:ac\/)?([A-Za-z0-9_-]+)\/recover\b/;

/**
 * The cart id of an abandoned checkout: the checkout token, which `checkouts/*` webhooks key carts by. GraphQL has
 * no token field, but the recovery URL carries it (`…/checkouts/<token>/recover?key=…`); only when the URL has
 * another shape does the checkout's numeric id stand in (such a cart would not match a webhook's).
 */
export function checkoutCartId(node: Pick<AbandonedCheckoutNode, 'id' | 'abandonedCheckoutUrl'>): string {
  const token =
    typeof node.abandonedCheckoutUrl === 'string' ? RECOVERY_TOKEN.exec(node.abandonedCheckoutUrl)?.[1] : undefined;
  return token ?? gidTail(node.id, 'abandonedCheckout.id');
}

/**
 * An `abandonedCheckouts` node → canonical Cart. Amounts are the presentment ones, as the checkout webhooks send.
 * GraphQL exposes the buyer's email only through `customer`: a guest checkout maps without an email.
 */
export function mapAbandonedCheckoutNode(node: AbandonedCheckoutNode): NodeMapResult<Cart> {
  return mapNode(() => {
    const currency = text(node?.totalPriceSet?.presentmentMoney?.currencyCode)?.toUpperCase();
    if (currency === undefined) throw new NodeMapError('abandonedCheckout.totalPriceSet', 'required money is missing');
    const lines: LineItem[] = nodesOf(node.lineItems).map((line, index) => {
      const field = `abandonedCheckout.lineItems[${index}]`;
      return dropUndefined<LineItem>({
        ...lineIdentity(line, field),
        price: moneyV2(line.originalUnitPriceSet?.presentmentMoney, currency, `${field}.originalUnitPriceSet`),
        discount: zero(currency),
      });
    });
    const customer = node.customer;
    const attributes = new Map<string, string>();
    for (const attribute of Array.isArray(node.customAttributes) ? node.customAttributes : []) {
      const key = text(attribute?.key);
      if (key !== undefined) attributes.set(key, typeof attribute.value === 'string' ? attribute.value : '');
    }
    return dropUndefined<Cart>({
      id: asId<CartId>(checkoutCartId(node)),
      customer: dropUndefined({
        id: customer ? asId<CustomerId>(legacyId(customer, 'abandonedCheckout.customer')) : undefined,
        email: text(customer?.email)?.trim(),
        firstName: text(customer?.firstName),
        lastName: text(customer?.lastName),
      }),
      currency,
      total: moneyV2(node.totalPriceSet.presentmentMoney, currency, 'abandonedCheckout.totalPriceSet'),
      taxTotal:
        optMoneyV2(node.totalTaxSet?.presentmentMoney, currency, 'abandonedCheckout.totalTaxSet') ?? zero(currency),
      lines,
      checkoutUrl: text(node.abandonedCheckoutUrl),
      completedAt: timestamp(node.completedAt, 'abandonedCheckout.completedAt'),
      attributes: Object.fromEntries(attributes),
      updatedAt: requiredTimestamp(node.updatedAt, 'abandonedCheckout.updatedAt'),
    });
  });
}
