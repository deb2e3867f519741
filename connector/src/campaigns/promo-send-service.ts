import {createHash} from 'node:crypto';
import type {Kysely} from 'kysely';
import type {Logger} from '../logging/logger.js';
import type {MailchimpClient} from '../mailchimp/client.js';
import {isMailchimpError} from '../mailchimp/mailchimp-error.js';
import type {
  CampaignCreateRequest,
  PromoCodeCreateRequest,
  PromoRuleCreateRequest,
  SendChecklist,
} from '../mailchimp/types/index.js';
import type {Product} from '../model/entities.js';
import type {SegmentService} from '../segments/segment-service.js';
import type {SegmentRecord} from '../segments/segments-repository.js';
import type {Connection} from '../store/connections-repository.js';
import type {Database} from '../store/schema.js';
import {recentPurchases} from '../store/people-repository.js';
import {desiredOfEntities} from '../store/sync-state-repository.js';
import {ENTITY} from '../sync/entity-types.js';
import {stableStringify} from '../sync/stable-json.js';
import {countedOrders} from '../segments/local-audience.js';
import type {CampaignStatsService} from './campaign-stats-service.js';
import {discountText, renderPromoContent, type PromoProduct} from './promo-content.js';
import type {PromoSendRequest} from './promo-send-request.js';
import {PromoSendsRepository, type PromoSendRow} from './promo-sends-repository.js';
import {checkSendAt} from './send-time.js';
import type {ShopifyAdminClient} from '../shopify-admin/admin-client.js';
import {ShopifyAdminError} from '../shopify-admin/admin-errors.js';
import {stableEcommerceId} from '../sync/mappers/ecommerce-ids.js';
import {
  createShopifyDiscount,
  discountInput,
  ShopifyCodeTakenError,
  type ShopifyDiscountSpec,
} from '../write-back/shopify-discount.js';

export interface PromoTargets {
  storeTarget(
    connectionId: string,
  ): Promise<{connection: Connection; client: MailchimpClient; listId: string; storeId: string}>;
}

export interface PromoSendDeps {
  db: Kysely<Database>;
  targets: PromoTargets;
  segments: SegmentService;
  stats: CampaignStatsService;
  /** The store's Admin API, for `shopify_discount`. */
  shopify: {clientFor(connectionId: string): Promise<ShopifyAdminClient | undefined>};
  currency(connection: Connection): string;
  now(): Date;
  logger: Logger;
  /** How long a run holds its send against concurrent repeats (default 2 minutes). */
  holdMs?: number;
}

/** What a promo send did, step by step; persisted after each step so that a repeat resumes where it stopped. */
export interface PromoProgress {
  segment?: {
    id: number;
    name: string;
    mailchimp_segment_id: number;
    local_count: number;
    mailchimp_count: number | null;
  };
  /** The Shopify discount; its ids are the promo rule's and code's in Mailchimp (as the promo sync names them). */
  shopify_discount?: {discount_id: string; code_id: string; reused: boolean};
  promo_rule?: {id: string; type: 'fixed' | 'percentage'; amount: number; target: string};
  promo_code?: {id: string; code: string; redemption_url: string};
  campaign?: {id: string; web_id: number};
  content?: {template: string; html_bytes: number};
  checklist?: SendChecklist;
  test?: {emails: string[]; at: string};
  delivery?: {action: 'sent' | 'scheduled'; at: string};
}

export type PromoSendOutcome =
  | {kind: 'ok'; status: 200 | 201; body: Record<string, unknown>; replayed: boolean}
  | {kind: 'problem'; status: number; slug: string; title: string; detail: string; extra?: Record<string, unknown>};

const problem = (
  status: number,
  slug: string,
  title: string,
  detail: string,
  extra?: Record<string, unknown>,
): PromoSendOutcome => ({kind: 'problem', status, slug, title, detail, extra});

/**
 * One call that sets up and sends a promo: the promo rule and code in the Mailchimp store, the segment (its local
 * tags refreshed), a regular campaign targeted at the saved segment with content from a template, the send
 * checklist, test e-mails, then send now or schedule on a quarter hour. Idempotent by client key: a repeat of a
 * finished send answers the stored result; a repeat of a failed or interrupted one resumes after the last step
 * that succeeded; the same key with another request is refused. `dry_run` shows every call it would make.
 */
export class PromoSendService {
  private readonly repo: PromoSendsRepository;

  constructor(private readonly deps: PromoSendDeps) {
    this.repo = new PromoSendsRepository(deps.db);
  }

