import fc from 'fast-check';
import {lineArb} from './fixtures/arbitraries.js';
import {customLine, teeLine} from './fixtures/orders.js';
import {
  type CatalogView,
  customItemProductId,
  deletedProductId,
  lineProductRef,
  mergePlaceholders,
} from './placeholder-product.js';

const nothingKnown: CatalogView = {hasVariant: () => false};

describe('lineProductRef', () => {
  it('keeps the ids of a line whose product exists', () => {
    expect(lineProductRef(teeLine)).toEqual({productId: '7982301478934', variantId: '43000000000001'});
    expect(lineProductRef(teeLine, {hasVariant: (p, v) => p === '7982301478934' && v === '43000000000001'})).toEqual({
      productId: '7982301478934',
      variantId: '43000000000001',
    });
  });

  it('gives a custom item a hashed placeholder', () => {
    const ref = lineProductRef(customLine);
    expect(ref.productId).toMatch(/^placeholder-[0-9a-f]{32}$/);
    expect(ref.variantId).toBe(ref.productId);
    expect(ref.placeholder).toEqual({
      id: ref.productId,
      title: 'Gift wrapping',
      variants: [{id: ref.productId, title: 'Gift wrapping', sku: 'WRAP', price: 4.99, visibility: 'hidden'}],
    });
  });

  it('gives a deleted product a deleted_ placeholder', () => {
    expect(lineProductRef(teeLine, nothingKnown)).toEqual({
      productId: 'deleted_7982301478934',
      variantId: 'deleted_43000000000001',
      placeholder: {
        id: 'deleted_7982301478934',
        title: 'Organic Cotton Tee',
        variants: [
          {id: 'deleted_43000000000001', title: 'S / Black', sku: 'TEE-S-BLK', price: 25, visibility: 'hidden'},
        ],
      },
    });
    const noVariant = lineProductRef({...teeLine, variantId: null});
    expect(noVariant.variantId).toBe('deleted_7982301478934');
  });

  it('merges placeholders by product', () => {
    const a = lineProductRef(teeLine, nothingKnown);
    const b = lineProductRef(
      {...teeLine, id: 'x', variantId: '43000000000002' as typeof teeLine.variantId, variantTitle: 'M / Black'},
      nothingKnown,
    );
    const c = lineProductRef(customLine);
    const merged = mergePlaceholders([a, b, a, c, lineProductRef(teeLine)]);
    expect(merged.map((p) => p.id)).toEqual(['deleted_7982301478934', c.productId]);
    expect(merged[0]!.variants.map((v) => v.id)).toEqual(['deleted_43000000000001', 'deleted_43000000000002']);
    // The inputs are not mutated.
    expect(a.placeholder!.variants).toHaveLength(1);
  });
});

describe('placeholder properties', () => {
  it('ids are stable, ≤ 50 characters, and differ for different custom items', () => {
    fc.assert(
      fc.property(lineArb('USD'), fc.string({maxLength: 80}), fc.string({maxLength: 80}), (line, longId, title2) => {
        const ref = lineProductRef(line, nothingKnown);
        expect(lineProductRef(structuredClone(line), nothingKnown)).toEqual(ref);
        for (const id of [ref.productId, ref.variantId, deletedProductId(longId)])
          expect(id.length).toBeLessThanOrEqual(50);
        if (ref.placeholder) {
          expect(ref.placeholder.variants.map((v) => v.id)).toContain(ref.variantId);
          expect(ref.placeholder.id).toBe(ref.productId);
        }
        if (title2 !== line.title)
          expect(customItemProductId({title: title2, sku: line.sku})).not.toBe(customItemProductId(line));
      }),
      {numRuns: 500},
    );
  });
});
