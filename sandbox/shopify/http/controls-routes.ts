import express, {type Request, type Response, type Router} from 'express';
import {z} from 'zod';
import type {BulkOperations} from '../bulk/bulk-operations.js';
import type {ThrottleBucket} from '../cost/throttle-bucket.js';
import {createCustomer, createOrder, createProduct, UnknownReferenceError} from '../data/record-factory.js';
import type {ShopStore} from '../data/shop-store.js';
import {parseGid} from '../schema/scalars.js';
import type {WebhookSender} from '../webhooks/webhook-sender.js';
import {customerView, discountView, orderView, productView} from './control-views.js';
import type {EndpointSettings} from './graphql-endpoint.js';
import type {RequestStats} from './request-stats.js';

/**
 * Operator and test controls under `/__sandbox/` (no token: the stand-in listens on loopback only). Reads return
 * stored records as plain JSON; writes change the shop behind the API's back, as a merchant or another app would.
 */

export interface ControlDependencies {
  store: ShopStore;
  bucket: ThrottleBucket;
  stats: RequestStats;
  bulkOperations: BulkOperations;
  webhooks?: WebhookSender;
  settings: EndpointSettings;
  info: () => Record<string, unknown>;
  /** Moves the stand-in's clock forward (token expiry, write times); returns the new time (epoch ms). */
  advanceClock: (seconds: number) => number;
}

const consentStates = z.enum(['SUBSCRIBED', 'NOT_SUBSCRIBED', 'UNSUBSCRIBED', 'PENDING', 'REDACTED', 'INVALID']);
const financialStatuses = z.enum([
  'PENDING',
  'AUTHORIZED',
  'PAID',
  'PARTIALLY_PAID',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
  'VOIDED',
  'EXPIRED',
]);
const numericId = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+$/).transform(Number),
  z
    .string()
    .startsWith('gid://')
    .transform((v, ctx) => parseGid(v) ?? (ctx.addIssue({code: 'custom', message: 'not a gid'}), z.NEVER)),
]);

const newCustomer = z.object({
  email: z.email().nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  consentState: consentStates.optional(),
});
const customerPatch = z.object({
  email: z.email().nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  consent: z
    .object({
      state: consentStates,
      optInLevel: z.enum(['SINGLE_OPT_IN', 'CONFIRMED_OPT_IN', 'UNKNOWN']).optional(),
      updatedAt: z.iso.datetime().optional(),
    })
    .optional(),
});
const newOrder = z.object({
  customerId: numericId.nullable().optional(),
  email: z.email().nullable().optional(),
  lines: z.array(z.object({variantId: numericId, quantity: z.number().int().positive()})).min(1),
  financialStatus: financialStatuses.optional(),
  test: z.boolean().optional(),
  createdAt: z.iso.datetime().optional(),
  landingPage: z.string().nullable().optional(),
});
const orderPatch = z.object({
  financialStatus: financialStatuses.optional(),
  cancel: z.boolean().optional(),
  note: z.string().nullable().optional(),
});
const newProduct = z.object({
  title: z.string().min(1),
  status: z.enum(['ACTIVE', 'DRAFT', 'ARCHIVED']).optional(),
  variants: z
    .array(
      z.object({
        title: z.string().optional(),
        priceMinor: z.number().int().nonnegative(),
        sku: z.string().nullable().optional(),
      }),
    )
    .min(1),
});
const productPatch = z.object({
  title: z.string().min(1).optional(),
  status: z.enum(['ACTIVE', 'DRAFT', 'ARCHIVED']).optional(),
});
const throttleSettings = z.object({maximumAvailable: z.number().positive(), restoreRate: z.number().positive()});

function parse<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const result = schema.safeParse(req.body ?? {});
  if (result.success) return result.data;
  res
    .status(400)
    .json({errors: result.error.issues.map((issue) => ({field: issue.path.join('.'), message: issue.message}))});
  return undefined;
}

function idParam(req: Request): number | undefined {
  const raw = String(req.params.id);
  return /^\d+$/.test(raw) ? Number(raw) : parseGid(decodeURIComponent(raw));
}