  async run(connectionId: string, key: string | undefined, request: PromoSendRequest): Promise<PromoSendOutcome> {
    const now = this.deps.now();
    const sendAt = request.send_at === undefined ? undefined : checkSendAt(request.send_at, now);
    if (sendAt && !sendAt.ok)
      return problem(400, 'invalid-send-time', 'Bad Request', sendAt.message, {
        errors: [{field: 'send_at', message: sendAt.message}],
      });
    if (!request.dry_run && !key) {
      return problem(
        400,
        'idempotency-key-required',
        'Bad Request',
        'A promo send needs an Idempotency-Key header (any unique string, e.g. a UUID): repeating the request with the same key never sends twice.',
      );
    }
    const segment = await this.deps.segments.record(connectionId, request.segment_id);
    if (!segment) return problem(404, 'segment-not-found', 'Not Found', `No segment ${request.segment_id}.`);
    if (segment.mailchimpSegmentId === null)
      return problem(
        409,
        'segment-incomplete',
        'Conflict',
        `Segment ${request.segment_id} has no Mailchimp saved segment.`,
      );
    const target = await this.deps.targets.storeTarget(connectionId);
    const redemptionUrl = request.redemption_url ?? defaultRedemptionUrl(target.connection, request.code);
    if (!redemptionUrl) {
      return problem(
        400,
        'redemption-url-required',
        'Bad Request',
        'redemption_url is required for a store that is not on Shopify.',
        {errors: [{field: 'redemption_url', message: 'is required for this store'}]},
      );
    }
    const shopify = request.shopify_discount ? await this.deps.shopify.clientFor(connectionId) : undefined;
    if (request.shopify_discount && !shopify) {
      return problem(
        400,
        'shopify-admin-required',
        'Bad Request',
        'shopify_discount needs a Shopify connection with an Admin API access token (SHOPIFY_ACCESS_TOKEN).',
        {errors: [{field: 'shopify_discount', message: 'no Shopify Admin access'}]},
      );
    }
    const products = await loadPromoProducts(this.deps.db, connectionId, request.product_ids);
    if (!products.ok)
      return problem(400, 'unknown-products', 'Bad Request', `Unknown products: ${products.missing.join(', ')}.`, {
        errors: products.missing.map((id) => ({field: 'product_ids', message: `no product ${id}`})),
      });
    const plan = this.plan(
      target,
      segment,
      request,
      redemptionUrl,
      products.products,
      key,
      sendAt?.ok ? sendAt.iso : undefined,
    );

    if (request.dry_run) {
      const preview = await this.deps.segments.count(segment);
      return {
        kind: 'ok',
        status: 200,
        replayed: false,
        body: {
          dry_run: true,
          segment: {
            id: segment.id,
            name: segment.definition.name,
            mailchimp_segment_id: segment.mailchimpSegmentId,
            ...preview,
          },
          steps: plan.describe(),
        },
      };
    }

    const requestJson = stableStringify(request);
    const claim = await this.repo.claim({
      connectionId,
      key: key!,
      requestHash: createHash('sha256').update(requestJson).digest('hex'),
      request: requestJson,
      now: now.toISOString(),
      holdUntil: new Date(now.getTime() + (this.deps.holdMs ?? 120_000)).toISOString(),
    });
    if (claim.kind === 'mismatch')
      return problem(
        422,
        'idempotency-key-reused',
        'Unprocessable Entity',
        'This Idempotency-Key was already used for a different promo send request.',
        {promo_send_id: Number(claim.row.id)},
      );
    if (claim.kind === 'busy')
      return problem(
        409,
        'promo-send-in-progress',
        'Conflict',
        'A request with this Idempotency-Key is running; try again when it has finished.',
        {promo_send_id: Number(claim.row.id)},
      );
    if (claim.kind === 'completed')
      return {kind: 'ok', status: 200, replayed: true, body: JSON.parse(claim.row.result!) as Record<string, unknown>};

    const row = claim.row;
    const progress = JSON.parse(row.progress) as PromoProgress;
    try {
      const outcome = await this.execute(row, progress, plan, target, segment, request, shopify);
      return outcome;
    } catch (err) {
      if (err instanceof ShopifyCodeTakenError) {
        await this.repo.finish(Number(row.id), {
          status: 'failed',
          result: this.body(row, progress, 'failed'),
          error: err.message,
          now: this.deps.now().toISOString(),
        });
        return problem(409, 'shopify-code-taken', 'Conflict', `${err.message} Choose another code.`, {
          promo_send_id: Number(row.id),
          progress,
        });
      }
      const detail = isMailchimpError(err)
        ? [err.title, err.detail].filter(Boolean).join(': ') || err.message
        : err instanceof Error
          ? err.message
          : String(err);
      await this.repo.finish(Number(row.id), {
        status: 'failed',
        result: this.body(row, progress, 'failed'),
        error: detail,
        now: this.deps.now().toISOString(),
      });
      if (err instanceof ShopifyAdminError) {
        this.deps.logger.warn(
          {err: {name: err.name, message: err.message}, promoSend: Number(row.id)},
          'promo send failed at Shopify',
        );
        return problem(
          err.retryable ? 503 : 502,
          'shopify-refused',
          'Bad Gateway',
          `Shopify refused the discount code: ${err.message}. Repeat the request with the same Idempotency-Key to resume.`,
          {promo_send_id: Number(row.id), progress},
        );
      }
      if (!isMailchimpError(err)) throw err;
      this.deps.logger.warn({err: err.toJSON(), promoSend: Number(row.id)}, 'promo send failed');
      return problem(
        err.retryable ? 503 : 502,
        'mailchimp-refused',
        'Bad Gateway',
        `Mailchimp refused a step of the promo send: ${detail}. Repeat the request with the same Idempotency-Key to resume after the last step that succeeded.`,
        {promo_send_id: Number(row.id), progress},
      );
    }
  }

