import {paginate} from '../../core/collection.js';
import {problems} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {PromoCodeRecord, PromoRuleRecord, SandboxState, StoreRecord} from '../../core/state.js';
import {ecommerceProblems} from './ecommerce-problems.js';
import {
  assignDefined,
  bodyObject,
  optBoolean,
  optInteger,
  optString,
  reqString,
  requireFields,
  type Body,
} from './input.js';
import {collectionLinks, itemLinks, paths, type ApiUrl} from './links.js';
import {requirePromoRule} from './promo-rules.js';
import {requireStore} from './stores.js';

function readCodeFields(body: Body) {
  return {
    code: optString(body, 'code'),
    redemption_url: optString(body, 'redemption_url'),
    usage_count: optInteger(body, 'usage_count'),
    enabled: optBoolean(body, 'enabled'),
    created_at_foreign: optString(body, 'created_at_foreign'),
    updated_at_foreign: optString(body, 'updated_at_foreign'),
  } satisfies Partial<PromoCodeRecord>;
}

/**
 * A code is what shoppers type, so it must name one discount: it is unique within the store, across rules, ignoring
 * case (as shop platforms treat codes). Mailchimp's own rule here is not documented; this is the sandbox's choice.
 */
function assertCodeFree(store: StoreRecord, code: string, self?: PromoCodeRecord): void {
  const wanted = code.toLowerCase();
  for (const rule of store.promoRules.values()) {
    for (const other of rule.codes.values()) {
      if (other !== self && other.code.toLowerCase() === wanted) throw ecommerceProblems.codeTaken(code);
    }
  }
}

function requirePromoCode(rule: PromoRuleRecord, codeId: string): PromoCodeRecord {
  const code = rule.codes.get(codeId);
  if (!code) throw problems.notFound();
  return code;
}

export function createPromoCode(
  state: SandboxState,
  store: StoreRecord,
  rule: PromoRuleRecord,
  raw: unknown,
): PromoCodeRecord {
  const body = bodyObject(raw);
  requireFields(body, ['id', 'code', 'redemption_url']);
  const id = reqString(body, 'id');
  const fields = readCodeFields(body);
  if (rule.codes.has(id)) throw ecommerceProblems.alreadyExists('promo code');
  assertCodeFree(store, fields.code ?? '');
  const now = state.timestamp();
  const code: PromoCodeRecord = {
    id,
    code: '',
    redemption_url: '',
    usage_count: 0,
    enabled: true,
    created_at_foreign: now,
    updated_at_foreign: now,
  };
  assignDefined(code, fields);
  rule.codes.set(id, code);
  return code;
}

export function updatePromoCode(
  store: StoreRecord,
  rule: PromoRuleRecord,
  codeId: string,
  raw: unknown,
): PromoCodeRecord {
  const code = requirePromoCode(rule, codeId);
  const fields = readCodeFields(bodyObject(raw));
  if (fields.code !== undefined) assertCodeFree(store, fields.code, code);
  return assignDefined(code, fields);
}

export function promoCodeView(
  store: StoreRecord,
  rule: PromoRuleRecord,
  code: PromoCodeRecord,
  api: ApiUrl,
): Record<string, unknown> {
  return {
    ...code,
    _links: itemLinks(api, paths.promoCode(store.id, rule.id, code.id), paths.promoCodes(store.id, rule.id), [
      'PATCH',
      'DELETE',
    ]),
  };
}

export function promoCodeRoutes(api: ApiUrl): RouteDef[] {
  const base = '/ecommerce/stores/{store_id}/promo-rules/{promo_rule_id}/promo-codes';
  const load = (state: SandboxState, params: Record<string, string>) => {
    const store = requireStore(state, params.store_id!);
    return {store, rule: requirePromoRule(store, params.promo_rule_id!)};
  };
  return [
    {
      method: 'GET',
      path: base,
      handler: (req, state) => {
        const {store, rule} = load(state, req.params);
        const {page, total_items} = paginate([...rule.codes.values()], req.query);
        return {
          status: 200,
          body: {
            store_id: store.id,
            promo_codes: page.map((c) => promoCodeView(store, rule, c, api)),
            total_items,
            _links: collectionLinks(api, paths.promoCodes(store.id, rule.id), paths.promoRule(store.id, rule.id)),
          },
        };
      },
    },
    {
      method: 'POST',
      path: base,
      handler: (req, state) => {
        const {store, rule} = load(state, req.params);
        return {status: 200, body: promoCodeView(store, rule, createPromoCode(state, store, rule, req.body), api)};
      },
    },
    {
      method: 'GET',
      path: `${base}/{promo_code_id}`,
      handler: (req, state) => {
        const {store, rule} = load(state, req.params);
        return {status: 200, body: promoCodeView(store, rule, requirePromoCode(rule, req.params.promo_code_id!), api)};
      },
    },
    {
      method: 'PATCH',
      path: `${base}/{promo_code_id}`,
      handler: (req, state) => {
        const {store, rule} = load(state, req.params);
        return {
          status: 200,
          body: promoCodeView(store, rule, updatePromoCode(store, rule, req.params.promo_code_id!, req.body), api),
        };
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{promo_code_id}`,
      handler: (req, state) => {
        const {rule} = load(state, req.params);
        rule.codes.delete(requirePromoCode(rule, req.params.promo_code_id!).id);
        return {status: 204};
      },
    },
  ];
}