export function controlsRouter(deps: ControlDependencies): Router {
  const {store} = deps;
  const router = express.Router();
  router.use(express.json());
  const notFound = (res: Response) => res.status(404).json({errors: 'Not Found'});

  router.get('/info', (_req, res) => {
    res.json(deps.info());
  });

  router.post('/clock', (req, res) => {
    const body = parse(z.object({advance_seconds: z.number().nonnegative()}), req, res);
    if (!body) return;
    res.json({now: new Date(deps.advanceClock(body.advance_seconds)).toISOString()});
  });

  router.get('/customers/:id', (req, res) => {
    const customer = store.customers.get(idParam(req) ?? -1);
    if (!customer) return void notFound(res);
    res.json(customerView(customer));
  });
  router.post('/customers', (req, res) => {
    const spec = parse(newCustomer, req, res);
    if (spec) res.status(201).json(customerView(createCustomer(store, spec)));
  });
  router.patch('/customers/:id', (req, res) => {
    const patch = parse(customerPatch, req, res);
    if (!patch) return;
    const updated = store.updateCustomer(idParam(req) ?? -1, (customer) => {
      if (patch.email !== undefined) customer.email = patch.email;
      if (patch.firstName !== undefined) customer.firstName = patch.firstName;
      if (patch.lastName !== undefined) customer.lastName = patch.lastName;
      if (patch.consent) {
        customer.consent = {
          state: patch.consent.state,
          optInLevel: patch.consent.optInLevel ?? 'SINGLE_OPT_IN',
          updatedAt: patch.consent.updatedAt ? Date.parse(patch.consent.updatedAt) : store.now(),
        };
      }
    });
    if (!updated) return void notFound(res);
    res.json(customerView(updated));
  });

  router.get('/orders/:id', (req, res) => {
    const order = store.orders.get(idParam(req) ?? -1);
    if (!order) return void notFound(res);
    res.json(orderView(order));
  });
  router.post('/orders', (req, res) => {
    const spec = parse(newOrder, req, res);
    if (!spec) return;
    try {
      res
        .status(201)
        .json(
          orderView(createOrder(store, {...spec, createdAt: spec.createdAt ? Date.parse(spec.createdAt) : undefined})),
        );
    } catch (error) {
      if (!(error instanceof UnknownReferenceError)) throw error;
      res.status(422).json({errors: [{message: error.message}]});
    }
  });
  router.patch('/orders/:id', (req, res) => {
    const patch = parse(orderPatch, req, res);
    if (!patch) return;
    const updated = store.updateOrder(idParam(req) ?? -1, (order) => {
      if (patch.financialStatus) order.financialStatus = patch.financialStatus;
      if (patch.cancel) {
        order.cancelledAt = store.now();
        order.cancelReason = 'OTHER';
      }
      if (patch.note !== undefined) order.note = patch.note;
    });
    if (!updated) return void notFound(res);
    res.json(orderView(updated));
  });

  router.get('/products/:id', (req, res) => {
    const product = store.products.get(idParam(req) ?? -1);
    if (!product) return void notFound(res);
    res.json(productView(product));
  });
  router.post('/products', (req, res) => {
    const spec = parse(newProduct, req, res);
    if (spec) res.status(201).json(productView(createProduct(store, spec)));
  });
  router.patch('/products/:id', (req, res) => {
    const patch = parse(productPatch, req, res);
    if (!patch) return;
    const updated = store.updateProduct(idParam(req) ?? -1, (product) => {
      if (patch.title) product.title = patch.title;
      if (patch.status) product.status = patch.status;
    });
    if (!updated) return void notFound(res);
    res.json(productView(updated));
  });

  router.get('/discounts', (req, res) => {
    const onlyApi = req.query.createdViaApi === 'true';
    res.json({
      discounts: store.discounts
        .all()
        .filter((d) => !onlyApi || d.createdViaApi)
        .map(discountView),
    });
  });

  router.get('/requests', (_req, res) => {
    res.json(deps.stats.snapshot());
  });
  router.delete('/requests', (_req, res) => {
    deps.stats.reset();
    res.status(204).end();
  });

  router.get('/throttle', (_req, res) => {
    res.json(deps.bucket.status());
  });
  router.post('/throttle/reset', (req, res) => {
    const hasSettings = req.body && Object.keys(req.body as object).length > 0;
    const settings = hasSettings ? parse(throttleSettings, req, res) : undefined;
    if (hasSettings && !settings) return;
    deps.bucket.reset(settings);
    res.json(deps.bucket.status());
  });

  router.put('/latency', (req, res) => {
    const body = parse(z.object({latencyMs: z.number().int().nonnegative()}), req, res);
    if (!body) return;
    deps.settings.latencyMs = body.latencyMs;
    res.json(body);
  });

  router.post('/bulk/fail-next', (req, res) => {
    const body = parse(
      z.object({
        errorCode: z.enum(['ACCESS_DENIED', 'INTERNAL_SERVER_ERROR', 'TIMEOUT']).default('INTERNAL_SERVER_ERROR'),
      }),
      req,
      res,
    );
    if (!body) return;
    deps.bulkOperations.failNext(body.errorCode);
    res.status(204).end();
  });

  router.get('/webhooks', (_req, res) => {
    res.json({deliveries: deps.webhooks?.deliveries ?? []});
  });
  return router;
}
