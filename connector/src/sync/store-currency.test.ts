import {shopMoneyCurrencyOf, storeCurrencyOf, storeCurrencyStatus, wantedStoreCurrency} from './store-currency.js';

describe('store currency', () => {
  it('the Mailchimp store wants STORE_CURRENCY, else the shop currency; shop amounts are in the shop currency', () => {
    expect(wantedStoreCurrency({})).toBeUndefined();
    expect(wantedStoreCurrency({shop: 'EUR'})).toBe('EUR');
    expect(wantedStoreCurrency({configured: 'USD', shop: 'EUR'})).toBe('USD');
    expect(storeCurrencyOf({currency: {}})).toBe('USD');
    expect(storeCurrencyOf({currency: {mailchimp: 'GBP'}})).toBe('GBP');
    expect(storeCurrencyOf({currency: {configured: 'USD', shop: 'EUR'}})).toBe('USD');
    expect(shopMoneyCurrencyOf({currency: {configured: 'USD', shop: 'EUR'}})).toBe('EUR');
    expect(shopMoneyCurrencyOf({currency: {configured: 'JPY'}})).toBe('JPY');
  });

  it('the status: a mismatch when the shop currency is known and STORE_CURRENCY or Mailchimp says another one', () => {
    expect(storeCurrencyStatus({shop: 'EUR', shopSource: 'order', mailchimp: 'EUR'})).toEqual({
      configured: null,
      shop: 'EUR',
      shopSource: 'order',
      mailchimp: 'EUR',
      mismatch: false,
      note: null,
    });
    const override = storeCurrencyStatus({configured: 'USD', shop: 'EUR', shopSource: 'admin_api', mailchimp: 'USD'});
    expect(override).toMatchObject({configured: 'USD', shop: 'EUR', mailchimp: 'USD', mismatch: true});
    expect(override.note).toMatch(/^STORE_CURRENCY=USD overrides the shop's currency EUR/);
    const kept = storeCurrencyStatus({
      shop: 'EUR',
      shopSource: 'order',
      mailchimp: 'USD',
      note: 'kept because of orders',
    });
    expect(kept).toMatchObject({mismatch: true, note: 'kept because of orders'});
    const unknown = storeCurrencyStatus({mailchimp: 'USD'});
    expect(unknown).toMatchObject({shop: null, mismatch: false});
    expect(unknown.note).toMatch(/not known yet/);
    expect(storeCurrencyStatus({configured: 'USD'})).toMatchObject({mismatch: false, note: null});
  });
});
