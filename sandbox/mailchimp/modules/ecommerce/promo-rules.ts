import {paginate} from '../../core/collection.js';
import {problems} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {PromoRuleRecord, SandboxState, StoreRecord} from '../../core/state.js';
import {ecommerceProblems} from './ecommerce-problems.js';
import {
  assignDefined,
  bodyObject,
  optBoolean,
  optNumber,
  optString,
  reqString,
  requireFields,
  type Body,
} from './input.js';
import {collectionLinks, itemLinks, paths, type ApiUrl} from './links.js';
import {requireStore} from './stores.js';

const TYPES = ['fixed', 'percentage'] as const;
const TARGETS = ['per_item', 'total', 'shipping'] as const;

function readEnum<T extends string>(body: Body, key: string, allowed: readonly T[]): T | undefined {
  const value = optString(body, key);
  if (value !== undefined && !(allowed as readonly string[]).includes(value))
    throw ecommerceProblems.notInEnum(key, allowed);
  return value as T | undefined;
}

function readRuleFields(body: Body) {
  return {
    title: optString(body, 'title'),
    description: optString(body, 'description'),
    starts_at: optString(body, 'starts_at'),
    ends_at: optString(body, 'ends_at'),
    amount: optNumber(body, 'amount'),
    type: readEnum(body, 'type', TYPES),
    target: readEnum(body, 'target', TARGETS),
    enabled: optBoolean(body, 'enabled'),
    created_at_foreign: optString(body, 'created_at_foreign'),
    updated_at_foreign: optString(body, 'updated_at_foreign'),
  } satisfies Partial<PromoRuleRecord>;
}

/**
 * Rules that hold for the rule as it would be stored: a percentage amount is a decimal from 0.0 to 1.0, and
 * `ends_at` comes after `starts_at` (both from the spec's field descriptions).
 */
function checkRule(rule: Pick<PromoRuleRecord, 'type' | 'amount' | 'starts_at' | 'ends_at'>): void {
  if (rule.type === 'percentage' && (rule.amount < 0 || rule.amount > 1)) throw ecommerceProblems.percentageAmount();
  if (rule.starts_at && rule.ends_at) {
    const starts = Date.parse(rule.starts_at);
    const ends = Date.parse(rule.ends_at);
    if (!Number.isNaN(starts) && !Number.isNaN(ends) && ends <= starts) throw ecommerceProblems.endsBeforeStart();
  }
}

export function requirePromoRule(store: StoreRecord, ruleId: string): PromoRuleRecord {
  const rule = store.promoRules.get(ruleId);
  if (!rule) throw problems.notFound();
  return rule;
}

export function createPromoRule(state: SandboxState, store: StoreRecord, raw: unknown): PromoRuleRecord {
  const body = bodyObject(raw);
  requireFields(body, ['id', 'description', 'amount', 'type', 'target']);
  const id = reqString(body, 'id');
  const fields = readRuleFields(body);
  if (store.promoRules.has(id)) throw ecommerceProblems.alreadyExists('promo rule');
  const now = state.timestamp();
  const rule: PromoRuleRecord = {
    id,
    title: '',
    description: '',
    amount: 0,
    type: 'fixed',
    target: 'total',
    enabled: true,
    created_at_foreign: now,
    updated_at_foreign: now,
    codes: new Map(),
  };
  assignDefined(rule, fields);
  checkRule(rule);
  store.promoRules.set(id, rule);
  return rule;
}

export function updatePromoRule(store: StoreRecord, ruleId: string, raw: unknown): PromoRuleRecord {
  const rule = requirePromoRule(store, ruleId);
  const fields = readRuleFields(bodyObject(raw));
  checkRule(
    assignDefined({type: rule.type, amount: rule.amount, starts_at: rule.starts_at, ends_at: rule.ends_at}, fields),
  );
  return assignDefined(rule, fields);
}

export function promoRuleView(store: StoreRecord, rule: PromoRuleRecord, api: ApiUrl): Record<string, unknown> {
  const {codes: _codes, ...fields} = rule;
  return {
    ...fields,
    _links: itemLinks(api, paths.promoRule(store.id, rule.id), paths.promoRules(store.id), ['PATCH', 'DELETE']),
  };
}

export function promoRuleRoutes(api: ApiUrl): RouteDef[] {
  const base = '/ecommerce/stores/{store_id}/promo-rules';
  return [
    {
      method: 'GET',
      path: base,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const {page, total_items} = paginate([...store.promoRules.values()], req.query);
        return {
          status: 200,
          body: {
            store_id: store.id,
            promo_rules: page.map((r) => promoRuleView(store, r, api)),
            total_items,
            _links: collectionLinks(api, paths.promoRules(store.id), paths.store(store.id)),
          },
        };
      },
    },
    {
      method: 'POST',
      path: base,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        return {status: 200, body: promoRuleView(store, createPromoRule(state, store, req.body), api)};
      },
    },
    {
      method: 'GET',
      path: `${base}/{promo_rule_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        return {status: 200, body: promoRuleView(store, requirePromoRule(store, req.params.promo_rule_id!), api)};
      },
    },
    {
      method: 'PATCH',
      path: `${base}/{promo_rule_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        return {
          status: 200,
          body: promoRuleView(store, updatePromoRule(store, req.params.promo_rule_id!, req.body), api),
        };
      },
    },
    {
      // The rule's promo codes go with it.
      method: 'DELETE',
      path: `${base}/{promo_rule_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        store.promoRules.delete(requirePromoRule(store, req.params.promo_rule_id!).id);
        return {status: 204};
      },
    },
  ];
}
