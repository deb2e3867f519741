import type {IdAllocator} from './id-allocator.js';
import {ADJECTIVES, CODE_WORDS, COLORS, NOUNS, PRODUCT_TYPES, SIZES, VENDORS} from './name-lists.js';
import type {SeededRandom} from './random.js';
import type {DiscountRecord, ProductRecord, VariantRecord} from './records.js';

const DAY = 86_400_000;

export interface TimeSpan {
  start: number;
  end: number;
}

function between(random: SeededRandom, from: number, to: number): number {
  return Math.floor(from + random.next() * Math.max(0, to - from));
}

/** 1 to 4 variants, mostly 1 or 2, like a typical small catalogue. */
function variantCount(random: SeededRandom): number {
  const r = random.next();
  return r < 0.45 ? 1 : r < 0.75 ? 2 : r < 0.9 ? 3 : 4;
}

export function generateProducts(random: SeededRandom, ids: IdAllocator, count: number, span: TimeSpan, shopDomain: string): ProductRecord[] {
  const products: ProductRecord[] = [];
  for (let n = 0; n < count; n += 1) {
    const id = ids.allocate('Product');
    const title = `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`;
    const handle = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${n + 1}`;
    const createdAt = between(random, span.start - 180 * DAY, span.end - 30 * DAY);
    const updatedAt = between(random, createdAt, span.end);
    const roll = random.next();
    const status: ProductRecord['status'] = roll < 0.9 ? 'ACTIVE' : roll < 0.96 ? 'DRAFT' : 'ARCHIVED';
    const imageUrl = random.chance(0.85) ? `https://cdn.shopify.com/s/files/1/0700/0001/files/${handle}.jpg` : null;
    const basePrice = random.int(5, 250) * 100 - (random.chance(0.6) ? 1 : 0);
    const count = variantCount(random);
    const options = count === 1 ? ['Default Title'] : random.chance(0.5) ? SIZES : COLORS;
    const variants: VariantRecord[] = [];
    for (let v = 0; v < count; v += 1) {
      variants.push({
        id: ids.allocate('ProductVariant'),
        productId: id,
        title: options[v % options.length]!,
        sku: random.chance(0.92) ? `SKU-${n + 1}-${v + 1}` : null,
        priceMinor: basePrice + v * 200,
        inventoryQuantity: random.int(-2, 200),
        imageUrl: imageUrl !== null && random.chance(0.3) ? imageUrl.replace('.jpg', `-${v + 1}.jpg`) : imageUrl,
        position: v + 1,
        createdAt,
        updatedAt,
      });
    }
    products.push({
      id,
      title,
      handle,
      descriptionHtml: `<p>The ${title.toLowerCase()} from ${shopDomain}.</p>`,
      vendor: random.pick(VENDORS),
      productType: random.pick(PRODUCT_TYPES),
      status,
      tags: random.chance(0.3) ? ['new'] : [],
      createdAt,
      updatedAt,
      publishedAt: status === 'ACTIVE' ? createdAt : null,
      imageUrl,
      variants,
    });
  }
  return products;
}

export function generateDiscounts(random: SeededRandom, ids: IdAllocator, count: number, span: TimeSpan): DiscountRecord[] {
  const discounts: DiscountRecord[] = [];
  for (let n = 0; n < count; n += 1) {
    const word = CODE_WORDS[n % CODE_WORDS.length]!;
    const percentage = random.chance(0.7);
    const value: DiscountRecord['value'] = percentage
      ? {type: 'percentage', percentage: random.int(1, 6) * 0.05}
      : {type: 'amount', amountMinor: random.int(1, 5) * 500, appliesOnEachItem: random.chance(0.2)};
    const code = `${word}${percentage && value.type === 'percentage' ? Math.round(value.percentage * 100) : n + 5}${n >= CODE_WORDS.length ? `-${n}` : ''}`;
    const startsAt = between(random, span.start, span.end - 10 * DAY);
    const roll = random.next();
    const endsAt = roll < 0.5 ? null : roll < 0.8 ? startsAt + random.int(7, 60) * DAY : span.end + random.int(10, 90) * DAY;
    const codes = [{id: ids.allocate('DiscountRedeemCode'), code, usageCount: random.int(0, 400)}];
    if (random.chance(0.15)) codes.push({id: ids.allocate('DiscountRedeemCode'), code: `${code}B`, usageCount: random.int(0, 50)});
    discounts.push({
      id: ids.allocate('DiscountCodeNode'),
      title: percentage && value.type === 'percentage' ? `${word} ${Math.round(value.percentage * 100)}% off` : `${word} money off`,
      startsAt,
      endsAt,
      createdAt: startsAt - DAY,
      updatedAt: startsAt - DAY,
      usageLimit: random.chance(0.3) ? random.int(1, 10) * 100 : null,
      appliesOncePerCustomer: random.chance(0.4),
      value,
      codes,
      createdViaApi: false,
    });
  }
  return discounts;
}
