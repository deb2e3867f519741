import {createHmac} from 'node:crypto';
import {startLocalHttpServer, type LocalHttpServer} from '../../connector/src/mailchimp/testing/local-http-server.js';
import {startShopifySandbox, type ShopifySandbox} from './index.js';
import {adminRequest} from './testing/admin-request.js';

const SECRET = 'shpss_subscriptions_secret';

const CREATE = `mutation Create($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {
    webhookSubscription {
      id topic format createdAt callbackUrl uri
      endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } }
    }
    userErrors { field message }
  }
}`;
const LIST = `query List($first: Int!, $after: String, $topics: [WebhookSubscriptionTopic!]) {
  webhookSubscriptions(first: $first, after: $after, topics: $topics) {
    edges { cursor node { id topic endpoint { ... on WebhookHttpEndpoint { callbackUrl } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const DELETE = `mutation Delete($id: ID!) {
  webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } }
}`;
const CONSENT = `mutation Consent($input: CustomerEmailMarketingConsentUpdateInput!) {
  customerEmailMarketingConsentUpdate(input: $input) { customer { id } userErrors { field message } }
}`;

describe('Shopify stand-in: webhook subscriptions', () => {
  let sandbox: ShopifySandbox;
  let receiver: LocalHttpServer;

  beforeAll(async () => {
    receiver = await startLocalHttpServer((_request, res) => {
      res.writeHead(200).end();
    });
    sandbox = await startShopifySandbox({
      seed: 5,
      products: 2,
      customers: 20,
      orders: 2,
      apiKey: 'key',
      apiSecret: SECRET,
    });
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  const create = (topic: string, callbackUrl: string) =>
    adminRequest(sandbox, CREATE, {topic, sub: {callbackUrl, format: 'JSON'}});

  it('creates, lists by topic and page, and deletes subscriptions', async () => {
    const url = 'https://app.example/webhooks/orders';
    const created = await create('ORDERS_CREATE', url);
    const sub = created.body.data.webhookSubscriptionCreate;
    expect(sub.userErrors).toEqual([]);
    expect(sub.webhookSubscription).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/WebhookSubscription\/\d+$/),
      topic: 'ORDERS_CREATE',
      format: 'JSON',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      callbackUrl: url,
      uri: url,
      endpoint: {__typename: 'WebhookHttpEndpoint', callbackUrl: url},
    });

    const duplicate = await create('ORDERS_CREATE', url);
    expect(duplicate.body.data.webhookSubscriptionCreate).toEqual({
      webhookSubscription: null,
      userErrors: [
        {field: ['webhookSubscription', 'callbackUrl'], message: 'Address for this topic has already been taken'},
      ],
    });
    const plainHttp = await create('ORDERS_PAID', 'http://app.example/webhooks');
    expect(plainHttp.body.data.webhookSubscriptionCreate.userErrors).toHaveLength(1);
    const badTopic = await create('ORDERS_EXPLODED', url);
    expect(badTopic.body.errors).toBeDefined();

    await create('ORDERS_UPDATED', url);
    await create('PRODUCTS_UPDATE', url);
    const first = await adminRequest(sandbox, LIST, {first: 1, topics: ['ORDERS_CREATE', 'ORDERS_UPDATED']});
    const page1 = first.body.data.webhookSubscriptions;
    expect(page1.edges.map((e: {node: {topic: string}}) => e.node.topic)).toEqual(['ORDERS_CREATE']);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await adminRequest(sandbox, LIST, {
      first: 5,
      after: page1.pageInfo.endCursor,
      topics: ['ORDERS_CREATE', 'ORDERS_UPDATED'],
    });
    const page2 = second.body.data.webhookSubscriptions;
    expect(page2.edges.map((e: {node: {topic: string}}) => e.node.topic)).toEqual(['ORDERS_UPDATED']);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const all = await adminRequest(sandbox, LIST, {first: 10});
    expect(all.body.data.webhookSubscriptions.edges).toHaveLength(3);

    const id = sub.webhookSubscription.id;
    const deleted = await adminRequest(sandbox, DELETE, {id});
    expect(deleted.body.data.webhookSubscriptionDelete).toEqual({deletedWebhookSubscriptionId: id, userErrors: []});
    const again = await adminRequest(sandbox, DELETE, {id});
    expect(again.body.data.webhookSubscriptionDelete.deletedWebhookSubscriptionId).toBeNull();
    expect(again.body.data.webhookSubscriptionDelete.userErrors).toHaveLength(1);
    const left = await adminRequest(sandbox, LIST, {first: 10, topics: ['ORDERS_CREATE']});
    expect(left.body.data.webhookSubscriptions.edges).toEqual([]);
  });

  it('delivers a consent update to each subscription of the topic, signed with the app secret', async () => {
    const consentUrl = `${receiver.origin}/hooks/consent`;
    const created = await create('CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE', consentUrl);
    expect(created.body.data.webhookSubscriptionCreate.userErrors).toEqual([]);
    await create('CUSTOMERS_UPDATE', `${receiver.origin}/hooks/customers`);
    const gone = await create('CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE', `${receiver.origin}/hooks/gone`);
    await adminRequest(sandbox, DELETE, {id: gone.body.data.webhookSubscriptionCreate.webhookSubscription.id});

    const customer = sandbox.state.customers.all().find((c) => c.email !== null)!;
    const reply = await adminRequest(sandbox, CONSENT, {
      input: {
        customerId: `gid://shopify/Customer/${customer.id}`,
        emailMarketingConsent: {marketingState: 'UNSUBSCRIBED'},
      },
    });
    expect(reply.body.data.customerEmailMarketingConsentUpdate.userErrors).toEqual([]);
    await sandbox.webhooks!.idle();

    expect(receiver.requests.map((r) => r.url)).toEqual(['/hooks/consent']);
    const delivery = receiver.requests[0]!;
    expect(delivery.headers['x-shopify-topic']).toBe('customers_email_marketing_consent/update');
    expect(delivery.headers['x-shopify-hmac-sha256']).toBe(
      createHmac('sha256', SECRET).update(delivery.body, 'utf8').digest('base64'),
    );
    expect(delivery.headers['x-shopify-shop-domain']).toBe(sandbox.shopDomain);
    expect(JSON.parse(delivery.body)).toMatchObject({
      customer_id: customer.id,
      email_marketing_consent: {state: 'unsubscribed'},
    });
    const controls = await (await fetch(`${sandbox.origin}/__sandbox/webhooks`)).json();
    expect(controls.deliveries).toEqual([
      expect.objectContaining({topic: 'customers_email_marketing_consent/update', url: consentUrl, status: 200}),
    ]);
  });
});