  private async execute(
    row: PromoSendRow,
    progress: PromoProgress,
    plan: SendPlan,
    target: Awaited<ReturnType<PromoTargets['storeTarget']>>,
    segment: SegmentRecord,
    request: PromoSendRequest,
    shopify: ShopifyAdminClient | undefined,
  ): Promise<PromoSendOutcome> {
    const id = Number(row.id);
    const {client, storeId, connection} = target;
    const save = (campaignId?: string) =>
      this.repo.saveProgress(id, progress, this.deps.now().toISOString(), campaignId);
    const at = () => this.deps.now().toISOString();

    if (!progress.segment) {
      await this.deps.segments.ensureTagsFresh(connection.id, segment);
      const preview = await this.deps.segments.count(segment);
      progress.segment = {
        id: segment.id,
        name: segment.definition.name,
        mailchimp_segment_id: segment.mailchimpSegmentId!,
        local_count: preview.local_count,
        mailchimp_count: preview.mailchimp_count,
      };
      await save();
    }
    if (shopify && plan.shopifyDiscount && !progress.shopify_discount) {
      const created = await createShopifyDiscount(shopify, plan.shopifyDiscount);
      progress.shopify_discount = {discount_id: created.discountId, code_id: created.codeId, reused: created.reused};
      await save();
    }
    // With a Shopify discount, Mailchimp's promo rule and code carry its ids, as the promo sync would name them.
    const ruleBody = progress.shopify_discount
      ? {...plan.rule, id: stableEcommerceId(progress.shopify_discount.discount_id)}
      : plan.rule;
    const codeBody = progress.shopify_discount
      ? {...plan.code, id: stableEcommerceId(progress.shopify_discount.code_id)}
      : plan.code;
    if (!progress.promo_rule) {
      const rule = await client.promos.upsertRule(storeId, ruleBody);
      progress.promo_rule = {id: rule.id, type: ruleBody.type, amount: ruleBody.amount, target: ruleBody.target};
      await save();
    }
    if (!progress.promo_code) {
      const code = await client.promos.upsertCode(storeId, progress.promo_rule.id, codeBody);
      progress.promo_code = {id: code.id, code: code.code, redemption_url: code.redemption_url};
      await save();
    }
    let campaign = progress.campaign ? await client.campaigns.get(progress.campaign.id) : null;
    if (!campaign) {
      campaign = await client.campaigns.create(plan.campaign);
      progress.campaign = {id: campaign.id, web_id: campaign.web_id};
      await save(campaign.id);
    }
    const delivered = campaign.status === 'sent' || campaign.status === 'sending' || campaign.status === 'schedule';
    if (!delivered) {
      await client.campaigns.setContent(campaign.id, plan.content);
      progress.content = {
        template: typeof request.template === 'string' ? request.template : 'custom',
        html_bytes: Buffer.byteLength(plan.content.html),
      };
      const checklist = await client.campaigns.sendChecklist(campaign.id);
      progress.checklist = checklist;
      await save();
      if (!checklist.is_ready) {
        const body = this.body(row, progress, 'failed');
        await this.repo.finish(id, {
          status: 'failed',
          result: body,
          error: 'the send checklist is not ready',
          now: at(),
        });
        const errors = checklist.items.filter((i) => i.type === 'error').map((i) => `${i.heading}: ${i.details}`);
        return problem(
          422,
          'campaign-not-ready',
          'Unprocessable Entity',
          `Mailchimp's send checklist is not ready: ${errors.join('; ')}`,
          {promo_send_id: id, checklist, progress},
        );
      }
      if (request.test_emails && !progress.test) {
        await client.campaigns.sendTest(campaign.id, {test_emails: request.test_emails, send_type: 'html'});
        progress.test = {emails: request.test_emails, at: at()};
        await save();
      }
      if (plan.scheduleTime) await client.campaigns.schedule(campaign.id, {schedule_time: plan.scheduleTime});
      else await client.campaigns.send(campaign.id);
    }
    progress.delivery ??= {action: plan.scheduleTime ? 'scheduled' : 'sent', at: plan.scheduleTime ?? at()};
    await save();
    const final = (await client.campaigns.get(campaign.id)) ?? campaign;
    await this.deps.stats.recordCreated(connection.id, final, {promoSendId: id, segmentId: segment.id});
    const body = {
      ...this.body(row, progress, 'completed'),
      campaign: {
        id: final.id,
        web_id: final.web_id,
        status: final.status,
        send_time: final.send_time || null,
        archive_url: final.archive_url ?? null,
      },
    };
    await this.repo.finish(id, {status: 'completed', result: body, now: at()});
    return {kind: 'ok', status: 201, replayed: false, body};
  }

