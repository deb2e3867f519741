import {cartToMailchimp} from './cart-to-mailchimp.js';
import {guestCustomerId} from './ecommerce-ids.js';
import {anonymousCart, cart, customLine} from './fixtures/orders.js';
import {customItemProductId} from './placeholder-product.js';

describe('cartToMailchimp', () => {
  it('maps a cart with its checkout url and placeholder lines', () => {
    const placeholderId = customItemProductId(customLine);
    expect(cartToMailchimp(cart, {campaignId: '839488A60B'})).toEqual({
      ok: true,
      body: {
        id: '2d3c9b1f0a7e4c1b8e2f5a6d7c8b9a01',
        customer: {id: '6930117312534', email_address: 'Alice.Martin@example-mail.org', opt_in_status: false},
        campaign_id: '839488a60b',
        checkout_url: 'https://shop.example/12345/checkouts/2d3c9b1f/recover?key=abc',
        currency_code: 'USD',
        order_total: 80.01,
        tax_total: 6.02,
        lines: [
          {
            id: '14000000000001',
            product_id: '7982301478934',
            product_variant_id: '43000000000001',
            quantity: 3,
            price: 25,
          },
          {
            id: '14000000000002',
            product_id: placeholderId,
            product_variant_id: placeholderId,
            quantity: 1,
            price: 4.99,
          },
        ],
      },
      placeholders: [expect.objectContaining({id: placeholderId})],
    });
  });

  it('cannot send a cart without an e-mail', () => {
    expect(cartToMailchimp(anonymousCart)).toEqual({ok: false, reason: 'no-email'});
    expect(cartToMailchimp({...cart, customer: {id: cart.customer.id, email: ' '}})).toEqual({
      ok: false,
      reason: 'no-email',
    });
  });

  it('skips completed and empty carts', () => {
    expect(cartToMailchimp({...cart, completedAt: '2024-05-02T11:00:00Z'})).toEqual({ok: false, reason: 'completed'});
    expect(cartToMailchimp({...cart, lines: []})).toEqual({ok: false, reason: 'no-lines'});
    expect(cartToMailchimp({...cart, taxTotal: {minor: 1, currency: 'EUR'}})).toEqual({
      ok: false,
      reason: 'currency-mismatch',
    });
  });

  it('uses a guest id for a checkout without a customer account', () => {
    const mapped = cartToMailchimp({
      ...cart,
      customer: {email: 'guest@example-mail.net'},
      taxTotal: undefined,
      checkoutUrl: undefined,
    });
    if (!mapped.ok) throw new Error(mapped.reason);
    expect(mapped.body.customer).toEqual({
      id: guestCustomerId('guest@example-mail.net'),
      email_address: 'guest@example-mail.net',
      opt_in_status: false,
    });
    expect(mapped.body).not.toHaveProperty('tax_total');
    expect(mapped.body).not.toHaveProperty('checkout_url');
  });
});
