import {BatchesApi, BatchWebhooksApi} from './api/batches-api.js';
import {CampaignsApi} from './api/campaigns-api.js';
import {CartsApi} from './api/carts-api.js';
import {CustomersApi} from './api/customers-api.js';
import {ListWebhooksApi} from './api/list-webhooks-api.js';
import {ListsApi} from './api/lists-api.js';
import {MembersApi} from './api/members-api.js';
import {MergeFieldsApi} from './api/merge-fields-api.js';
import {OrdersApi} from './api/orders-api.js';
import {ProductsApi} from './api/products-api.js';
import {PromosApi} from './api/promos-api.js';
import {ReportsApi} from './api/reports-api.js';
import {SegmentsApi} from './api/segments-api.js';
import {StoresApi} from './api/stores-api.js';
import {BatchRunner, type BatchRunnerOptions} from './batch/batch-runner.js';
import {MailchimpTransport, type TransportOptions} from './transport.js';
import type {PingResponse} from './types/common.js';

/**
 * The typed Mailchimp Marketing API client for one account, one property per resource family. Build one per
 * account over a process-wide AccountLimiters.
 */
export class MailchimpClient {
  readonly transport: MailchimpTransport;
  readonly lists: ListsApi;
  readonly members: MembersApi;
  readonly mergeFields: MergeFieldsApi;
  readonly segments: SegmentsApi;
  readonly listWebhooks: ListWebhooksApi;
  readonly stores: StoresApi;
  readonly customers: CustomersApi;
  readonly products: ProductsApi;
  readonly orders: OrdersApi;
  readonly carts: CartsApi;
  readonly promos: PromosApi;
  readonly campaigns: CampaignsApi;
  readonly reports: ReportsApi;
  readonly batches: BatchesApi;
  readonly batchWebhooks: BatchWebhooksApi;

  constructor(options: TransportOptions) {
    const transport = new MailchimpTransport(options);
    this.transport = transport;
    this.lists = new ListsApi(transport);
    this.members = new MembersApi(transport);
    this.mergeFields = new MergeFieldsApi(transport);
    this.segments = new SegmentsApi(transport);
    this.listWebhooks = new ListWebhooksApi(transport);
    this.stores = new StoresApi(transport);
    this.customers = new CustomersApi(transport);
    this.products = new ProductsApi(transport);
    this.orders = new OrdersApi(transport);
    this.carts = new CartsApi(transport);
    this.promos = new PromosApi(transport);
    this.campaigns = new CampaignsApi(transport);
    this.reports = new ReportsApi(transport);
    this.batches = new BatchesApi(transport);
    this.batchWebhooks = new BatchWebhooksApi(transport);
  }

  /** GET /ping: checks the credential and the data center. */
  ping(): Promise<PingResponse> {
    return this.transport.request<PingResponse, '/ping'>({method: 'GET', route: '/ping', params: {}});
  }

  /** A runner for /batches over this client (see batch/batch-runner.ts). */
  batchRunner(options?: BatchRunnerOptions): BatchRunner {
    return new BatchRunner(this.batches, options);
  }
}
