import {createHmac} from 'node:crypto';
import {startLocalHttpServer, type LocalHttpServer} from '../../connector/src/mailchimp/testing/local-http-server.js';
import {mapShopifyWebhook} from '../../connector/src/shopify/index.js';
import {startShopifySandbox, type ShopifySandbox} from './index.js';
import {adminRequest} from './testing/admin-request.js';

const CONSENT = `mutation Consent($input: CustomerEmailMarketingConsentUpdateInput!) {
  customerEmailMarketingConsentUpdate(input: $input) {
    customer { id emailMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt } }
    userErrors { field message code }
  }
}`;
const UPDATE = `mutation Update($input: CustomerInput!) { customerUpdate(input: $input) { customer { id email firstName lastName } userErrors { field message } } }`;
const CREATE = `mutation Create($input: CustomerInput!) { customerCreate(input: $input) { customer { id email emailMarketingConsent { marketingState } } userErrors { field message } } }`;
const DISCOUNT = `mutation Create($input: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $input) {
    codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title status usageLimit codes(first: 5) { nodes { code } } customerGets { value { ... on DiscountPercentage { percentage } ... on DiscountAmount { amount { amount currencyCode } appliesOnEachItem } } } } } }
    userErrors { field message code extraInfo }
  }
}`;

const SECRET = 'shpss_test_secret';

