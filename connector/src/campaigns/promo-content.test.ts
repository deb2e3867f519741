import {discountText, renderPromoContent, type PromoContentInput} from './promo-content.js';

const input: PromoContentInput = {
  template: 'classic',
  subject: 'Tees <15 % off>',
  previewText: 'For our "tee" lovers',
  storeName: 'Fixture & Co',
  code: 'TEE15',
  discount: {type: 'percentage', amount: 15, currency: 'USD'},
  redemptionUrl: 'https://shop.example/discount/TEE15?redirect=/collections/tees&x=1',
  products: [
    {
      title: 'Organic <Tee>',
      url: 'https://shop.example/products/tee',
      imageUrl: 'https://cdn.example/tee.jpg',
      price: {minor: 2500, currency: 'USD'},
    },
  ],
  endsAt: '2026-03-31T23:59:59Z',
};

describe('promo e-mail content', () => {
  it('writes the discount as people read it', () => {
    expect(discountText({type: 'percentage', amount: 15, currency: 'USD'})).toBe('15 %');
    expect(discountText({type: 'fixed', amount: 10, currency: 'EUR'})).toBe('€10.00');
    expect(discountText({type: 'fixed', amount: 500, currency: 'JPY'})).toBe('¥500');
  });

  it('renders the code, its redemption link, the products and the unsubscribe link, escaped', () => {
    const {html, plain_text} = renderPromoContent(input);
    expect(html).toContain('Tees &lt;15 % off&gt;');
    expect(html).toContain('href="https://shop.example/discount/TEE15?redirect=/collections/tees&amp;x=1"');
    expect(html).toContain('>TEE15<');
    expect(html).toContain('Organic &lt;Tee&gt;');
    expect(html).toContain('$25.00');
    expect(html).toContain('until 2026-03-31');
    expect(html).toContain('For our &quot;tee&quot; lovers');
    expect(html).toContain('*|UNSUB|*');
    expect(html).not.toMatch(/<script/i);
    expect(plain_text).toContain('15 % off until 2026-03-31 at Fixture & Co with the code TEE15.');
    expect(plain_text).toContain('Shop now: https://shop.example/discount/TEE15?redirect=/collections/tees&x=1');
    expect(plain_text).toContain('*|UNSUB|*');
  });

  it('fills a custom template and adds the unsubscribe footer when it has none', () => {
    const custom = renderPromoContent({
      ...input,
      template: {html: '<p>{{discount}} with <b>{{code}}</b>: <a href="{{redemption_url}}">go</a></p>{{products}}'},
    });
    expect(
      custom.html.startsWith(
        '<p>15 % with <b>TEE15</b>: <a href="https://shop.example/discount/TEE15?redirect=/collections/tees&amp;x=1">go</a></p><table',
      ),
    ).toBe(true);
    expect(custom.html).toContain('*|UNSUB|*');
    const withFooter = renderPromoContent({...input, template: {html: '<p>{{code}}</p><a href="*|UNSUB|*">bye</a>'}});
    expect(withFooter.html).toBe('<p>TEE15</p><a href="*|UNSUB|*">bye</a>');
  });

  it('keeps the minimal template short', () => {
    const {html} = renderPromoContent({...input, template: 'minimal', products: []});
    expect(html).toContain('with the code <strong>TEE15</strong>');
    expect(html).not.toContain('<table');
  });
});
