import {randomBytes} from 'node:crypto';
import express, {type Request, type Router} from 'express';
import {problem, sendProblem} from '../../http/problem.js';
import type {ConnectionsRepository} from '../../store/connections-repository.js';
import {DEMO_PRODUCT, demoPage, receiptPage} from './demo-page.js';

/**
 * The demo storefront (`npm start` in demo mode, and tests): `/demo` is a shop page using the widget;
 * `POST /demo/checkout` is that shop's backend, which turns the fake checkout into an order sent to the connector's
 * generic ingest (`POST /v1/events`) over HTTP with the ingest token, exactly as any store platform would, carrying
 * the attribution the widget captured on landing; `/demo/mailchimp` shows what Mailchimp holds.
 */
export interface DemoStorefrontOptions {
  shopDomain: string;
  /** The connection's ingest token: the demo backend is a client of `POST /v1/events`. It never reaches the page. */
  ingestToken: string;
  /** The Mailchimp the connection syncs into (the in-process sandbox), read for the page's "what Mailchimp holds" panel. */
  mailchimp?: {baseUrl: string; apiKey: string};
  /** Demo mode's stand-in shop for the install flow: the page links "Install a demo shop" to its /shopify/install. */
  installShop?: string;
}

export interface DemoRouteDeps {
  demo: DemoStorefrontOptions;
  connections: ConnectionsRepository;
  now(): Date;
}

const LANGS = new Set(['en', 'de']);

export function demoRouter(deps: DemoRouteDeps): Router {
  const router = express.Router();
  const {demo} = deps;

  router.get('/demo', async (req, res, next) => {
    try {
      const connection = await deps.connections.byShopDomain(demo.shopDomain);
      const delay = Number(req.query.popup_delay ?? 4);
      res
        .type('html')
        .set('Cache-Control', 'no-store')
        .send(
          demoPage({
            shop: demo.shopDomain,
            currency: connection?.settings.currency ?? 'USD',
            lang: langOf(req),
            popupDelay: Number.isFinite(delay) && delay >= 0 ? delay : undefined,
            installShop: demo.installShop,
          }),
        );
    } catch (err) {
      next(err);
    }
  });

  router.post('/demo/checkout', express.urlencoded({extended: false, limit: '16kb'}), async (req, res, next) => {
    try {
      const form = (req.body ?? {}) as Record<string, unknown>;
      const email = typeof form.email === 'string' ? form.email.trim() : '';
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        return sendProblem(
          res,
          problem(400, 'invalid-request', 'Invalid Request', 'The checkout needs an email address.', {
            instance: req.path,
            errors: [{field: 'email', message: 'must be a valid email address'}],
          }),
        );
      }
      const connection = await deps.connections.byShopDomain(demo.shopDomain);
      const currency = connection?.settings.currency ?? 'USD';
      const quantity = Math.min(10, Math.max(1, Number.parseInt(String(form.quantity ?? '1'), 10) || 1));
      const attributes = attributesOf(form);
      const now = deps.now().toISOString();
      const orderId = `demo-${randomBytes(4).toString('hex')}`;
      const total = (Number(DEMO_PRODUCT.price) * quantity).toFixed(2);
      const firstName =
        typeof form.first_name === 'string' && form.first_name.trim()
          ? form.first_name.trim().slice(0, 200)
          : undefined;
      const events = [
        {
          id: 'demo-product-v1',
          type: 'product.upsert',
          occurred_at: '2026-01-01T00:00:00Z',
          data: {
            id: DEMO_PRODUCT.id,
            currency,
            title: DEMO_PRODUCT.title,
            handle: 'merino-beanie',
            variants: [{id: DEMO_PRODUCT.variantId, title: DEMO_PRODUCT.variantTitle, price: DEMO_PRODUCT.price}],
          },
        },
        {
          id: `${orderId}-paid`,
          type: 'order.upsert',
          occurred_at: now,
          data: {
            id: orderId,
            customer: {email, ...(firstName ? {first_name: firstName} : {})},
            currency,
            total,
            lines: [
              {
                id: 'line-1',
                product_id: DEMO_PRODUCT.id,
                variant_id: DEMO_PRODUCT.variantId,
                title: DEMO_PRODUCT.title,
                quantity,
                price: DEMO_PRODUCT.price,
              },
            ],
            financial_status: 'paid',
            fulfillment_status: 'unfulfilled',
            processed_at: now,
            ...(Object.keys(attributes).length > 0 ? {attributes} : {}),
          },
        },
      ];
      const ingest = await postToOwnIngest(req, demo.ingestToken, {events});
      res
        .status(ingest.status === 202 ? 200 : 502)
        .type('html')
        .set('Cache-Control', 'no-store')
        .send(
          receiptPage(
            {orderId, email, total, currency, campaignId: attributes._mc_cid, attributes, ingest},
            langOf(req),
          ),
        );
    } catch (err) {
      next(err);
    }
  });

  router.get('/demo/mailchimp', async (_req, res, next) => {
    try {
      const connection = await deps.connections.byShopDomain(demo.shopDomain);
      if (!demo.mailchimp || !connection?.mailchimpListId) return res.json({members: [], orders: []});
      res
        .set('Cache-Control', 'no-store')
        .json(await mailchimpView(demo.mailchimp, connection.mailchimpListId, connection.mailchimpStoreId));
    } catch (err) {
      next(err);
    }
  });
  return router;
}

