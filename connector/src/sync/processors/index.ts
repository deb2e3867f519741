import type {TagRulesConfig} from '../rules/tag-rules.js';
import {ENTITY} from '../entity-types.js';
import type {EntityProcessor} from '../sync-worker.js';
import {CartProcessor} from './cart-processor.js';
import {CustomerProcessor} from './customer-processor.js';
import {MemberProcessor} from './member-processor.js';
import {OrderProcessor} from './order-processor.js';
import {ProductProcessor} from './product-processor.js';
import {PromoProcessor} from './promo-processor.js';
import {RedactionProcessor} from './redaction-processor.js';
import {StoreProcessor} from './store-processor.js';
import type {SyncContext} from './sync-context.js';

export {SyncContext} from './sync-context.js';

/** The table the sync worker chooses processors from: one per entity type. */
export function entityProcessors(
  ctx: SyncContext,
  tagRules: (settings: Record<string, unknown>) => TagRulesConfig,
): Record<string, EntityProcessor> {
  return {
    [ENTITY.store]: new StoreProcessor(ctx.clients, ctx.stores),
    [ENTITY.product]: new ProductProcessor(ctx.stores),
    [ENTITY.customer]: new CustomerProcessor(ctx.stores, ctx.identities),
    [ENTITY.member]: new MemberProcessor(ctx.clients, ctx.products, tagRules, ctx.now),
    [ENTITY.promo]: new PromoProcessor(ctx.stores),
    [ENTITY.order]: new OrderProcessor({
      stores: ctx.stores,
      lines: ctx.lines,
      emails: ctx.emails,
      identities: ctx.identities,
      campaigns: ctx.campaigns,
    }),
    [ENTITY.cart]: new CartProcessor(ctx.stores, ctx.lines, ctx.identities),
    [ENTITY.redaction]: new RedactionProcessor(ctx.clients),
  };
}