describe('Shopify stand-in: mutations', () => {
  let sandbox: ShopifySandbox;
  let receiver: LocalHttpServer;

  beforeAll(async () => {
    receiver = await startLocalHttpServer((_request, res) => {
      res.writeHead(200).end();
    });
    sandbox = await startShopifySandbox({
      seed: 11,
      products: 5,
      customers: 40,
      orders: 10,
      discountCodes: 3,
      webhookUrl: `${receiver.origin}/webhooks/shopify`,
      apiSecret: SECRET,
    });
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  const customerWithEmail = () =>
    sandbox.state.customers.all().find((c) => c.email !== null && c.consent?.state === 'NOT_SUBSCRIBED')!;
  const control = async (path: string) => (await fetch(`${sandbox.origin}/__sandbox${path}`)).json();

  it('customerEmailMarketingConsentUpdate stores the consent and sends a signed consent webhook the connector can map', async () => {
    const customer = customerWithEmail();
    const at = '2026-09-01T10:00:00Z';
    const reply = await adminRequest(sandbox, CONSENT, {
      input: {
        customerId: `gid://shopify/Customer/${customer.id}`,
        emailMarketingConsent: {
          marketingState: 'SUBSCRIBED',
          marketingOptInLevel: 'CONFIRMED_OPT_IN',
          consentUpdatedAt: at,
        },
      },
    });
    expect(reply.body.data.customerEmailMarketingConsentUpdate).toStrictEqual({
      customer: {
        id: `gid://shopify/Customer/${customer.id}`,
        emailMarketingConsent: {
          marketingState: 'SUBSCRIBED',
          marketingOptInLevel: 'CONFIRMED_OPT_IN',
          consentUpdatedAt: at,
        },
      },
      userErrors: [],
    });
    expect((await control(`/customers/${customer.id}`)).emailMarketingConsent).toStrictEqual({
      marketingState: 'SUBSCRIBED',
      marketingOptInLevel: 'CONFIRMED_OPT_IN',
      consentUpdatedAt: at,
    });

    await sandbox.webhooks!.idle();
    const delivery = receiver.requests.find(
      (r) => r.headers['x-shopify-topic'] === 'customers_email_marketing_consent/update',
    )!;
    expect(delivery.headers['x-shopify-hmac-sha256']).toBe(
      createHmac('sha256', SECRET).update(delivery.body, 'utf8').digest('base64'),
    );
    expect(delivery.headers['x-shopify-shop-domain']).toBe(sandbox.shopDomain);
    expect(delivery.headers['x-shopify-api-version']).toBe('2025-10');
    expect(delivery.headers['x-shopify-webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    const mapped = mapShopifyWebhook('customers_email_marketing_consent/update', delivery.body, {
      shopDomain: sandbox.shopDomain,
      triggeredAt: String(delivery.headers['x-shopify-triggered-at']),
    });
    expect(mapped).toStrictEqual({
      ok: true,
      events: [
        {
          kind: 'consent.update',
          customerId: String(customer.id),
          email: customer.email,
          consent: {
            state: 'subscribed',
            source: 'shopify',
            updatedAt: '2026-09-01T10:00:00.000Z',
            optInLevel: 'confirmed_opt_in',
          },
        },
      ],
    });
  });

  it.each([
    [
      'a state Shopify does not let apps set',
      (id: string) => ({customerId: id, emailMarketingConsent: {marketingState: 'REDACTED'}}),
      ['input', 'emailMarketingConsent', 'marketingState'],
      'INCLUSION',
    ],
    [
      'an unknown customer',
      () => ({customerId: 'gid://shopify/Customer/1', emailMarketingConsent: {marketingState: 'SUBSCRIBED'}}),
      ['input', 'customerId'],
      'INVALID',
    ],
    [
      'a consent date in the future',
      (id: string) => ({
        customerId: id,
        emailMarketingConsent: {marketingState: 'SUBSCRIBED', consentUpdatedAt: '2999-01-01T00:00:00Z'},
      }),
      ['input', 'emailMarketingConsent', 'consentUpdatedAt'],
      'INVALID',
    ],
  ])('consent update with %s is a userError and changes nothing', async (_case, input, field, code) => {
    const customer = customerWithEmail();
    const before = await control(`/customers/${customer.id}`);
    const reply = await adminRequest(sandbox, CONSENT, {input: input(`gid://shopify/Customer/${customer.id}`)});
    const payload = reply.body.data.customerEmailMarketingConsentUpdate;
    expect(payload.customer).toBeNull();
    expect(payload.userErrors).toHaveLength(1);
    expect(payload.userErrors[0]).toMatchObject({field, code});
    expect(await control(`/customers/${customer.id}`)).toStrictEqual(before);
  });

  it('consent cannot be set for a customer without an email address', async () => {
    const phoneOnly = sandbox.state.customers.all().find((c) => c.email === null)!;
    const reply = await adminRequest(sandbox, CONSENT, {
      input: {
        customerId: `gid://shopify/Customer/${phoneOnly.id}`,
        emailMarketingConsent: {marketingState: 'SUBSCRIBED'},
      },
    });
    expect(reply.body.data.customerEmailMarketingConsentUpdate.userErrors[0]).toMatchObject({code: 'INVALID'});
  });

  it('customerUpdate changes the customer, sends customers/update, and refuses a taken email or a consent change', async () => {
    const [a, b] = sandbox.state.customers.all().filter((c) => c.email !== null);
    const ok = await adminRequest(sandbox, UPDATE, {
      input: {id: `gid://shopify/Customer/${a!.id}`, email: 'renamed@example-mail.com', firstName: 'Renée'},
    });
    expect(ok.body.data.customerUpdate).toStrictEqual({
      customer: {
        id: `gid://shopify/Customer/${a!.id}`,
        email: 'renamed@example-mail.com',
        firstName: 'Renée',
        lastName: a!.lastName,
      },
      userErrors: [],
    });
    await sandbox.webhooks!.idle();
    const delivery = receiver.requests.filter((r) => r.headers['x-shopify-topic'] === 'customers/update').pop()!;
    const mapped = mapShopifyWebhook('customers/update', delivery.body, {shopDomain: sandbox.shopDomain});
    expect(mapped.ok && mapped.events[0]).toMatchObject({
      kind: 'customer.upsert',
      customer: {id: String(a!.id), email: 'renamed@example-mail.com', firstName: 'Renée'},
    });

    const taken = await adminRequest(sandbox, UPDATE, {
      input: {id: `gid://shopify/Customer/${b!.id}`, email: 'RENAMED@example-mail.com'},
    });
    expect(taken.body.data.customerUpdate).toStrictEqual({
      customer: null,
      userErrors: [{field: ['email'], message: 'Email has already been taken'}],
    });
    const consent = await adminRequest(sandbox, UPDATE, {
      input: {id: `gid://shopify/Customer/${b!.id}`, emailMarketingConsent: {marketingState: 'SUBSCRIBED'}},
    });
    expect(consent.body.data.customerUpdate.userErrors[0].field).toStrictEqual(['emailMarketingConsent']);
  });

  it('customerCreate creates a customer with consent and sends customers/create, then the consent topic', async () => {
    const before = receiver.requests.length;
    const reply = await adminRequest(sandbox, CREATE, {
      input: {
        email: 'new.buyer@example-mail.com',
        firstName: 'Nia',
        emailMarketingConsent: {marketingState: 'SUBSCRIBED'},
      },
    });
    const created = reply.body.data.customerCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.customer).toMatchObject({
      email: 'new.buyer@example-mail.com',
      emailMarketingConsent: {marketingState: 'SUBSCRIBED'},
    });
    await sandbox.webhooks!.idle();
    const topics = receiver.requests.slice(before).map((r) => r.headers['x-shopify-topic']);
    expect(topics).toEqual(['customers/create', 'customers_email_marketing_consent/update']);
    const id = created.customer.id.split('/').pop();
    const consent = mapShopifyWebhook('customers_email_marketing_consent/update', receiver.requests.at(-1)!.body, {
      shopDomain: sandbox.shopDomain,
    });
    expect(consent.ok && consent.events[0]).toMatchObject({kind: 'consent.update'});
    expect(JSON.parse(receiver.requests.at(-1)!.body).customer_id).toBe(Number(id));

    const taken = await adminRequest(sandbox, CREATE, {input: {email: 'NEW.buyer@example-mail.com'}});
    expect(taken.body.data.customerCreate.userErrors).toEqual([
      {field: ['email'], message: 'Email has already been taken'},
    ]);
    const notSettable = await adminRequest(sandbox, CREATE, {
      input: {email: 'other@example-mail.com', emailMarketingConsent: {marketingState: 'NOT_SUBSCRIBED'}},
    });
    expect(notSettable.body.data.customerCreate.customer).toBeNull();
  });

  it('discountCodeBasicCreate creates a code discount the API and the controls list; a duplicate code is TAKEN', async () => {
    const input = {
      title: 'Welcome back 15%',
      code: 'COMEBACK15',
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: '2027-01-01T00:00:00Z',
      customerSelection: {all: true},
      customerGets: {value: {percentage: 0.15}, items: {all: true}},
      usageLimit: 1,
      appliesOncePerCustomer: true,
    };
    const created = await adminRequest(sandbox, DISCOUNT, {input});
    const payload = created.body.data.discountCodeBasicCreate;
    expect(payload.userErrors).toStrictEqual([]);
    expect(payload.codeDiscountNode.id).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/);
    expect(payload.codeDiscountNode.codeDiscount).toStrictEqual({
      title: 'Welcome back 15%',
      status: 'ACTIVE',
      usageLimit: 1,
      codes: {nodes: [{code: 'COMEBACK15'}]},
      customerGets: {value: {percentage: 0.15}},
    });

    const listed = await control('/discounts?createdViaApi=true');
    expect(listed.discounts).toHaveLength(1);
    expect(listed.discounts[0]).toMatchObject({
      codes: ['COMEBACK15'],
      value: {type: 'percentage', percentage: 0.15},
      createdViaApi: true,
    });

    const duplicate = await adminRequest(sandbox, DISCOUNT, {input: {...input, code: 'comeback15'}});
    expect(duplicate.body.data.discountCodeBasicCreate).toStrictEqual({
      codeDiscountNode: null,
      userErrors: [
        {
          field: ['basicCodeDiscount', 'code'],
          message: 'Code must be unique. Please try a different code.',
          code: 'TAKEN',
          extraInfo: null,
        },
      ],
    });
    const byCode = await adminRequest(sandbox, '{ codeDiscountNodeByCode(code: "COMEBACK15") { id } }');
    expect(byCode.body.data.codeDiscountNodeByCode.id).toBe(payload.codeDiscountNode.id);
  });

  it('a fixed-amount discount keeps its amount as a Decimal; invalid input lists every problem', async () => {
    const created = await adminRequest(sandbox, DISCOUNT, {
      input: {
        title: 'Ten off',
        code: 'TENOFF',
        startsAt: '2026-01-01T00:00:00Z',
        customerGets: {value: {discountAmount: {amount: '10.00', appliesOnEachItem: false}}, items: {all: true}},
      },
    });
    expect(created.body.data.discountCodeBasicCreate.codeDiscountNode.codeDiscount.customerGets.value).toStrictEqual({
      amount: {amount: '10.0', currencyCode: 'USD'},
      appliesOnEachItem: false,
    });

    const invalid = await adminRequest(sandbox, DISCOUNT, {
      input: {
        title: ' ',
        code: '',
        startsAt: '2026-02-01T00:00:00Z',
        endsAt: '2026-01-01T00:00:00Z',
        customerGets: {value: {percentage: 1.5}},
      },
    });
    expect(invalid.body.data.discountCodeBasicCreate.userErrors.map((e: {code: string}) => e.code)).toStrictEqual([
      'BLANK',
      'BLANK',
      'INVALID',
      'VALUE_OUTSIDE_RANGE',
    ]);
  });

  it('mutations cost 10 points', async () => {
    const reply = await adminRequest(sandbox, UPDATE, {input: {id: 'gid://shopify/Customer/1'}});
    expect(reply.body.extensions.cost.requestedQueryCost).toBe(10);
  });
});