function langOf(req: Request): string {
  const lang = typeof req.query.lang === 'string' ? req.query.lang : 'en';
  return LANGS.has(lang) ? lang : 'en';
}

/** The hidden `attributes[...]` fields the widget adds to the checkout form (campaign attribution). */
function attributesOf(form: Record<string, unknown>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    const match = /^attributes\[([A-Za-z0-9_]{1,40})\]$/.exec(key);
    if (match && typeof value === 'string' && value !== '') attributes[match[1]!] = value.slice(0, 200);
  }
  return attributes;
}

/** The demo backend calls the connector's public ingest endpoint over HTTP, on the address the request came in on. */
async function postToOwnIngest(req: Request, token: string, body: unknown): Promise<{status: number; body: string}> {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address}]` : address;
  const response = await fetch(`http://${host}:${req.socket.localPort}/v1/events`, {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: `Bearer ${token}`},
    body: JSON.stringify(body),
  });
  return {status: response.status, body: await response.text()};
}

interface MailchimpView {
  members: Array<{email: string; status: string; tags: string[]}>;
  orders: Array<{id: string; email: string; total: string; campaignId?: string}>;
}

async function mailchimpView(
  mailchimp: {baseUrl: string; apiKey: string},
  listId: string,
  storeId: string,
): Promise<MailchimpView> {
  const auth = `Basic ${Buffer.from(`demo:${mailchimp.apiKey}`).toString('base64')}`;
  const get = async (path: string): Promise<Record<string, unknown> | undefined> => {
    const response = await fetch(`${mailchimp.baseUrl}${path}`, {headers: {authorization: auth}});
    return response.ok ? ((await response.json()) as Record<string, unknown>) : undefined;
  };
  const members = ((
    await get(`/lists/${listId}/members?count=50&fields=members.email_address,members.status,members.tags`)
  )?.members ?? []) as Array<{
    email_address: string;
    status: string;
    tags?: Array<{name: string}>;
  }>;
  const orders = ((
    await get(
      `/ecommerce/stores/${storeId}/orders?count=50&fields=orders.id,orders.customer.email_address,orders.order_total,orders.currency_code,orders.campaign_id`,
    )
  )?.orders ?? []) as Array<{
    id: string;
    customer?: {email_address?: string};
    order_total: number;
    currency_code: string;
    campaign_id?: string;
  }>;
  return {
    members: members.map((m) => ({email: m.email_address, status: m.status, tags: (m.tags ?? []).map((t) => t.name)})),
    orders: orders.map((o) => ({
      id: o.id,
      email: o.customer?.email_address ?? '',
      total: `${o.order_total} ${o.currency_code}`,
      ...(o.campaign_id ? {campaignId: o.campaign_id} : {}),
    })),
  };
}
