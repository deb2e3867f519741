/**
 * Numeric ids per resource type, in ranges that look like today's Shopify ids (13–14 digits, all below 2^53 so that
 * the stand-in can keep them as numbers; the gids and `legacyResourceId` strings carry them to clients).
 */
const BASES = {
  Product: 8_100_000_000_000,
  ProductVariant: 45_200_000_000_000,
  Customer: 7_300_000_000_000,
  Order: 5_900_000_000_000,
  LineItem: 14_800_000_000_000,
  Refund: 910_000_000_000,
  RefundLineItem: 520_000_000_000,
  DiscountCodeNode: 1_480_000_000_000,
  DiscountRedeemCode: 16_900_000_000_000,
  AbandonedCheckout: 31_500_000_000_000,
  AbandonedCheckoutLineItem: 61_700_000_000_000,
  BulkOperation: 3_470_000_000_000,
} as const;

export type IdType = keyof typeof BASES;

export class IdAllocator {
  private readonly next = new Map<IdType, number>();

  allocate(type: IdType): number {
    const id = this.next.get(type) ?? BASES[type] + 1;
    this.next.set(type, id + 1);
    return id;
  }

  /** Keeps later allocations above an id that came from elsewhere (a restored store). */
  observe(type: IdType, id: number): void {
    if (id >= (this.next.get(type) ?? BASES[type] + 1)) this.next.set(type, id + 1);
  }
}