  private body(row: PromoSendRow, progress: PromoProgress, status: 'completed' | 'failed'): Record<string, unknown> {
    return {
      id: Number(row.id),
      idempotency_key: row.idempotency_key,
      status,
      dry_run: false,
      segment: progress.segment ?? null,
      shopify_discount: progress.shopify_discount ?? null,
      promo_rule: progress.promo_rule ?? null,
      promo_code: progress.promo_code ?? null,
      campaign: progress.campaign ?? null,
      checklist: progress.checklist ?? null,
      test_emails: progress.test?.emails ?? [],
      delivery: progress.delivery ?? null,
    };
  }

  private plan(
    target: {connection: Connection; listId: string; storeId: string},
    segment: SegmentRecord,
    request: PromoSendRequest,
    redemptionUrl: string,
    products: PromoProduct[],
    key: string | undefined,
    scheduleTime: string | undefined,
  ): SendPlan {
    const currency = this.deps.currency(target.connection);
    const ruleId = key ? promoRuleId(target.connection.id, key) : 'msb-ps-<derived from the Idempotency-Key>';
    const discount = {type: request.discount.type, amount: request.discount.amount, currency};
    const rule: PromoRuleCreateRequest = {
      id: ruleId,
      title: `${request.code}`.slice(0, 100),
      description: `${discountText(discount)} off with ${request.code}`.slice(0, 255),
      amount:
        request.discount.type === 'percentage'
          ? Number((request.discount.amount / 100).toFixed(6))
          : request.discount.amount,
      type: request.discount.type,
      target: request.target,
      enabled: true,
      ...(request.starts_at ? {starts_at: request.starts_at} : {}),
      ...(request.ends_at ? {ends_at: request.ends_at} : {}),
    };
    const code: PromoCodeCreateRequest = {
      id: `${ruleId}-code`.slice(0, 50),
      code: request.code,
      redemption_url: redemptionUrl,
      enabled: true,
    };
    const campaign: CampaignCreateRequest = {
      type: 'regular',
      recipients: {list_id: target.listId, segment_opts: {saved_segment_id: segment.mailchimpSegmentId!}},
      settings: {
        subject_line: request.subject,
        ...(request.preview_text ? {preview_text: request.preview_text} : {}),
        title: `Promo ${request.code} — ${segment.definition.name}`.slice(0, 100),
        from_name: request.from_name,
        reply_to: request.reply_to,
      },
      tracking: {opens: true, html_clicks: true, text_clicks: true, ecomm360: true},
    };
    const content = renderPromoContent({
      template: request.template,
      subject: request.subject,
      previewText: request.preview_text,
      storeName: target.connection.settings.storeName ?? target.connection.shopDomain,
      code: request.code,
      discount,
      redemptionUrl,
      products,
      endsAt: request.ends_at,
    });
    const storePath = `/ecommerce/stores/${target.storeId}`;
    const shopifyDiscount = request.shopify_discount
      ? {
          title: `${request.code} — ${segment.definition.name} (${ruleId})`.slice(0, 255),
          code: request.code,
          startsAt: request.starts_at ?? this.deps.now().toISOString(),
          ...(request.ends_at ? {endsAt: request.ends_at} : {}),
          discount,
          target: request.target === 'per_item' ? ('per_item' as const) : ('total' as const),
        }
      : undefined;
    const ruleRef = shopifyDiscount ? '<the Shopify discount id>' : rule.id;
    return {
      rule,
      code,
      campaign,
      content,
      scheduleTime,
      shopifyDiscount,
      describe: () => [
        {
          step: 'segment',
          does: 'refresh the tags of locally computed conditions, then count',
          segment_id: segment.id,
          mailchimp_segment_id: segment.mailchimpSegmentId,
        },
        ...(shopifyDiscount
          ? [
              {
                step: 'shopify_discount',
                method: 'Shopify Admin GraphQL',
                path: 'discountCodeBasicCreate',
                body: discountInput(shopifyDiscount),
              },
            ]
          : []),
        {
          step: 'promo_rule',
          method: 'PATCH, or POST when missing',
          path: `${storePath}/promo-rules/${ruleRef}`,
          body: shopifyDiscount ? {...rule, id: ruleRef} : rule,
        },
        {
          step: 'promo_code',
          method: 'PATCH, or POST when missing',
          path: `${storePath}/promo-rules/${ruleRef}/promo-codes/${shopifyDiscount ? '<the Shopify code id>' : code.id}`,
          body: code,
        },
        {step: 'campaign', method: 'POST', path: '/campaigns', body: campaign},
        {
          step: 'content',
          method: 'PUT',
          path: '/campaigns/{campaign_id}/content',
          body: {html: content.html, plain_text: content.plain_text},
        },
        {
          step: 'checklist',
          method: 'GET',
          path: '/campaigns/{campaign_id}/send-checklist',
          does: 'stop unless is_ready',
        },
        ...(request.test_emails
          ? [
              {
                step: 'test',
                method: 'POST',
                path: '/campaigns/{campaign_id}/actions/test',
                body: {test_emails: request.test_emails, send_type: 'html'},
              },
            ]
          : []),
        scheduleTime
          ? {
              step: 'schedule',
              method: 'POST',
              path: '/campaigns/{campaign_id}/actions/schedule',
              body: {schedule_time: scheduleTime},
            }
          : {step: 'send', method: 'POST', path: '/campaigns/{campaign_id}/actions/send'},
      ],
    };
  }
}

