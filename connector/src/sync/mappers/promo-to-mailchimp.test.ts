import fc from 'fast-check';
import {freeShipping, summerSale, tenOff} from './fixtures/orders.js';
import {promoCodeToMailchimp, promoRuleToMailchimp, promoToMailchimp, truncateUtf8} from './promo-to-mailchimp.js';

describe('promoToMailchimp', () => {
  it('maps a percentage rule and its codes', () => {
    expect(promoToMailchimp(summerSale)).toEqual({
      rule: {
        id: '1190000000001',
        title: 'Summer sale',
        description: '15% off everything',
        starts_at: '2024-06-01T00:00:00Z',
        ends_at: '2024-06-30T23:59:59Z',
        amount: 0.15,
        type: 'percentage',
        target: 'total',
        enabled: true,
        updated_at_foreign: '2024-05-20T00:00:00Z',
      },
      codes: [
        {
          id: '1500000000001',
          code: 'SUMMER15',
          redemption_url: 'https://shop.example/discount/SUMMER15',
          usage_count: 42,
          enabled: true,
        },
      ],
      skipped: [],
    });
  });

  it('maps fixed and free-shipping rules', () => {
    expect(promoRuleToMailchimp(tenOff)).toMatchObject({amount: 10, type: 'fixed', target: 'per_item'});
    expect(promoRuleToMailchimp(freeShipping)).toMatchObject({
      amount: 0,
      type: 'fixed',
      target: 'shipping',
      enabled: false,
    });
  });

  it('drops an end that is not after the start, and clamps a bad percentage', () => {
    const rule = promoRuleToMailchimp({
      ...summerSale,
      endsAt: '2024-05-01T00:00:00Z',
      amount: {type: 'percentage', fraction: 1.5},
    });
    expect(rule).not.toHaveProperty('ends_at');
    expect(rule.amount).toBe(1);
  });

  it('falls back for an empty description and respects the length limits', () => {
    const rule = promoRuleToMailchimp({...summerSale, description: ' ', title: 'é'.repeat(80)});
    expect(Buffer.byteLength(rule.title!, 'utf8')).toBeLessThanOrEqual(100);
    expect(rule.title).toBe('é'.repeat(50));
    expect(rule.description).toBe('é'.repeat(50));
    expect(promoRuleToMailchimp({...summerSale, description: 'x'.repeat(300)}).description).toHaveLength(255);
  });

  it('skips codes Mailchimp would reject', () => {
    const code = summerSale.codes[0]!;
    expect(promoCodeToMailchimp({...code, code: 'X'.repeat(51)})).toBe('code-too-long');
    expect(promoCodeToMailchimp({...code, code: ' '})).toBe('empty-code');
    expect(promoCodeToMailchimp({...code, redemptionUrl: `https://x.example/${'a'.repeat(2000)}`})).toBe(
      'url-too-long',
    );
    expect(promoToMailchimp({...summerSale, codes: [{...code, code: 'X'.repeat(51)}]}).skipped).toEqual([
      {id: code.id, reason: 'code-too-long'},
    ]);
  });

  it('property: truncateUtf8 never exceeds the byte limit and is a prefix', () => {
    fc.assert(
      fc.property(fc.string({unit: 'grapheme', maxLength: 60}), fc.integer({min: 0, max: 120}), (s, max) => {
        const t = truncateUtf8(s, max);
        expect(Buffer.byteLength(t, 'utf8')).toBeLessThanOrEqual(max);
        expect(s.startsWith(t)).toBe(true);
      }),
    );
  });
});
