import {MailchimpError} from '../mailchimp/mailchimp-error.js';
import {classifyFailure} from '../mailchimp/problem-classifier.js';
import {ShopifyAuthError, ShopifyNetworkError} from '../shopify-admin/admin-errors.js';
import {mailchimpFailureLine, shopifyFailureLine, type CheckedConnection} from './startup-checks.js';

const target: CheckedConnection = {
  connectionId: 'c1',
  shopDomain: 'shop.myshopify.com',
  listId: 'abc123',
  storeId: 'msb_1',
  credentialVariable: 'MAILCHIMP_API_KEY',
  baseUrlSet: false,
  shopifyToken: true,
};

function mailchimpError(facts: Parameters<typeof classifyFailure>[0]): MailchimpError {
  return new MailchimpError({
    method: 'GET',
    route: '/lists/{list_id}',
    status: facts.status,
    code: facts.networkCode,
    classification: classifyFailure(facts),
    attempts: 1,
  });
}

describe('start-up check failure lines', () => {
  it('name the variable and quote what Mailchimp answered', () => {
    const err = mailchimpError({
      status: 404,
      body: {title: 'Resource Not Found', status: 404, detail: 'The requested resource could not be found.'},
    });
    expect(mailchimpFailureLine(target, err, 'MAILCHIMP_LIST_ID', 'list abc123')).toBe(
      'MAILCHIMP_LIST_ID: Mailchimp answered 404 "The requested resource could not be found." for list abc123',
    );
  });

  it('tell an unreachable Mailchimp apart from a refusal, naming where the address comes from', () => {
    const err = mailchimpError({networkCode: 'ECONNREFUSED'});
    expect(mailchimpFailureLine(target, err, 'MAILCHIMP_API_KEY', 'ping')).toBe(
      'MAILCHIMP_API_KEY (its data center): Mailchimp could not be reached (ECONNREFUSED) while checking ping; checked again periodically',
    );
    expect(mailchimpFailureLine({...target, baseUrlSet: true}, err, 'MAILCHIMP_API_KEY', 'ping')).toMatch(
      /^MAILCHIMP_BASE_URL: Mailchimp could not be reached/,
    );
  });

  it('name SHOPIFY_ACCESS_TOKEN and the shop for Shopify failures', () => {
    expect(shopifyFailureLine('shop.myshopify.com', new ShopifyAuthError(401))).toBe(
      'SHOPIFY_ACCESS_TOKEN: Shopify answered 401 for shop shop.myshopify.com (the Admin API token is wrong, revoked or lacks a scope)',
    );
    expect(shopifyFailureLine('shop.myshopify.com', new ShopifyNetworkError('ECONNREFUSED'))).toBe(
      'SHOPIFY_ACCESS_TOKEN: checking shop shop.myshopify.com failed (Shopify could not be reached: ECONNREFUSED)',
    );
  });
});