interface SendPlan {
  shopifyDiscount?: ShopifyDiscountSpec;
  rule: PromoRuleCreateRequest;
  code: PromoCodeCreateRequest;
  campaign: CampaignCreateRequest;
  content: {html: string; plain_text: string};
  scheduleTime: string | undefined;
  describe(): Array<Record<string, unknown>>;
}

/** The promo rule id of a send: derived from the key, so every repeat and every process names the same rule (≤ 50). */
export function promoRuleId(connectionId: string, key: string): string {
  return `msb-ps-${createHash('sha256').update(`${connectionId}\n${key}`).digest('hex').slice(0, 24)}`;
}

/** Shopify's shareable discount link applies the code and lands on the storefront. */
function defaultRedemptionUrl(connection: Connection, code: string): string | undefined {
  return connection.platform === 'shopify'
    ? `https://${connection.shopDomain}/discount/${encodeURIComponent(code)}`
    : undefined;
}

/** The products shown in the e-mail: the ones asked for, else the three best sellers of the last 500 purchases. */
async function loadPromoProducts(
  db: Kysely<Database>,
  connectionId: string,
  ids: string[] | undefined,
): Promise<{ok: true; products: PromoProduct[]} | {ok: false; missing: string[]}> {
  let wanted = ids;
  if (!wanted) {
    const recent = await recentPurchases(db, connectionId, 500);
    const counts = new Map<string, number>();
    for (const order of countedOrders(recent)) {
      for (const line of order.lines)
        if (line.productId) counts.set(line.productId, (counts.get(line.productId) ?? 0) + line.quantity);
    }
    wanted = [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 3)
      .map(([id]) => id);
  }
  if (wanted.length === 0) return {ok: true, products: []};
  const rows = await desiredOfEntities(db, connectionId, ENTITY.product, wanted);
  const byId = new Map<string, Product>();
  for (const row of rows) {
    const p = JSON.parse(row.desired) as Product | {deleted: true};
    if (!('deleted' in p)) byId.set(row.entity_id, p);
  }
  const missing = wanted.filter((id) => !byId.has(id));
  if (ids && missing.length > 0) return {ok: false, missing};
  return {
    ok: true,
    products: wanted.flatMap((id) => {
      const p = byId.get(id);
      if (!p) return [];
      const variant = p.variants[0];
      return [{title: p.title, url: p.url, imageUrl: p.imageUrl ?? p.images[0]?.url, price: variant?.price}];
    }),
  };
}
