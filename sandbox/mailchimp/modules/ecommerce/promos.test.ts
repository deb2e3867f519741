import {startShop, type ShopFixture} from './test-fixtures.js';

const rule = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  description: `Rule ${id}`,
  amount: 5,
  type: 'fixed',
  target: 'total',
  ...extra,
});
const code = (id: string, value: string, extra: Record<string, unknown> = {}) => ({
  id,
  code: value,
  redemption_url: `https://shop.test/discount/${value}`,
  ...extra,
});

describe('e-commerce promo rules and codes', () => {
  let shop: ShopFixture;
  beforeEach(async () => {
    shop = await startShop();
  });
  afterEach(() => shop.close());

  describe('promo rules', () => {
    it('creates a rule with defaults, gets, lists, patches and deletes it', async () => {
      const res = await shop.store(
        'post',
        '/promo-rules',
        rule('r1', {title: 'Spring', starts_at: '2024-03-01T00:00:00+00:00'}),
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: 'r1',
        title: 'Spring',
        description: 'Rule r1',
        amount: 5,
        type: 'fixed',
        target: 'total',
        enabled: true,
        starts_at: '2024-03-01T00:00:00+00:00',
        created_at_foreign: expect.any(String),
        updated_at_foreign: expect.any(String),
      });
      expect(res.body).not.toHaveProperty('codes');

      expect((await shop.store('get', '/promo-rules/r1')).body.title).toBe('Spring');
      const all = await shop.store('get', '/promo-rules');
      expect(all.body).toMatchObject({store_id: shop.storeId, total_items: 1});
      const patched = await shop.store('patch', '/promo-rules/r1', {enabled: false, target: 'shipping'});
      expect(patched.body).toMatchObject({enabled: false, target: 'shipping', amount: 5});
      expect((await shop.store('delete', '/promo-rules/r1')).status).toBe(204);
      expect((await shop.store('get', '/promo-rules/r1')).status).toBe(404);
    });

    it('refuses a second POST of the same rule', async () => {
      await shop.store('post', '/promo-rules', rule('r1'));
      const res = await shop.store('post', '/promo-rules', rule('r1'));
      expect(res.status).toBe(400);
      expect(res.body.detail).toBe(
        'We were unable to process the request. A promo rule with the provided ID already exists in the account.',
      );
    });

    it('keeps percentage amounts between 0.0 and 1.0, on create and on update', async () => {
      const tooBig = await shop.store('post', '/promo-rules', rule('r1', {type: 'percentage', amount: 15}));
      expect(tooBig.status).toBe(400);
      expect(tooBig.body.errors).toEqual([{field: 'amount', message: expect.stringContaining('between 0.0 and 1.0')}]);
      expect((await shop.store('post', '/promo-rules', rule('r1', {type: 'percentage', amount: 0.15}))).status).toBe(
        200,
      );
      expect((await shop.store('patch', '/promo-rules/r1', {amount: 1.5})).status).toBe(400);
      expect((await shop.store('post', '/promo-rules', rule('r2', {amount: 15}))).status).toBe(200);
      // A fixed 15 turned into a percentage would be 1500 %.
      expect((await shop.store('patch', '/promo-rules/r2', {type: 'percentage'})).status).toBe(400);
      expect((await shop.store('get', '/promo-rules/r2')).body.type).toBe('fixed');
    });

    it('refuses an end before the start and values outside the enums', async () => {
      const ends = await shop.store(
        'post',
        '/promo-rules',
        rule('r1', {starts_at: '2024-03-02T00:00:00+00:00', ends_at: '2024-03-01T00:00:00+00:00'}),
      );
      expect(ends.status).toBe(400);
      expect(ends.body.errors[0].field).toBe('ends_at');
      const type = await shop.store('post', '/promo-rules', rule('r1', {type: 'free'}));
      expect(type.status).toBe(400);
      expect(JSON.stringify(type.body.errors)).toContain('type');
      const target = await shop.store('post', '/promo-rules', rule('r1', {target: 'everything'}));
      expect(target.status).toBe(400);
      expect(JSON.stringify(target.body.errors)).toContain('target');
    });
  });

  describe('promo codes', () => {
    beforeEach(async () => {
      await shop.store('post', '/promo-rules', rule('r1'));
      await shop.store('post', '/promo-rules', rule('r2'));
    });

    it('creates a code with defaults, gets, lists, patches and deletes it', async () => {
      const res = await shop.store('post', '/promo-rules/r1/promo-codes', code('k1', 'SPRING10'));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: 'k1',
        code: 'SPRING10',
        redemption_url: 'https://shop.test/discount/SPRING10',
        usage_count: 0,
        enabled: true,
      });
      expect((await shop.store('get', '/promo-rules/r1/promo-codes/k1')).body.code).toBe('SPRING10');
      const all = await shop.store('get', '/promo-rules/r1/promo-codes');
      expect(all.body).toMatchObject({store_id: shop.storeId, total_items: 1});
      const patched = await shop.store('patch', '/promo-rules/r1/promo-codes/k1', {usage_count: 3, enabled: false});
      expect(patched.body).toMatchObject({usage_count: 3, enabled: false, code: 'SPRING10'});
      expect((await shop.store('delete', '/promo-rules/r1/promo-codes/k1')).status).toBe(204);
      expect((await shop.store('get', '/promo-rules/r1/promo-codes/k1')).status).toBe(404);
      expect((await shop.store('get', '/promo-rules/nope/promo-codes')).status).toBe(404);
    });

    it('refuses a second POST of a code id, and a code already used in the store', async () => {
      await shop.store('post', '/promo-rules/r1/promo-codes', code('k1', 'SPRING10'));
      const sameId = await shop.store('post', '/promo-rules/r1/promo-codes', code('k1', 'OTHER'));
      expect(sameId.status).toBe(400);
      expect(sameId.body.detail).toBe(
        'We were unable to process the request. A promo code with the provided ID already exists in the account.',
      );
      const sameCode = await shop.store('post', '/promo-rules/r2/promo-codes', code('k2', 'spring10'));
      expect(sameCode.status).toBe(400);
      expect(sameCode.body.detail).toBe(
        'We were unable to process the request. A promo code with the code spring10 already exists in the store.',
      );
      await shop.store('post', '/promo-rules/r2/promo-codes', code('k2', 'SUMMER'));
      expect((await shop.store('patch', '/promo-rules/r2/promo-codes/k2', {code: 'SPRING10'})).status).toBe(400);
      expect((await shop.store('patch', '/promo-rules/r2/promo-codes/k2', {code: 'SUMMER'})).status).toBe(200);
    });

    it('go away with their rule', async () => {
      await shop.store('post', '/promo-rules/r1/promo-codes', code('k1', 'SPRING10'));
      await shop.store('delete', '/promo-rules/r1');
      expect((await shop.store('get', '/promo-rules/r1/promo-codes/k1')).status).toBe(404);
      // The code is free again.
      expect((await shop.store('post', '/promo-rules/r2/promo-codes', code('k1', 'SPRING10'))).status).toBe(200);
    });
  });
});
