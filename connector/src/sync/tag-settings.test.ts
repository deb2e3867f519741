import {tagRulesFor} from './tag-settings.js';

const config = {VIP_SPEND: 500, LAPSED_AFTER_DAYS: 180, STORE_CURRENCY: undefined, TAG_PREFIX: ''};

describe('tag rules: the VIP threshold is in the store currency', () => {
  it("is STORE_CURRENCY, else the shop's detected currency, else USD", () => {
    expect(tagRulesFor({}, config).vipSpendThreshold).toEqual({minor: 50_000, currency: 'USD'});
    // A JPY shop: 500 means ¥500 (no minor digits), not 50,000.
    expect(tagRulesFor({shopCurrency: 'JPY'}, config).vipSpendThreshold).toEqual({minor: 500, currency: 'JPY'});
    expect(tagRulesFor({currency: 'USD', shopCurrency: 'EUR'}, config).vipSpendThreshold).toEqual({
      minor: 50_000,
      currency: 'USD',
    });
    expect(tagRulesFor({currency: 'EUR', vipSpendMinor: 12_345}, config).vipSpendThreshold).toEqual({
      minor: 12_345,
      currency: 'EUR',
    });
  });
});

describe('tag rules: the prefix', () => {
  it("is the connection's own tag prefix (the shop's page), else TAG_PREFIX; '' chooses none", () => {
    expect(tagRulesFor({}, {...config, TAG_PREFIX: 'msb:'}).prefix).toBe('msb:');
    expect(tagRulesFor({tagPrefix: 'shop-a:'}, {...config, TAG_PREFIX: 'msb:'}).prefix).toBe('shop-a:');
    expect(tagRulesFor({tagPrefix: ''}, {...config, TAG_PREFIX: 'msb:'}).prefix).toBeUndefined();
    expect(tagRulesFor({}, config).prefix).toBeUndefined();
  });
});
