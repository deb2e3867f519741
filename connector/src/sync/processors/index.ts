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
    [ENTITY.store]: new StoreProcessor(ctx),
    [ENTITY.product]: new ProductProcessor(ctx),
    [ENTITY.customer]: new CustomerProcessor(ctx),
    [ENTITY.member]: new MemberProcessor(ctx, tagRules),
    [ENTITY.promo]: new PromoProcessor(ctx),
    [ENTITY.order]: new OrderProcessor(ctx),
    [ENTITY.cart]: new CartProcessor(ctx),
    [ENTITY.redaction]: new RedactionProcessor(ctx),
  };
}
